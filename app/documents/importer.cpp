#include "importer.h"

#include <QFile>
#include <QFileInfo>

#include <new>

#include "epub_importer.h"
#include "import_error.h"
#include "markdown_importer.h"
#include "pdf_importer.h"
#include "text_importer.h"

namespace ll {

namespace {

bool is_markdown_name(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("md") || suffix == QLatin1String("markdown") ||
           suffix == QLatin1String("mdown");
}

// ATX headings at the start of lines are the one Markdown feature plain text never has.
bool has_markdown_headings(const QByteArray& bytes) {
    const QByteArray head = bytes.left(64 * 1024);
    int headings = 0;
    if (head.startsWith("# ") || head.startsWith("## ")) ++headings;
    for (qsizetype i = head.indexOf("\n#"); i >= 0; i = head.indexOf("\n#", i + 1)) {
        qsizetype j = i + 1;
        while (j < head.size() && head[j] == '#' && j - i <= 6) ++j;
        if (j < head.size() && head[j] == ' ') ++headings;
    }
    return headings >= 3;
}

const Importer& importer_for(DocumentFormat format) {
    static const TextImporter text;
    static const MarkdownImporter markdown;
    static const PdfImporter pdf;
    static const EpubImporter epub;
    switch (format) {
        case DocumentFormat::Pdf:
            return pdf;
        case DocumentFormat::Epub:
            return epub;
        case DocumentFormat::Markdown:
            return markdown;
        case DocumentFormat::PlainText:
            break;
    }
    return text;
}

}  // namespace

DocumentFormat sniff_format(const QString& path, const QByteArray& bytes) {
    // PDF readers accept the header anywhere in the first kilobyte.
    if (bytes.left(1024).contains("%PDF-")) return DocumentFormat::Pdf;
    if (bytes.startsWith("PK\x03\x04") && (bytes.mid(30, 28) == "mimetypeapplication/epub+zip" ||
                                           bytes.left(4096).contains("META-INF/container.xml")))
        return DocumentFormat::Epub;
    if (is_markdown_name(path) || has_markdown_headings(bytes)) return DocumentFormat::Markdown;
    return DocumentFormat::PlainText;
}

Document import_document(const QString& path, const ImportOptions& options) {
    QFile file(path);
    if (!file.exists()) throw ImportError(path, QStringLiteral("no such file"));
    // Opening a FIFO would wait for a writer for ever; folders, sockets and devices are no
    // documents either.
    if (const QFileInfo info(path); !info.isFile())
        throw ImportError(path, info.isDir() ? QStringLiteral("is a folder, not a document")
                                             : QStringLiteral("is not a regular file (a FIFO, "
                                                              "socket or device)"));
    if (!file.open(QIODevice::ReadOnly))
        throw ImportError(path, QStringLiteral("cannot be read: %1").arg(file.errorString()));
    if (file.size() == 0) throw ImportError(path, QStringLiteral("the file is empty (0 bytes)"));
    if (file.size() > kMaxImportBytes)
        throw ImportError(path, QStringLiteral("%1 MB is larger than the %2 MB LongLens imports")
                                    .arg(file.size() / (1024 * 1024))
                                    .arg(kMaxImportBytes / (1024 * 1024)));
    try {
        const QByteArray bytes = file.readAll();
        if (bytes.size() != file.size())
            throw ImportError(path, QStringLiteral("could not be read completely"));
        Document doc = importer_for(sniff_format(path, bytes)).import(path, bytes, options);
        doc.index_lines();
        return doc;
    } catch (const std::bad_alloc&) {
        throw ImportError(path, QStringLiteral("not enough memory to import its %1 MB")
                                    .arg(double(file.size()) / (1024 * 1024), 0, 'f', 1));
    }
}

}  // namespace ll
