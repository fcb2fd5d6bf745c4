#include "diagnostics/positions_chart.h"

#include "diagnostics/chart_svg.h"

namespace ll {

namespace {

Chart rope_chart(const PositionsReport& r, const QString& title) {
    Chart c;
    c.title = QString("%1: rotary wavelength per pair at %2 tokens").arg(title).arg(r.context_len);
    c.x_label = "rotary pair i (rotates elements i and i + d/2)";
    c.y_label = "wavelength 2π/ω (tokens, log scale)";
    for (size_t i = 0; i < r.overlay.size(); ++i) {
        const MethodCurve& m = r.overlay[i];
        QString label = QString::fromStdString(m.label);
        // A curve drawn over an identical earlier one would vanish: the legend says so.
        for (size_t j = 0; j < i; ++j)
            if (r.overlay[j].wavelength == m.wavelength) {
                label += " (= " + QString::fromStdString(r.overlay[j].label) + ")";
                break;
            }
        if (m.effective) label += " (in force)";
        c.series.push_back({label, QString::fromStdString(m.spec_text), {}, m.wavelength, m.effective});
    }
    c.rules.push_back({QString("trained window %1").arg(r.trained_window),
                       static_cast<double>(r.trained_window), false});
    c.rules.push_back(
        {QString("context %1").arg(r.context_len), static_cast<double>(r.context_len), false});
    return c;
}

Chart alibi_chart(const PositionsReport& r, const QString& title) {
    Chart c;
    c.title = QString("%1: ALiBi slope per head at %2 tokens").arg(title).arg(r.context_len);
    c.x_label = "head";
    c.y_label = "slope m (log scale)";
    c.series.push_back({QString::fromStdString(r.method) + " (in force)",
                        QString::fromStdString(r.spec_text), {}, r.alibi_slopes, true});
    for (const LengthSample& s : r.by_length)
        c.series.push_back({QString("at %1 tokens").arg(s.length), {}, {}, s.alibi_slopes, false});
    return c;
}

}  // namespace

Chart positions_chart(const PositionsReport& report, const QString& title) {
    return report.alibi_slopes.empty() ? rope_chart(report, title) : alibi_chart(report, title);
}

QByteArray positions_svg(const PositionsReport& report, const QString& title) {
    return chart_svg(positions_chart(report, title));
}

}  // namespace ll
