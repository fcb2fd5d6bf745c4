// longlens-cli import FILE [--encoding E] [--json] [--text]: what LongLens makes of a
// document — format, detected encoding, size, pages, the structure outline and, for a
// paper, its parts (title, authors, sections, captions, footnotes, references).
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

#include "commands.h"
#include "documents/import_error.h"
#include "documents/importer.h"
#include "documents/paper_structure.h"
#include "terminal_text.h"

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

// `start`/`end` count UTF-16 code units (what QString and JavaScript index by);
// `start_cp`/`end_cp` count Unicode code points (what Python indexes by). They differ only
// after a character outside the Basic Multilingual Plane (rare Han characters, emoji).
class CodePoints {
  public:
    explicit CodePoints(const QString& text) {
        for (qsizetype i = 1; i < text.size(); ++i)
            if (text[i].isLowSurrogate() && text[i - 1].isHighSurrogate()) low_.append(i);
    }
    double at(qsizetype utf16) const {
        return double(utf16 - (std::lower_bound(low_.begin(), low_.end(), utf16) - low_.begin()));
    }

  private:
    QList<qsizetype> low_;  // offsets of the second halves of surrogate pairs
};

QJsonObject span_json(TextSpan s) {
    return QJsonObject{{"start", double(s.start)}, {"end", double(s.end)}};
}

QJsonObject paper_json(const PaperStructure& p, const CodePoints& cp) {
    QJsonArray sections, captions, footnotes, references;
    for (const PaperSection& s : p.sections) {
        QJsonObject o = span_json(s.span);
        o["kind"] = s.kind;
        o["title"] = s.title;
        o["level"] = s.level;
        if (!s.number.isEmpty()) o["number"] = s.number;
        sections.append(o);
    }
    for (const PaperCaption& c : p.captions) {
        QJsonObject o = span_json(c.span);
        o["kind"] = c.kind;
        o["number"] = c.number;
        o["text"] = c.text;
        captions.append(o);
    }
    for (const PaperFootnote& f : p.footnotes) {
        QJsonObject o = span_json(f.span);
        o["marker"] = f.marker;
        o["text"] = f.text;
        if (f.page >= 0) o["page"] = f.page + 1;
        if (f.marker_at >= 0) {  // where its mark stands in the body
            o["marker_at"] = double(f.marker_at);
            o["marker_at_cp"] = cp.at(f.marker_at);
        }
        footnotes.append(o);
    }
    for (const PaperReference& r : p.references) {
        QJsonObject o = span_json(r.span);
        o["number"] = r.number;
        if (!r.label.isEmpty()) o["label"] = r.label;
        o["authors"] = QJsonArray::fromStringList(r.authors);
        o["title"] = r.title;
        if (r.year > 0) o["year"] = r.year;
        if (!r.venue.isEmpty()) o["venue"] = r.venue;
        if (!r.arxiv.isEmpty()) o["arxiv"] = r.arxiv;
        references.append(o);
    }
    QJsonObject out{{"title", p.title},       {"authors", QJsonArray::fromStringList(p.authors)},
                    {"sections", sections},   {"captions", captions},
                    {"footnotes", footnotes}, {"references", references}};
    if (!p.abstract.empty()) out["abstract"] = span_json(p.abstract);
    return out;
}

QJsonObject to_json(const Document& doc) {
    QJsonArray outline;
    const CodePoints cp(doc.text);
    for (const OutlineNode& n : doc.outline) {
        QJsonObject o{{"kind", kind_name(n.kind)}, {"level", n.level},
                      {"title", n.title},          {"start", double(n.start)},
                      {"end", double(n.end)},      {"start_cp", cp.at(n.start)},
                      {"end_cp", cp.at(n.end)}};
        if (n.number >= 0) o["number"] = n.number;
        if (n.target >= 0) o["target"] = n.target;  // a contents entry: the heading it names
        if (const int page = doc.page_of(n.start); page >= 0) {
            o["page"] = page + 1;  // physical, 1-based
            o["page_label"] = doc.page_label(page);
        }
        outline.append(o);
    }
    QJsonObject out{{"format", format_name(doc.format)},
                    {"encoding", doc.encoding},
                    {"chars", double(doc.text.size())},
                    {"pages", doc.page_count},
                    {"counts", counts_of(doc)},
                    {"warnings", QJsonArray::fromStringList(doc.warnings)},
                    {"outline", outline}};
    if (!doc.page_labels.isEmpty())
        out["page_labels"] = QJsonArray::fromStringList(doc.page_labels);
    if (doc.outline.isEmpty())
        out["outline_note"] = doc.page_count > 0
                                  ? QStringLiteral("no structure found; navigate by page")
                                  : QStringLiteral("no structure found; navigate by paragraph");
    const PaperStructure paper = detect_paper_structure(doc);
    if (paper.is_paper) out["paper"] = paper_json(paper, cp);
    return out;
}

void print_summary(const Document& doc) {
    std::printf("%s: %s, %s, %lld characters", LL_TEXT(doc.path), LL_TEXT(format_name(doc.format)),
                LL_TEXT(doc.encoding), static_cast<long long>(doc.text.size()));
    if (doc.page_count > 0) std::printf(", %d pages", doc.page_count);
    std::printf("\n");
    const QJsonObject counts = counts_of(doc);
    for (auto it = counts.begin(); it != counts.end(); ++it)
        std::printf("  %-14s %d\n", LL_TEXT(it.key()), it.value().toInt());
    const PaperStructure paper = detect_paper_structure(doc);
    if (paper.is_paper) {
        if (!paper.title.isEmpty()) std::printf("  title          %s\n", LL_TEXT(paper.title));
        if (!paper.authors.isEmpty())
            std::printf("  authors        %s\n", LL_TEXT(paper.authors.join(QStringLiteral(", "))));
        std::printf("  figures        %d\n", paper.count_captions(QStringLiteral("figure")));
        std::printf("  tables         %d\n", paper.count_captions(QStringLiteral("table")));
        std::printf("  footnotes      %d\n", int(paper.footnotes.size()));
        std::printf("  bibliography   %d entries\n", int(paper.references.size()));
    }
    for (const QString& w : doc.warnings) std::printf("warning: %s\n", LL_TEXT(w));
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
    parser.addOption({QStringLiteral("text"),
                      QStringLiteral("print the text as imported (PDFs: the reading order)")});
    parser.process(args);
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: longlens-cli import FILE [--encoding E] [--json] [--text]\n");
        return 2;
    }
    ImportOptions options;
    options.encoding = parser.value(QStringLiteral("encoding"));
    try {
        const Document doc = import_document(parser.positionalArguments()[0], options);
        if (parser.isSet(QStringLiteral("text")))
            std::printf("%s\n", LL_TEXT(doc.text));
        else if (parser.isSet(QStringLiteral("json")))
            std::printf("%s\n",
                        QJsonDocument(to_json(doc)).toJson(QJsonDocument::Compact).constData());
        else
            print_summary(doc);
    } catch (const ImportError& e) {
        std::fprintf(stderr, "longlens-cli import: %s\n", LL_TEXT(std::string_view(e.what())));
        return 1;
    }
    return 0;
}

}  // namespace ll::cli
