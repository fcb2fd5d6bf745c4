// The fuzzers' input as a file for readers that take a path (GGUF, safetensors,
// tokenizer.json): an anonymous in-memory file (memfd), named through /proc/self/fd, so
// no iteration touches the disk. Rewritten in place for each input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace lltest {

class FuzzInput {
  public:
    FuzzInput() : fd_(::memfd_create("longlens-fuzz", 0)) {}
    ~FuzzInput() { ::close(fd_); }

    // The file's content is now `data`; returns its path.
    std::string set(const uint8_t* data, size_t size) {
        if (::ftruncate(fd_, 0) != 0) return {};
        for (size_t done = 0; done < size;) {
            const ssize_t n = ::pwrite(fd_, data + done, size - done, off_t(done));
            if (n <= 0) return {};
            done += size_t(n);
        }
        return "/proc/self/fd/" + std::to_string(fd_);
    }

  private:
    int fd_;
};

}  // namespace lltest
