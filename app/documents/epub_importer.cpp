#include "epub_importer.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QXmlStreamReader>

#include <algorithm>

#include "epub_archive.h"
#include "import_error.h"
#include "structure_detector.h"

namespace ll {

namespace {

struct SpineItem {
    QString href;   // archive path
    QString title;  // from the navigation document, may be empty
};

// Resolves `href` (relative to the directory of `base`) to an archive path.
QString resolve(const QString& base, const QString& href) {
    const QString dir =
        base.contains(QLatin1Char('/')) ? base.left(base.lastIndexOf('/') + 1) : QString();
    QString path =
        QUrl(QStringLiteral("file:///") + dir).resolved(QUrl(href.section('#', 0, 0))).path();
    return QUrl::fromPercentEncoding(path.mid(1).toUtf8());
}

QString rootfile_of(const QString& path, const EpubArchive& zip) {
    const auto container = zip.read(QStringLiteral("META-INF/container.xml"));
    if (!container)
        throw ImportError(path, QStringLiteral("not an EPUB: META-INF/container.xml is missing"));
    QXmlStreamReader xml(*container);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("rootfile"))
            return xml.attributes().value(QLatin1String("full-path")).toString();
    }
    throw ImportError(path, QStringLiteral("not an EPUB: container.xml names no package file"));
}

// Navigation titles by target document: EPUB 3 nav.xhtml (<a href>) or EPUB 2 toc.ncx.
QHash<QString, QString> read_nav(const EpubArchive& zip, const QString& nav_path) {
    QHash<QString, QString> titles;
    const auto bytes = zip.read(nav_path);
    if (!bytes) return titles;
    QXmlStreamReader xml(*bytes);
    QString label;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        if (xml.name() == QLatin1String("a")) {
            const QString href =
                resolve(nav_path, xml.attributes().value(QLatin1String("href")).toString());
            const QString text =
                xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
            if (!titles.contains(href)) titles.insert(href, text);
        } else if (xml.name() == QLatin1String("text")) {
            label = xml.readElementText().simplified();
        } else if (xml.name() == QLatin1String("content")) {
            const QString href =
                resolve(nav_path, xml.attributes().value(QLatin1String("src")).toString());
            if (!titles.contains(href)) titles.insert(href, label);
        }
    }
    return titles;
}

QList<SpineItem> read_spine(const QString& path, const EpubArchive& zip, const QString& opf_path) {
    const auto opf = zip.read(opf_path);
    if (!opf)
        throw ImportError(path,
                          QStringLiteral("not an EPUB: package file %1 is missing").arg(opf_path));
    QHash<QString, QString> hrefs;
    QString nav_path;
    QStringList order;
    QXmlStreamReader xml(*opf);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto a = xml.attributes();
        if (xml.name() == QLatin1String("item")) {
            const QString href = resolve(opf_path, a.value(QLatin1String("href")).toString());
            hrefs.insert(a.value(QLatin1String("id")).toString(), href);
            if (a.value(QLatin1String("properties")).contains(QLatin1String("nav")) ||
                (nav_path.isEmpty() &&
                 a.value(QLatin1String("media-type")) == QLatin1String("application/x-dtbncx+xml")))
                nav_path = href;
        } else if (xml.name() == QLatin1String("itemref")) {
            order.append(a.value(QLatin1String("idref")).toString());
        }
    }
    if (xml.hasError() && order.isEmpty())
        throw ImportError(
            path, QStringLiteral("EPUB package file is not valid XML: %1").arg(xml.errorString()));
    const QHash<QString, QString> titles = read_nav(zip, nav_path);
    QList<SpineItem> spine;
    for (const QString& id : order)
        if (hrefs.contains(id)) spine.append({hrefs[id], titles.value(hrefs[id])});
    if (spine.isEmpty())
        throw ImportError(path, QStringLiteral("the EPUB's spine lists no documents"));
    return spine;
}

bool is_block(QStringView name) {
    static const QStringList kBlocks = {"p",   "div",     "br",        "h1",    "h2", "h3",
                                        "h4",  "h5",      "h6",        "li",    "tr", "blockquote",
                                        "pre", "section", "article",   "title", "dt", "dd",
                                        "hr",  "table",   "figcaption"};
    return kBlocks.contains(name.toString());
}

