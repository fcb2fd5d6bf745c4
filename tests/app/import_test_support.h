// Helpers shared by the document-import tests: importing a file from ../shared, writing
// generated inputs into a temporary directory, and whitespace-insensitive comparison.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <string>

#include "documents/document.h"
#include "documents/importer.h"
#include "shared_data.h"

namespace lltest {

inline ll::Document import_shared(const std::string& rel, const ll::ImportOptions& options = {}) {
    return ll::import_document(QString::fromStdString(shared_path(rel)), options);
}

// Writes `bytes` to `name` inside `dir` and returns the path.
inline QString write_file(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(bytes);
    return path;
}

// Drops every kind of whitespace, so that text from a PDF (line breaks where the page
// ended) and from a Markdown source (blank lines) can be compared.
inline QString without_spaces(QStringView s) {
    QString out;
    out.reserve(s.size());
    for (QChar c : s)
        if (!c.isSpace()) out.append(c);
    return out;
}

inline QString text_of(const ll::Document& doc, const ll::OutlineNode& n) {
    return doc.text.mid(n.start, n.end - n.start);
}

}  // namespace lltest
