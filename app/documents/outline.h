// The structure tree of a document, stored flat in reading order: every node knows its
// kind, its depth and the character range it covers, which is all a view or a retriever
// needs. Children follow their parent and have a larger level.
#pragma once

#include <QList>
#include <QString>

namespace ll {

enum class StructureKind {
    Title,          // a document title or an unnumbered Markdown heading
    Part,           // 编, Part, Book
    Subpart,        // 分编
    Chapter,        // 章, 回, CHAPTER, ARTICLE I of the US Constitution's articles is an Article
    Section,        // 节, Section, §, numbered paper sections
    Article,        // 条, Article N
    Amendment,      // Amendment N
    Supplementary,  // 附则: provisions outside the numbered parts
    Abstract,
    References,
    Appendix,
    FrontMatter,    // before the work: a Gutenberg header, preface, letters, etymology
    BackMatter,     // after it: epilogue, afterword, notes, a Gutenberg licence
    Contents,       // a table of contents
    ContentsEntry,  // one line of it; `target` is the heading it names
};

QString kind_name(StructureKind kind);

struct OutlineNode {
    StructureKind kind = StructureKind::Title;
    int level = 0;    // 0 = outermost
    int number = -1;  // the heading's own number (第十二条 → 12, Article IV → 4); -1 if none
    QString title;    // the heading line as shown, trimmed
    qsizetype start = 0;  // first character of the heading
    qsizetype end = 0;    // one past the last character before the next node of the same or an
                          // outer level (or the end of the text)
    int target = -1;      // ContentsEntry: index in the outline of the heading it names; -1 if none
};

using Outline = QList<OutlineNode>;

}  // namespace ll
