// Read-only access to the members of a ZIP archive held in memory (libzip).
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

struct zip;

namespace ll {

class EpubArchive {
  public:
    // Throws ImportError naming `path` when the bytes are not a readable ZIP archive.
    EpubArchive(const QString& path, const QByteArray& bytes);
    ~EpubArchive();
    EpubArchive(const EpubArchive&) = delete;
    EpubArchive& operator=(const EpubArchive&) = delete;

    // The member's bytes, or nullopt when it is missing or unreadable.
    std::optional<QByteArray> read(const QString& name) const;

  private:
    QByteArray bytes_;  // libzip reads from this buffer; it must outlive the archive
    zip* archive_ = nullptr;
};

}  // namespace ll
