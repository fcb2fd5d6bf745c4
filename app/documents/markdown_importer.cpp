#include "markdown_importer.h"

#include <QRegularExpression>

#include "structure_detector.h"
#include "text_importer.h"

namespace ll {

namespace {

// Inline markup: images and links keep their text, emphasis and code marks go.
QString strip_inline(QString line) {
    static const QRegularExpression image(QStringLiteral("!\\[([^\\]]*)\\]\\([^)]*\\)"));
    static const QRegularExpression link(QStringLiteral("\\[([^\\]]+)\\]\\([^)]*\\)"));
    static const QRegularExpression emphasis(
        QStringLiteral("(\\*\\*|__|\\*(?=\\S)|(?<=\\S)\\*|`)"));
    if (!line.contains(QLatin1Char('[')) && !line.contains(QLatin1Char('*')) &&
        !line.contains(QLatin1Char('_')) && !line.contains(QLatin1Char('`')))
        return line;
    line.replace(image, QStringLiteral("\\1"));
    line.replace(link, QStringLiteral("\\1"));
    line.replace(emphasis, QString());
    return line;
}

bool is_setext_underline(QStringView line) {
    const QStringView t = line.trimmed();
    if (t.size() < 3) return false;
    const QChar c = t[0];
    if (c != u'=' && c != u'-') return false;
    for (QChar x : t)
        if (x != c) return false;
    return true;
}

}  // namespace

QString markdown_to_text(const QString& source, QHash<qsizetype, int>* headings) {
    static const QRegularExpression comment(QStringLiteral("<!--.*?-->"),
                                            QRegularExpression::DotMatchesEverythingOption);
    QString src = source;
    src.replace(comment, QString());
    QString out;
    out.reserve(src.size());
    bool in_code = false;
    const QStringList lines = src.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (line.trimmed().startsWith(QLatin1String("```"))) {
            in_code = !in_code;
            continue;
        }
        if (!in_code) {
            qsizetype hashes = 0;
            while (hashes < line.size() && hashes < 7 && line[hashes] == QLatin1Char('#')) ++hashes;
            if (hashes >= 1 && hashes <= 6 && (hashes == line.size() || line[hashes].isSpace())) {
                line = line.mid(hashes).trimmed();
                if (line.isEmpty()) continue;  // a stray '##' carries nothing
                if (headings) headings->insert(out.size(), int(hashes));
            } else if (is_setext_underline(line) && i > 0 && !lines[i - 1].trimmed().isEmpty()) {
                continue;
            } else if (line.startsWith(QLatin1String("> "))) {
                line = line.mid(2);
            }
            line = strip_inline(line);
        }
        out.append(line);
        if (i + 1 < lines.size()) out.append(QLatin1Char('\n'));
    }
    return out;
}

Document MarkdownImporter::import(const QString& path, const QByteArray& bytes,
                                  const ImportOptions& options) const {
    DecodedText decoded = decode_file_text(path, bytes, options);
    Document doc;
    doc.path = path;
    doc.format = DocumentFormat::Markdown;
    doc.encoding = decoded.encoding;
    StructureHints hints;
    doc.text = markdown_to_text(decoded.text, &hints.markdown_headings);
    if (decoded.invalid > 0)
        doc.warnings.append(QStringLiteral("%1 byte sequences are not valid %2")
                                .arg(decoded.invalid)
                                .arg(decoded.encoding));
    doc.outline = detect_structure(doc.text, hints);
    return doc;
}

}  // namespace ll
