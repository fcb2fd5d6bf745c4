// What every imported Document promises its readers (document.h, outline.h), checked by the
// document fuzzers after each import: a broken promise is a finding (trap), as a crash is.
// Then every outline range is located as the views and citations locate them.
#pragma once

#include "documents/document.h"

namespace lltest {

inline void require(bool holds) {
    if (!holds) __builtin_trap();
}

inline void check_document(ll::Document& doc) {
    doc.index_lines();
    const qsizetype n = doc.text.size();
    if (doc.format == ll::DocumentFormat::Pdf) {
        require(doc.boxes.size() == n);  // one box per character
        for (const ll::CharBox& b : doc.boxes) require(b.page >= 0 && b.page < doc.page_count);
        require(doc.page_labels.isEmpty() || doc.page_labels.size() == doc.page_count);
    }
    for (qsizetype i = 0; i < doc.outline.size(); ++i) {
        const ll::OutlineNode& node = doc.outline[i];
        require(0 <= node.start && node.start <= node.end && node.end <= n);
        require(node.target >= -1 && node.target < doc.outline.size());
        (void)doc.rects_for(node.start, node.end);
        (void)doc.page_of(node.start);
        (void)doc.position_of(node.end);
    }
    for (int page = 0; page < doc.page_count; ++page) (void)doc.page_reference(page);
    (void)doc.rects_for(0, n);
    (void)doc.position_of(n);
}

}  // namespace lltest
