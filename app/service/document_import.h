// Importing a document off the GUI thread: the future carries either the document or the
// importer's message (which starts with the file name), never an exception.
#pragma once

#include <QFuture>
#include <QString>

#include <memory>

#include "documents/document.h"

namespace ll {

struct ImportOutcome {
    QString path;
    std::shared_ptr<const Document> document;  // null on failure
    QString error;
};

QFuture<ImportOutcome> import_async(const QString& path);

// "PDF · 120 pages · 1260 articles" for the library and status bar.
QString describe_document(const Document& document);

}  // namespace ll
