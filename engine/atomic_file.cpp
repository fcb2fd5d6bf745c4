#include "atomic_file.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include "error.h"

namespace ll {
namespace {

// What errno means for a user who just lost a write.
std::string describe(int error_number) {
    switch (error_number) {
        case ENOSPC:
            return "the disk is full";
        case EDQUOT:
            return "the disk quota is exhausted";
        case EFBIG:
            return "the file would exceed the size this process may write (file-size limit)";
        default:
            return std::strerror(error_number);
    }
}

std::string directory_of(const std::string& path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return dir.empty() ? "." : dir;
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    // A name of its own per writer: two processes replacing the same file must not write
    // into one temporary file; the last rename wins with a whole file either way.
    tmp_ = path_ + "." +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "." +
           std::to_string(::getpid()) + ".part";
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) {
        const int e = errno;
        tmp_.clear();  // nothing of ours to remove
        fail("cannot create a file beside it", e);
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void AtomicFile::fail(const std::string& what, int error_number) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!tmp_.empty()) ::unlink(tmp_.c_str());
    tmp_.clear();
    throw EngineError(
        path_, what + ": " + describe(error_number) + " (the previous file, if any, is unchanged)");
}

void AtomicFile::write(const void* data, size_t bytes) {
    if (fd_ < 0) throw EngineError(path_, "written after it was committed or failed");
    const char* p = static_cast<const char*>(data);
    while (bytes > 0) {
        const ssize_t n = ::write(fd_, p, bytes);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("writing failed", errno);
        if (n == 0) fail("writing failed", EIO);
        p += n;
        bytes -= static_cast<size_t>(n);
    }
}

void AtomicFile::commit() {
    if (fd_ < 0) throw EngineError(path_, "committed twice or after a failure");
    // Data on disk before the name points at it: else a crash could leave an empty file.
    if (::fsync(fd_) != 0) fail("saving to disk failed", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("closing failed", errno);
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) fail("cannot replace the file", errno);
    committed_ = true;
    // The rename is an entry in the directory: synced too, so it is not lost on a crash.
    // A directory that cannot be opened or synced (some network filesystems) is not an
    // error: the file itself is whole.
    const int dir = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

}  // namespace ll
