// One heading line recognised by a rule, before the document-wide checks (table of
// contents, numbering order) decide whether it stays in the outline.
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

#include "outline.h"

namespace ll {

struct HeadingMatch {
    StructureKind kind = StructureKind::Title;
    int rank = 0;  // nesting order: smaller ranks contain larger ones
    int number = -1;
    QString key;            // numbering sequence the number belongs to ("zh-article", "2.")
    bool has_body = false;  // the line carries text after the heading (条, SECTION. 1. ...)
    QString path;           // paper sections: "2.1"; a subsection needs its parent
    int title_length = -1;  // a heading run into its text: the length of the heading part
};

inline HeadingMatch make_heading(StructureKind kind, int rank, int number, const QString& key,
                                 bool has_body = false, const QString& path = {}) {
    HeadingMatch m;
    m.kind = kind;
    m.rank = rank;
    m.number = number;
    m.key = key;
    m.has_body = has_body;
    m.path = path;
    return m;
}

// Ranks, spaced so that paper subsections (40 + depth) fit between. Front and back matter
// stand beside the outermost heading whatever its rank: kMatter only marks them.
namespace rank {
constexpr int kMatter = -10, kTitle = 0, kPart = 10, kSubpart = 20, kChapter = 30, kInChapter = 32,
              kEnglishArticle = 35, kSection = 40, kChineseArticle = 50;
}

std::optional<HeadingMatch> match_chinese_heading(QStringView line);
std::optional<HeadingMatch> match_english_heading(QStringView line);
// Paper headings: Abstract, References, Appendix, "3.2 Title". `after_references` lets
// "A Title" count as an appendix.
std::optional<HeadingMatch> match_paper_heading(QStringView line, bool after_references);

// A book's front and back matter named on a line of its own: "PREFACE", "Letter 2",
// "ETYMOLOGY.", "EXTRACTS (Supplied by a Sub-Sub-Librarian).", "Epilogue", "AFTERWORD", and
// a contract's "SCHEDULE A", "Annex 2", "EXHIBIT B" (back matter, lettered A = 1). The caller
// checks that blank lines surround it.
std::optional<HeadingMatch> match_matter_heading(QStringView line);
// "Contents", "TABLE OF CONTENTS" alone on a line.
std::optional<HeadingMatch> match_contents_heading(QStringView line);
// A contract's numbered clauses: "1. DEFINITIONS." (a number and a title in capitals),
// "2.1 NONEXCLUSIVE RESELLER. Subject to …", "2.2.1 The Reseller shall …". The caller
// enables them only where such clauses number 1 and 2, and checks each has its parent.
std::optional<HeadingMatch> match_clause_heading(QStringView line);

}  // namespace ll
