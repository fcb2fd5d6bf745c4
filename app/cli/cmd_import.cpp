// longlens-cli import FILE [--encoding E] [--json]: what LongLens makes of a document —
// format, detected encoding, size, pages and the structure outline.
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "commands.h"
#include "documents/import_error.h"
#include "documents/importer.h"

namespace ll::cli {

namespace {

QJsonObject counts_of(const Document& doc) {
    QJsonObject counts;
    // The four every caller expects, then whatever else the document has.
    for (StructureKind k : {StructureKind::Part, StructureKind::Chapter, StructureKind::Section,
                            StructureKind::Article})
        counts[kind_name(k)] = doc.count(k);
    for (StructureKind k :
         {StructureKind::Subpart, StructureKind::Amendment, StructureKind::Supplementary,
          StructureKind::Abstract, StructureKind::References, StructureKind::Appendix})
        if (doc.count(k) > 0) counts[kind_name(k)] = doc.count(k);
    return counts;
}

QJsonObject to_json(const Document& doc) {
    QJsonArray outline;
    for (const OutlineNode& n : doc.outline) {
        QJsonObject o{{"kind", kind_name(n.kind)},
                      {"level", n.level},
                      {"title", n.title},
                      {"start", double(n.start)},
                      {"end", double(n.end)}};
        if (n.number >= 0) o["number"] = n.number;
        outline.append(o);
    }
    return QJsonObject{{"format", format_name(doc.format)},
                       {"encoding", doc.encoding},
                       {"chars", double(doc.text.size())},
                       {"pages", doc.page_count},
                       {"counts", counts_of(doc)},
                       {"warnings", QJsonArray::fromStringList(doc.warnings)},
                       {"outline", outline}};
}

void print_summary(const Document& doc) {
    std::printf("%s: %s, %s, %lld characters", qPrintable(doc.path),
                qPrintable(format_name(doc.format)), qPrintable(doc.encoding),
                static_cast<long long>(doc.text.size()));
    if (doc.page_count > 0) std::printf(", %d pages", doc.page_count);
    std::printf("\n");
    const QJsonObject counts = counts_of(doc);
    for (auto it = counts.begin(); it != counts.end(); ++it)
        std::printf("  %-14s %d\n", qPrintable(it.key()), it.value().toInt());
    for (const QString& w : doc.warnings) std::printf("warning: %s\n", qPrintable(w));
}

}  // namespace

int run_import(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Import a document and show its structure."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("PDF, EPUB, Markdown or text"));
    parser.addOption({QStringLiteral("encoding"),
                      QStringLiteral("decode text with this encoding instead of detecting it"),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("print JSON")});
    parser.process(args);
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: longlens-cli import FILE [--encoding E] [--json]\n");
        return 2;
    }
    ImportOptions options;
    options.encoding = parser.value(QStringLiteral("encoding"));
    try {
        const Document doc = import_document(parser.positionalArguments()[0], options);
        if (parser.isSet(QStringLiteral("json")))
            std::printf("%s\n",
                        QJsonDocument(to_json(doc)).toJson(QJsonDocument::Compact).constData());
        else
            print_summary(doc);
    } catch (const ImportError& e) {
        std::fprintf(stderr, "longlens-cli import: %s\n", e.what());
        return 1;
    }
    return 0;
}

}  // namespace ll::cli
