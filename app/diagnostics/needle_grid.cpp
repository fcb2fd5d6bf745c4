#include "diagnostics/needle_grid.h"

#include <algorithm>

#include "app_error.h"
#include "documents/document.h"
#include "error.h"
#include "position_encoding.h"

namespace ll {

NeedleSpec NeedleGridOptions::default_needle_spec() {
    NeedleSpec spec;
    spec.needle = "The pass key is 71432. Remember it. 71432 is the pass key.";
    spec.probe = NeedleProbe::Continue;
    spec.probe_text = "What is the pass key? The pass key is";
    spec.intro =
        "There is an important piece of information hidden in this text. Find it and "
        "remember it.\n";
    spec.expected = "71432";
    return spec;
}

CellOutcome NeedleGridCell::outcome() const {
    if (!done) return CellOutcome::Pending;
    if (found && cited) return CellOutcome::Pass;
    if (found || cited) return CellOutcome::Partial;
    return CellOutcome::Fail;
}

void check_needle_grid(const NeedleGridOptions& o) {
    if (o.depths.empty()) throw AppError("depths", "give at least one depth");
    for (double d : o.depths)
        if (!(d >= 0 && d <= 1))
            throw AppError("depths",
                           QString("a depth is a fraction from 0 (start) to 1 (end), got %1")
                               .arg(d));
    if (o.lengths.empty()) throw AppError("lengths", "give at least one length");
    for (int n : o.lengths)
        if (n < 16)
            throw AppError("lengths",
                           QString("a context length is at least 16 tokens, got %1").arg(n));
    if (o.probe.needle.trimmed().isEmpty()) throw AppError("needle", "the needle is empty");
}

namespace {

EffectiveScaling effective(const ModelRun& run, int64_t length) {
    try {
        return effective_scaling(run.scaling, run.model->config().rope, length);
    } catch (const EngineError& error) {
        throw AppError::from_engine(error);
    }
}

}  // namespace

QString needle_run_label(const ModelRun& run, int64_t length) {
    const EffectiveScaling e = effective(run, length);
    QString label = QString::fromStdString(e.method) + " (" + to_string(e.source) + ")";
    if (run.config.attention) label += " · " + QString::fromStdString(run.attention.to_string());
    return label;
}

NeedleGrid empty_needle_grid(const Document& doc, const std::vector<ModelRun>& runs,
                             const NeedleGridOptions& options) {
    if (runs.empty()) throw AppError("needle-grid", "no run to probe");
    check_needle_grid(options);
    NeedleGrid g;
    g.document = doc.path;
    g.probe = options.probe;
    g.depths = options.depths;
    g.lengths = options.lengths;
    const int longest = *std::max_element(g.lengths.begin(), g.lengths.end());
    for (size_t r = 0; r < runs.size(); ++r) {
        NeedleGridRun run;
        run.label = needle_run_label(runs[r], longest);
        run.spec_text = QString::fromStdString(effective(runs[r], longest).spec_text);
        for (size_t d = 0; d < g.depths.size(); ++d)
            for (size_t l = 0; l < g.lengths.size(); ++l) {
                NeedleGridCell c;
                c.run = static_cast<int>(r);
                c.depth_index = static_cast<int>(d);
                c.length_index = static_cast<int>(l);
                c.depth = g.depths[d];
                c.length = g.lengths[l];
                run.cells.push_back(c);
            }
        g.runs.push_back(std::move(run));
    }
    return g;
}

NeedleGrid needle_grid(const Document& doc, const std::vector<ModelRun>& runs,
                       const NeedleGridOptions& options) {
    NeedleGrid g = empty_needle_grid(doc, runs, options);
    // Shortest lengths first: the quick cells show something soon.
    std::vector<size_t> by_length(g.lengths.size());
    for (size_t i = 0; i < by_length.size(); ++i) by_length[i] = i;
    std::stable_sort(by_length.begin(), by_length.end(),
                     [&](size_t a, size_t b) { return g.lengths[a] < g.lengths[b]; });
    const auto cancelled = [&] { return options.cancel && options.cancel->load(); };
    for (size_t r = 0; r < runs.size(); ++r) {
        const ModelRun& m = runs[r];
        for (size_t l : by_length)
            for (size_t d = 0; d < g.depths.size(); ++d) {
                if (cancelled()) {
                    g.cancelled = true;
                    return g;
                }
                NeedleSpec spec = options.probe;
                spec.depth = g.depths[d];
                spec.context_tokens = g.lengths[l];
                spec.attention = m.attention;
                spec.kv = m.kv;
                // As `longlens-cli needle`: the window holds the haystack, probe and answer.
                const int64_t window = std::max<int64_t>(m.window, spec.context_tokens + 96);
                m.check_memory(window);
                NeedleResult res;
                try {
                    res = run_needle(*m.model, m.positions(), window, doc, spec, options.answer,
                                     options.cancel);
                } catch (const EngineError& e) {
                    throw AppError::from_engine(e);
                }
                if (res.answer.end == AnswerEnd::Cancelled || cancelled()) {
                    g.cancelled = true;
                    return g;
                }
                NeedleGridCell& c = g.runs[r].cells[d * g.lengths.size() + l];
                c.done = true;
                c.found = res.answer_contains_needle;
                c.cited = res.top_citation_covers_needle;
                c.answer = res.answer.text;
                c.needle_start = res.planted.start;
                c.needle_end = res.planted.end;
                if (!res.answer.citations.empty()) {
                    c.citation_start = res.answer.citations.front().start;
                    c.citation_end = res.answer.citations.front().end;
                }
                c.prompt_tokens = res.answer.prompt_tokens;
                if (options.on_cell) options.on_cell(c);
            }
    }
    return g;
}

Heatmap needle_heatmap(const NeedleGrid& g, const QString& title) {
    Heatmap h;
    h.title = title;
    h.x_label = QObject::tr("context length (tokens)");
    h.y_label = QObject::tr("needle depth");
    for (double d : g.depths) h.row_labels << QString("%1%").arg(d * 100, 0, 'g', 4);
    for (int n : g.lengths) h.column_labels << QString::number(n);
    for (const NeedleGridRun& run : g.runs) {
        HeatmapPanel p;
        p.label = run.label;
        for (const NeedleGridCell& c : run.cells) {
            HeatmapCell cell;
            cell.outcome = c.outcome();
            switch (cell.outcome) {
                case CellOutcome::Pass: cell.value = 1, cell.text = "✓"; break;
                case CellOutcome::Partial: cell.value = 0.5, cell.text = "½"; break;
                case CellOutcome::Fail: cell.value = 0, cell.text = "✗"; break;
                case CellOutcome::Pending: cell.text = "…"; break;
            }
            if (c.done)
                cell.detail =
                    QObject::tr("depth %1, %2 tokens: answer \"%3\"; %4; top citation %5")
                        .arg(c.depth, 0, 'g', 4)
                        .arg(c.length)
                        .arg(c.answer.simplified(),
                             c.found ? QObject::tr("found") : QObject::tr("not found"),
                             c.cited ? QObject::tr("inside the needle")
                                     : QObject::tr("elsewhere"));
            else
                cell.detail = QObject::tr("depth %1, %2 tokens: not run")
                                  .arg(c.depth, 0, 'g', 4)
                                  .arg(c.length);
            p.cells.push_back(cell);
        }
        h.panels.push_back(std::move(p));
    }
    return h;
}

}  // namespace ll
