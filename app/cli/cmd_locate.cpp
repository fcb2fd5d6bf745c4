// longlens-cli locate FILE --start S --end E [--json]: where a character range of the
// imported text is shown — page and rectangles for a PDF, line and column for text.
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "commands.h"
#include "documents/import_error.h"
#include "documents/importer.h"
#include "terminal_text.h"

namespace ll::cli {

namespace {

QJsonObject position_json(const TextPosition& p) {
    return QJsonObject{{"line", p.line}, {"column", p.column}};
}

// Pages are 1-based here, as a reader counts them; rectangles are in PDF points from the
// page's top-left corner.
QJsonObject locate_json(const Document& doc, qsizetype start, qsizetype end) {
    QJsonObject out{{"format", format_name(doc.format)},
                    {"start", double(start)},
                    {"end", double(end)},
                    {"text", doc.text.mid(start, end - start)},
                    {"from", position_json(doc.position_of(start))},
                    {"to", position_json(doc.position_of(end))}};
    if (doc.format != DocumentFormat::Pdf) return out;
    QJsonArray rects;
    QJsonArray pages;
    for (const PageRect& r : doc.rects_for(start, end)) {
        rects.append(QJsonObject{{"page", r.page + 1},
                                 {"x", r.rect.x()},
                                 {"y", r.rect.y()},
                                 {"width", r.rect.width()},
                                 {"height", r.rect.height()}});
        if (pages.isEmpty() || pages.last().toInt() != r.page + 1) pages.append(r.page + 1);
    }
    out["page"] = pages.isEmpty() ? QJsonValue() : pages.first();
    out["pages"] = pages;
    out["rects"] = rects;
    return out;
}

}  // namespace

int run_locate(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Show where a character range of a document is."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("the document"));
    parser.addOption({QStringLiteral("start"), QStringLiteral("first character (0-based)"),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("end"), QStringLiteral("one past the last character"),
                      QStringLiteral("E")});
    parser.addOption({QStringLiteral("encoding"), QStringLiteral("text encoding override"),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("print JSON")});
    parser.process(args);
    bool ok_start = false, ok_end = false;
    const qsizetype start = parser.value(QStringLiteral("start")).toLongLong(&ok_start);
    const qsizetype end = parser.value(QStringLiteral("end")).toLongLong(&ok_end);
    if (parser.positionalArguments().size() != 1 || !ok_start || !ok_end || start < 0 ||
        end < start) {
        std::fprintf(stderr,
                     "usage: longlens-cli locate FILE --start S --end E [--json] (0 <= S <= E)\n");
        return 2;
    }
    ImportOptions options;
    options.encoding = parser.value(QStringLiteral("encoding"));
    try {
        const Document doc = import_document(parser.positionalArguments()[0], options);
        if (end > doc.text.size()) {
            std::fprintf(
                stderr,
                "longlens-cli locate: %s: range end %lld is past the text's %lld characters\n",
                LL_TEXT(doc.path), static_cast<long long>(end),
                static_cast<long long>(doc.text.size()));
            return 1;
        }
        const QJsonObject out = locate_json(doc, start, end);
        if (parser.isSet(QStringLiteral("json"))) {
            std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
        }
    } catch (const ImportError& e) {
        std::fprintf(stderr, "longlens-cli locate: %s\n", LL_TEXT(std::string_view(e.what())));
        return 1;
    }
    return 0;
}

}  // namespace ll::cli
