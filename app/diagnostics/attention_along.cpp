#include "diagnostics/attention_along.h"

#include <algorithm>


namespace ll {

AttentionAlong attention_along(qsizetype document_chars, const PromptTokens& prompt,
                               const AttentionCapture& capture,
                               const std::vector<double>& mass, int bins) {
    AttentionAlong a;
    a.document_chars = std::max<qsizetype>(1, document_chars);
    a.bins = std::max(1, bins);
    a.raw.assign(a.bins, 0.0);
    a.excess.assign(a.bins, 0.0);
    a.by_depth.assign(10, 0.0);
    a.answer_rows = static_cast<int64_t>(capture.rows.size());
    if (capture.rows.empty()) return a;
    const auto first = static_cast<size_t>(prompt.document_begin);
    const auto last = static_cast<size_t>(prompt.document_end);
    const double depth_span = double(std::max<size_t>(1, last - first));
    const auto bin_of = [&](size_t k) {
        return static_cast<int>(std::min<qsizetype>(a.bins - 1, prompt.spans[k].start * a.bins /
                                                                    a.document_chars));
    };
    const double rows = double(capture.rows.size());
    for (const std::vector<float>& row : capture.rows) {
        const size_t end = std::min(last, row.size());
        for (size_t k = first; k < end; ++k) {
            const double w = row[k] / rows;
            a.document_share += w;
            const int depth = std::min(9, int(10.0 * double(k - first) / depth_span));
            a.by_depth[depth] += w;
            if (prompt.spans[k].start >= 0) a.raw[bin_of(k)] += w;
        }
    }
    double total = 0;
    for (size_t k = first; k < last && k < mass.size(); ++k)
        if (prompt.spans[k].start >= 0) a.excess[bin_of(k)] += mass[k], total += mass[k];
    if (total > 0)
        for (double& e : a.excess) e /= total;
    return a;
}

}  // namespace ll
