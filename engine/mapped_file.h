// Read-only memory map of a whole file. Model weights are used in place from the map,
// so loading is cheap and two sessions over one model share its pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ll {

class MappedFile {
  public:
    explicit MappedFile(const std::string& path);  // throws EngineError
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

// Throws EngineError naming `path` when it exists but is not a regular file: opening a FIFO
// for reading blocks until a writer comes, and a device or socket is no model or cache.
void require_regular_file(const std::string& path);

}  // namespace ll
