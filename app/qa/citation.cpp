#include "citation.h"

namespace ll {

Citation cite(const Document& doc, qsizetype start, qsizetype end) {
    Citation c;
    c.start = start;
    c.end = end;
    c.page = doc.page_of(start);
    c.rects = doc.rects_for(start, end);
    c.text = doc.text.mid(start, end - start);
    return c;
}

}  // namespace ll
