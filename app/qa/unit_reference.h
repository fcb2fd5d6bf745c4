// Units a question names by their number — "第一千零四十三条", "Article 5", "§ 12", "chapter 12",
// "第十二回", "Section 3.1", "Table 2", "Clause 14.6" — and where the document has them. The
// outline (documents/outline.h) already knows where its articles, chapters and sections are;
// captions (Table, Figure) and numbered clauses are not in it and are found as the lines that
// start with them.
#pragma once

#include <QString>
#include <QStringView>

#include <optional>
#include <vector>

#include "documents/document.h"

namespace ll {

struct UnitReference {
    qsizetype start = 0;  // the reference's characters in the question
    qsizetype end = 0;
    QString text;                       // as the question writes it: "第十二回", "Section 3.1"
    std::optional<StructureKind> kind;  // the outline kind it names; unset: a caption or a clause
    QString word;                       // what names it in the text when not in the outline:
                                        // "Table", "Figure", "Clause"
    int number = -1;                    // 1043, 12, 5; -1 for a letter ("Appendix A")
    QString path;                       // "3.1", "14.6", "A"; empty for a plain number
    bool chained = false;  // follows the previous reference directly ("第二编第三章"): it is
                           // looked for inside that one
};

// The references in `question`, in order.
std::vector<UnitReference> find_unit_references(QStringView question);

// A place in the document a reference may mean.
struct UnitMatch {
    qsizetype start = 0;
    qsizetype end = 0;
    QString title;  // the heading or caption line, trimmed
};

// Every unit of `doc` that `ref` may mean, in document order, restricted to [within_start,
// within_end) (a chained reference's parent). An outline kind matches outline nodes of that
// kind and number (or whose title starts with the dotted path); a caption matches the lines
// that start with its word and number ("Table 2:"), taking the line's paragraph; a clause or a
// dotted section the outline does not have matches lines that start with the number.
std::vector<UnitMatch> match_unit(const Document& doc, const UnitReference& ref,
                                  qsizetype within_start = 0, qsizetype within_end = -1);

}  // namespace ll
