#include "diagnostics/attention_chart.h"

#include <QStringList>

#include "qa/citation.h"

namespace ll {

Chart attention_chart(const AttentionAlong& a, const std::vector<Citation>& citations,
                      const QString& title, int layer, int head) {
    const AttentionProfile p = a.selected(layer, head);
    const bool pages = !p.by_page.empty();
    const bool all = layer < 0 && head < 0;
    Chart c;
    c.title = title;
    c.x_label = pages ? QString("page")
                      : QString("character of the document (bins of %1)").arg(a.bin_chars());
    c.y_label = "share of the answer's attention";
    c.log_y = false;
    const std::vector<double>& raw_y = pages ? p.by_page : p.raw;
    const std::vector<double>& excess_y = pages ? a.excess_by_page : a.excess;
    ChartSeries raw{
        all ? "the model's attention weight" : selection_name(a, layer, head), {}, {}, raw_y, true};
    ChartSeries excess{"above distance baseline", {}, {}, {}, false};
    // On the raw series' scale, so the two shapes can be compared on one axis.
    double raw_total = 0;
    for (double v : a.raw) raw_total += v;
    for (double v : excess_y) excess.y.push_back(v * raw_total);
    for (size_t b = 0; b < raw_y.size(); ++b) {
        const double x =
            pages ? double(b + 1) : (double(b) + 0.5) * double(a.document_chars) / a.bins;
        raw.x.push_back(x);
        excess.x.push_back(x);
    }
    c.series = {raw};
    if (all) c.series.push_back(excess);
    for (size_t i = 0; i < citations.size(); ++i) {
        const double x = pages ? double(citations[i].page + 1) : double(citations[i].start);
        c.rules.push_back({QString("[%1]").arg(i + 1), x, true, false});
    }
    return c;
}

Chart depth_chart(const AttentionAlong& a, const QString& title, int layer, int head,
                  const std::vector<double>& conversation, int answers) {
    const AttentionProfile p = a.selected(layer, head);
    Chart c;
    c.title = title;
    c.x_label = "depth in the document part (%)";
    c.y_label = "share of the answer's attention";
    c.log_y = false;
    ChartSeries s{"this answer", {}, {}, p.by_depth, true};
    for (size_t i = 0; i < p.by_depth.size(); ++i) s.x.push_back(10.0 * double(i) + 5.0);
    c.series = {s};
    if (answers >= 2 && conversation.size() == p.by_depth.size()) {
        ChartSeries mean{QString("mean of %1 answers").arg(answers), {}, s.x, conversation, false};
        c.series.push_back(mean);
    }
    return c;
}

QString selection_name(const AttentionAlong& a, int layer, int head) {
    QStringList layers;
    for (int l : a.layers) layers << QString::number(l);
    const QString which =
        layer >= 0 && layer < static_cast<int>(a.layers.size())
            ? QString("layer %1").arg(a.layers[static_cast<size_t>(layer)])
            : (layers.isEmpty() ? QString("captured layers") : "layers " + layers.join(", "));
    return which + (head >= 0 ? QString(", head %1").arg(head) : QString(", all heads"));
}

}  // namespace ll