// Markup-free fallback for XHTML the XML reader refuses (HTML entities, bad nesting).
QString strip_tags(const QByteArray& html) {
    QString s = QString::fromUtf8(html);
    s.remove(QRegularExpression(QStringLiteral("<(script|style|head)[^>]*>.*?</\\1>"),
                                QRegularExpression::DotMatchesEverythingOption |
                                    QRegularExpression::CaseInsensitiveOption));
    s.replace(QRegularExpression(QStringLiteral("</?(p|div|br|h[1-6]|li|tr)[^>]*>"),
                                 QRegularExpression::CaseInsensitiveOption),
              QStringLiteral("\n"));
    s.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    s.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    s.replace(QLatin1String("&lt;"), QLatin1String("<"));
    s.replace(QLatin1String("&gt;"), QLatin1String(">"));
    s.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return s;
}

QString tidy_lines(const QString& raw) {
    QStringList lines;
    for (const QString& l : raw.split(QLatin1Char('\n'))) {
        const QString t = l.simplified();
        if (!t.isEmpty()) lines.append(t);
    }
    return lines.join(QLatin1Char('\n'));
}

}  // namespace

QString xhtml_to_text(const QByteArray& xhtml) {
    QXmlStreamReader xml(xhtml);
    QString out;
    int skip = 0;  // depth inside <head>, <script>, <style>
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto n = xml.name();
            if (n == QLatin1String("head") || n == QLatin1String("script") ||
                n == QLatin1String("style"))
                ++skip;
            else if (is_block(n))
                out.append(QLatin1Char('\n'));
        } else if (xml.isEndElement()) {
            const auto n = xml.name();
            if (n == QLatin1String("head") || n == QLatin1String("script") ||
                n == QLatin1String("style"))
                --skip;
            else if (is_block(n))
                out.append(QLatin1Char('\n'));
        } else if (xml.isCharacters() && skip == 0) {
            out.append(xml.text());
        }
    }
    if (xml.hasError()) return tidy_lines(strip_tags(xhtml));
    return tidy_lines(out);
}

Document EpubImporter::import(const QString& path, const QByteArray& bytes,
                              const ImportOptions&) const {
    const EpubArchive zip(path, bytes);
    const QList<SpineItem> spine = read_spine(path, zip, rootfile_of(path, zip));
    Document doc;
    doc.path = path;
    doc.format = DocumentFormat::Epub;
    doc.encoding = QStringLiteral("UTF-8");
    // The spine's documents together, as their archive declares them, before inflating any:
    // a bomb is refused at once rather than after gigabytes.
    qint64 declared = 0;
    QSet<QString> distinct;
    for (const SpineItem& item : spine)
        if (!distinct.contains(item.href)) {
            distinct.insert(item.href);
            const qint64 past_limit = EpubArchive::kMaxInflatedBytes + 1;  // no overflow
            declared = std::min(declared + std::min(zip.declared_size(item.href), past_limit),
                                past_limit);
        }
    zip.check_total(declared);
    Outline nav;
    // A spine that lists one document many times would repeat its text as often (and the
    // work): each is read once, and the repeats named in one warning each.
    QHash<QString, int> listed;
    for (const SpineItem& item : spine) {
        if (++listed[item.href] > 1) continue;
        const auto xhtml = zip.read(item.href);
        if (!xhtml) {
            doc.warnings.append(QStringLiteral("spine document %1 is missing").arg(item.href));
            continue;
        }
        const QString text = xhtml_to_text(*xhtml);
        if (text.isEmpty()) continue;
        if (!doc.text.isEmpty()) doc.text.append(QLatin1Char('\n'));
        if (!item.title.isEmpty())
            nav.append({StructureKind::Chapter, 0, -1, item.title, doc.text.size(), 0});
        doc.text.append(text);
    }
    for (const SpineItem& item : spine)
        if (const int n = listed.take(item.href); n > 1)
            doc.warnings.append(QStringLiteral("the spine lists %1 %2 times; its text is read once")
                                    .arg(item.href)
                                    .arg(n));
    for (qsizetype i = 0; i < nav.size(); ++i)
        nav[i].end = i + 1 < nav.size() ? nav[i + 1].start : doc.text.size();
    doc.outline = detect_structure(doc.text);
    const bool has_chapters =
        doc.count(StructureKind::Chapter) + doc.count(StructureKind::Part) > 0;
    if (!has_chapters && !nav.isEmpty()) doc.outline = nav;
    return doc;
}

}  // namespace ll
