// Read-only access to the members of a ZIP archive held in memory (libzip). What it inflates
// is bounded (issue 21 §2): one member at most kMaxMemberBytes, all members read together at
// most kMaxInflatedBytes; past either the import is refused naming the limit (a ZIP bomb
// would otherwise take gigabytes of memory).
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

struct zip;

namespace ll {

class EpubArchive {
  public:
    static constexpr qint64 kMaxMemberBytes = 64LL * 1024 * 1024;
    static constexpr qint64 kMaxInflatedBytes = 256LL * 1024 * 1024;

    // Throws ImportError naming `path` when the bytes are not a readable ZIP archive.
    EpubArchive(const QString& path, const QByteArray& bytes);
    ~EpubArchive();
    EpubArchive(const EpubArchive&) = delete;
    EpubArchive& operator=(const EpubArchive&) = delete;

    // The member's bytes, or nullopt when it is missing or unreadable. Throws ImportError
    // when it, or it with what was read before, inflates past the limits above.
    std::optional<QByteArray> read(const QString& name) const;
    // The size the member declares inflated; 0 when it is missing.
    qint64 declared_size(const QString& name) const;
    // Refuses (ImportError) when `bytes` more would pass kMaxInflatedBytes.
    void check_total(qint64 bytes) const;

  private:
    QString path_;
    QByteArray bytes_;  // libzip reads from this buffer; it must outlive the archive
    zip* archive_ = nullptr;
    mutable qint64 inflated_ = 0;  // bytes read so far, against kMaxInflatedBytes
};

}  // namespace ll
