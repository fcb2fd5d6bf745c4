#include "diagnostics/perplexity_chart.h"

#include <cmath>
#include <limits>

#include "diagnostics/chart_svg.h"

namespace ll {

namespace {

ChartSeries run_series(const PerplexityRun& r, bool in_force) {
    ChartSeries s;
    s.label = QString("%1 · ppl %2%3")
                  .arg(r.label)
                  .arg(r.perplexity, 0, 'f', 2)
                  .arg(in_force ? " (in force)" : "");
    s.detail = r.spec_text;
    s.emphasised = in_force;
    for (const PerplexityChunk& c : r.chunks) {
        const double mid = 0.5 * static_cast<double>(c.start_token + c.end_token);
        if (!s.y.empty() && c.start_position == 1) {  // a new window: break the line
            s.x.push_back(mid);
            s.y.push_back(std::numeric_limits<double>::quiet_NaN());
        }
        s.x.push_back(mid);
        s.y.push_back(c.perplexity);
    }
    return s;
}

// Window starts, and in each window the token where its positions pass the trained window.
void window_rules(const PerplexityProfile& p, double end, std::vector<ChartRule>& rules) {
    if (p.runs.empty() || p.window < 2) return;
    const int trained = p.runs.front().trained_window;
    const int64_t stride = p.window - 1;
    bool labelled = false;
    for (int64_t start = 0; static_cast<double>(start) < end; start += stride) {
        if (start > 0) rules.push_back({{}, static_cast<double>(start), true, true});
        // Position `trained` in the window (BOS at 0) is document token start + trained - 1.
        const double at = static_cast<double>(start + trained - (p.bos ? 1 : 0));
        if (trained <= 0 || trained >= p.window || at >= end) continue;
        rules.push_back({labelled ? QString() : QString("trained window %1").arg(trained), at,
                         true, false});
        labelled = true;
    }
}

}  // namespace

Chart perplexity_chart(const PerplexityProfile& p, const QString& title) {
    Chart c;
    c.title = title;
    c.x_label = QString("document token (chunks of %1; windows of %2 tokens)")
                    .arg(p.chunk)
                    .arg(p.window);
    c.y_label = "perplexity (log scale)";
    c.log_y = true;
    double end = 0;
    for (size_t i = 0; i < p.runs.size(); ++i) {
        c.series.push_back(run_series(p.runs[i], i == 0));
        for (const PerplexityChunk& chunk : p.runs[i].chunks)
            end = std::max(end, static_cast<double>(chunk.end_token));
    }
    window_rules(p, end, c.rules);
    return c;
}

QByteArray perplexity_svg(const PerplexityProfile& profile, const QString& title) {
    return chart_svg(perplexity_chart(profile, title));
}

}  // namespace ll
