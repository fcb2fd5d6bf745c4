#include "diagnostics/attention_chart.h"

#include "qa/citation.h"

namespace ll {

Chart attention_chart(const AttentionAlong& a, const std::vector<Citation>& citations,
                      const QString& title) {
    Chart c;
    c.title = title;
    c.x_label = QString("character of the document (bins of %1)").arg(a.bin_chars());
    c.y_label = "share of the answer's attention";
    c.log_y = false;
    ChartSeries raw{"the model's attention weight", {}, {}, a.raw, true};
    ChartSeries excess{"above distance baseline", {}, {}, {}, false};
    // On the raw series' scale, so the two shapes can be compared on one axis.
    double raw_total = 0;
    for (double v : a.raw) raw_total += v;
    for (double v : a.excess) excess.y.push_back(v * raw_total);
    for (int b = 0; b < a.bins; ++b) {
        const double mid = (double(b) + 0.5) * double(a.document_chars) / a.bins;
        raw.x.push_back(mid);
        excess.x.push_back(mid);
    }
    c.series = {raw, excess};
    for (size_t i = 0; i < citations.size(); ++i)
        c.rules.push_back({QString("[%1]").arg(i + 1), double(citations[i].start), true, false});
    return c;
}

Chart depth_chart(const AttentionAlong& a, const QString& title) {
    Chart c;
    c.title = title;
    c.x_label = "depth in the document part (%)";
    c.y_label = "share of the answer's attention";
    c.log_y = false;
    ChartSeries s{"attention by depth", {}, {}, a.by_depth, true};
    for (size_t i = 0; i < a.by_depth.size(); ++i) s.x.push_back(10.0 * double(i) + 5.0);
    c.series = {s};
    return c;
}

}  // namespace ll
