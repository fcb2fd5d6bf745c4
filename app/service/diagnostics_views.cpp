#include "diagnostics_views.h"

#include <QFileInfo>

#include <map>

#include "app_error.h"
#include "bundled.h"
#include "error.h"
#include "diagnostics/positions_chart.h"
#include "diagnostics/run_positions.h"
#include "model_service.h"
#include "qa/model_run.h"

namespace ll {

namespace {

void summarise(const PositionsReport& r, PositionsView& s) {
    s.facts << QString("In force: %1 (%2)%3")
                   .arg(QString::fromStdString(r.spec_text), to_string(r.source),
                        r.file_freq_factors ? ", with the file's per-pair rope_freqs" : "");
    s.facts << QString("Trained window %1 · context %2 tokens")
                   .arg(r.trained_window)
                   .arg(r.context_len);
    if (r.alibi_slopes.empty())
        s.facts << QString("Rope base %1 (model's own %2) · %3 rotary dims")
                       .arg(r.theta, 0, 'g', 7)
                       .arg(r.model_theta, 0, 'g', 7)
                       .arg(r.rotary_dim);
    s.facts << QString("Attention factor %1 (logits ×%2)")
                   .arg(r.attention_factor, 0, 'g', 6)
                   .arg(r.logit_factor, 0, 'g', 6);
    std::map<DimClass, int> count;
    int beyond = 0;
    for (const RotaryDim& d : r.dims) ++count[d.cls], beyond += d.exceeds_context;
    for (DimClass c : {DimClass::Extrapolated, DimClass::Unseen, DimClass::Ramp,
                       DimClass::Interpolated})
        if (count[c] > 0) s.classes << QString("%1 pairs %2").arg(count[c]).arg(to_string(c));
    if (!r.dims.empty())
        s.classes << QString("%1 pairs longer than the context").arg(beyond);
    for (const std::string& w : r.warnings) s.warnings << QString::fromStdString(w);
    for (const std::string& n : r.notes) s.notes << QString::fromStdString(n);
}

}  // namespace

PositionsView positions_view(const ModelService& service, int64_t context) {
    const std::shared_ptr<const ModelRun> run = service.run();
    if (!run) throw AppError({}, QObject::tr("Load a model first (Model ▸ Open Model…)."));
    PositionsReport report;
    try {
        report = analyse_run_positions(*run, context);
    } catch (const EngineError& e) {
        throw AppError::from_engine(e);
    }
    PositionsView view;
    view.context = report.context_len;
    view.chart = positions_chart(report, bundled::model_name(service.config().model_path));
    summarise(report, view);
    return view;
}

}  // namespace ll
