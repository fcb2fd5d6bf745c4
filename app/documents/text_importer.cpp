#include "text_importer.h"

#include "import_error.h"
#include "structure_detector.h"

namespace ll {

DecodedText decode_file_text(const QString& path, const QByteArray& bytes,
                             const ImportOptions& options) {
    const QString encoding = options.encoding.isEmpty() ? detect_encoding(bytes) : options.encoding;
    if (options.encoding.isEmpty() && looks_binary(bytes, encoding))
        throw ImportError(path, QStringLiteral("not a text document (binary data, and not a PDF "
                                               "or EPUB either)"));
    try {
        return decode_text(bytes, encoding);
    } catch (const AppError&) {
        throw ImportError(path, QStringLiteral("unknown encoding '%1'").arg(encoding));
    }
}

Document TextImporter::import(const QString& path, const QByteArray& bytes,
                              const ImportOptions& options) const {
    DecodedText decoded = decode_file_text(path, bytes, options);
    Document doc;
    doc.path = path;
    doc.format = DocumentFormat::PlainText;
    doc.encoding = decoded.encoding;
    doc.text = std::move(decoded.text);
    if (decoded.invalid > 0)
        doc.warnings.append(QStringLiteral("%1 byte sequences are not valid %2 and were replaced "
                                           "by U+FFFD")
                                .arg(decoded.invalid)
                                .arg(decoded.encoding));
    doc.outline = detect_structure(doc.text);
    return doc;
}

}  // namespace ll
