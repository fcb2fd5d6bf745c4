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

// Comments go, but their line breaks stay, so that line numbers still match the source.
QString remove_comments(const QString& source) {
    static const QRegularExpression comment(QStringLiteral("<!--.*?-->"),
                                            QRegularExpression::DotMatchesEverythingOption);
    if (!source.contains(QLatin1String("<!--"))) return source;
    QString out;
    qsizetype pos = 0;
    for (auto it = comment.globalMatch(source); it.hasNext();) {
        const auto m = it.next();
        out += QStringView(source).mid(pos, m.capturedStart() - pos);
        out += QString(m.capturedView().count(QLatin1Char('\n')), QLatin1Char('\n'));
        pos = m.capturedEnd();
    }
    out += QStringView(source).mid(pos);
    return out;
}

// Every source line gives exactly one output line (markup-only lines become empty), so
// Document::position_of() names the line a user sees in their editor.
QString markdown_to_text(const QString& source, QHash<qsizetype, int>* headings) {
    QString out;
    out.reserve(source.size());
    bool in_code = false;
    const QStringList lines = remove_comments(source).split(QLatin1Char('\n'));
    qsizetype previous_start = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        const qsizetype start = out.size();
        if (line.trimmed().startsWith(QLatin1String("```"))) {
            in_code = !in_code;
            line.clear();
        } else if (!in_code) {
            qsizetype hashes = 0;
            while (hashes < line.size() && hashes < 7 && line[hashes] == QLatin1Char('#')) ++hashes;
            if (hashes >= 1 && hashes <= 6 && (hashes == line.size() || line[hashes].isSpace())) {
                line = line.mid(hashes).trimmed();  // a stray '##' leaves an empty line
                if (headings && !line.isEmpty()) headings->insert(start, int(hashes));
            } else if (is_setext_underline(line) && i > 0 && !lines[i - 1].trimmed().isEmpty()) {
                if (headings) headings->insert(previous_start, line.trimmed()[0] == u'=' ? 1 : 2);
                line.clear();
            } else if (line.startsWith(QLatin1String("> "))) {
                line = line.mid(2);
            }
            line = strip_inline(line);
        }
        out.append(line);
        if (i + 1 < lines.size()) out.append(QLatin1Char('\n'));
        previous_start = start;
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
