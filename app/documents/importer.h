// Turning a file into a Document. One importer per format; import_document() reads the
// file once, picks the importer by looking at the bytes (magic numbers first, the file
// name only to tell Markdown from plain text) and fills in the structure.
#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>

#include "document.h"

namespace ll {

struct ImportOptions {
    QString encoding;  // text formats: decode with this instead of detecting; empty = detect
    // Called from the importing thread as pages are read (PDF: pages done, page count).
    std::function<void(int done, int total)> on_progress;
    // Checked between pages; when it becomes true the import stops with an ImportError.
    const std::atomic_bool* cancel = nullptr;
};

class Importer {
  public:
    virtual ~Importer() = default;
    virtual DocumentFormat format() const = 0;
    // `bytes` is the whole file. Throws ImportError naming `path` when it cannot be read.
    virtual Document import(const QString& path, const QByteArray& bytes,
                            const ImportOptions& options) const = 0;
};

// What a file is, from its first bytes and its name.
DocumentFormat sniff_format(const QString& path, const QByteArray& bytes);

// Reads, sniffs and imports. Throws ImportError (message starts with the path).
Document import_document(const QString& path, const ImportOptions& options = {});

// Files larger than this are refused before reading: a document this size is not a book.
constexpr qint64 kMaxImportBytes = 128LL * 1024 * 1024;

}  // namespace ll
