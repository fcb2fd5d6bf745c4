// A file replaced whole or not at all: written to a temporary file beside it, flushed and
// fsync'd (each checked), renamed over the old one, and the directory fsync'd so the rename
// itself survives a crash. Until commit() succeeds the old file is untouched; a write that
// fails (a full disk, a file-size limit, an I/O error) throws EngineError naming the file
// and the problem, and the temporary file is removed. Used for every file LongLens writes
// for the user (exports, the document cache; the library is SQLite's own transactions).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ll {

class AtomicFile {
  public:
    // Creates the temporary file (mode 0666 less the umask, like an ordinary new file).
    explicit AtomicFile(std::string path);
    ~AtomicFile();  // removes the temporary file unless committed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(const void* data, size_t bytes);
    void write(std::string_view text) { write(text.data(), text.size()); }
    // fsync, close, rename over the target, fsync of the directory.
    void commit();

    const std::string& path() const { return path_; }

  private:
    [[noreturn]] void fail(const std::string& what, int error_number);

    std::string path_;
    std::string tmp_;
    int fd_ = -1;
    bool committed_ = false;
};

// The whole of `bytes` as the new content of `path`, atomically (throws EngineError).
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace ll
