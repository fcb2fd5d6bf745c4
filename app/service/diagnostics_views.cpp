#include "diagnostics_views.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <map>
#include <new>

#include "app_error.h"
#include "bundled.h"
#include "diagnostics/needle_grid.h"
#include "diagnostics/perplexity_chart.h"
#include "diagnostics/perplexity_profile.h"
#include "diagnostics/positions_chart.h"
#include "diagnostics/run_positions.h"
#include "documents/document.h"
#include "error.h"
#include "model_service.h"
#include "qa/conversation.h"
#include "qa/model_run.h"
#include "qa/run_config.h"

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

namespace {

PerplexityView view_of(const PerplexityProfile& p, const QString& title) {
    PerplexityView v;
    v.chart = perplexity_chart(p, title);
    v.cancelled = p.cancelled;
    for (const PerplexityRun& r : p.runs) {
        v.runs << QObject::tr("%1: perplexity %2 over %3 tokens (trained window %4, effective %5)")
                      .arg(r.label)
                      .arg(r.perplexity, 0, 'f', 2)
                      .arg(r.scored_tokens)
                      .arg(r.trained_window)
                      .arg(r.effective_window);
        for (const std::string& w : r.warnings)
            v.warnings << r.label + ": " + QString::fromStdString(w);
    }
    return v;
}

}  // namespace

PerplexityJobs::PerplexityJobs(ModelService* service, QObject* parent)
    : QObject(parent), service_(service) {}

QString PerplexityJobs::key(const PerplexityRequest& r) const {
    return QStringLiteral("%1|%2|%3|%4|%5|%6")
        .arg(r.document ? document_fingerprint(*r.document) : QString(),
             QString::fromUtf8(QJsonDocument(service_->config().to_json()).toJson(
                 QJsonDocument::Compact)))
        .arg(r.chunk)
        .arg(r.limit)
        .arg(r.beside_none)
        .arg(service_->config().model_path);
}

void PerplexityJobs::start(const PerplexityRequest& request) {
    if (!request.document) throw AppError({}, tr("Open a document first."));
    const QString k = key(request);
    if (kept_ && k == kept_key_) {
        emit finished(*kept_);
        return;
    }
    const QString title = tr("%1 on %2: perplexity along the document")
                              .arg(bundled::model_name(service_->config().model_path),
                                   QFileInfo(request.document->path).fileName());
    service_->run_job([this, request, k, title](const ModelJobContext& context)
                          -> std::function<void()> {
        std::vector<ModelRun> runs{*context.run};
        if (request.beside_none) runs.push_back(with_scaling(*context.run, "none"));
        PerplexityOptions options;
        options.chunk = request.chunk;
        options.limit = request.limit;
        options.cancel = context.cancel;
        options.on_progress = [this, post = context.post](double f) {
            post([this, f] { emit progress(f); });
        };
        try {
            auto view = std::make_shared<PerplexityView>(
                view_of(perplexity_profile(*request.document, runs, options), title));
            return [this, view, k] {
                running_ = false;
                if (!view->cancelled) kept_key_ = k, kept_ = view;
                emit finished(*view);
            };
        } catch (const std::exception& e) {  // AppError, EngineError, bad_alloc
            const QString message = dynamic_cast<const std::bad_alloc*>(&e)
                                        ? tr("Not enough memory for this profile.")
                                        : QString::fromStdString(e.what());
            return [this, message] {
                running_ = false;
                emit failed(message);
            };
        }
    });
    running_ = true;
}

void PerplexityJobs::cancel() {
    if (running_) service_->cancel();
}

std::vector<double> parse_needle_depths(const QString& text) {
    std::vector<double> out;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double d = part.trimmed().toDouble(&ok);
        if (!ok || !(d >= 0 && d <= 1))
            throw AppError(QObject::tr("Depths"),
                           QObject::tr("expected fractions from 0 (start) to 1 (end), got '%1'")
                               .arg(part.trimmed()));
        out.push_back(d);
    }
    if (out.empty()) throw AppError(QObject::tr("Depths"), QObject::tr("give at least one"));
    return out;
}

std::vector<int> parse_needle_lengths(const QString& text) {
    std::vector<int> out;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 16)
            throw AppError(QObject::tr("Lengths"),
                           QObject::tr("expected context lengths of at least 16 tokens, got '%1'")
                               .arg(part.trimmed()));
        out.push_back(n);
    }
    if (out.empty()) throw AppError(QObject::tr("Lengths"), QObject::tr("give at least one"));
    return out;
}

namespace {

NeedleGridView view_of(const NeedleGrid& g, const QString& title) {
    NeedleGridView v;
    v.heatmap = needle_heatmap(g, title);
    v.cancelled = g.cancelled;
    for (const NeedleGridRun& r : g.runs) {
        int pass = 0, done = 0;
        for (const NeedleGridCell& c : r.cells)
            done += c.done, pass += c.outcome() == CellOutcome::Pass;
        v.runs << QObject::tr("%1: %2 of %3 cells found and cited (%4 run)")
                      .arg(r.label)
                      .arg(pass)
                      .arg(r.cells.size())
                      .arg(done);
    }
    return v;
}

}  // namespace

NeedleGridJobs::NeedleGridJobs(ModelService* service, QObject* parent)
    : QObject(parent), service_(service) {}

QString NeedleGridJobs::key(const NeedleGridRequest& r) const {
    return QStringLiteral("%1|%2|%3|%4|%5|%6")
        .arg(r.document ? document_fingerprint(*r.document) : QString(),
             QString::fromUtf8(QJsonDocument(service_->config().to_json()).toJson(
                 QJsonDocument::Compact)),
             r.depths, r.lengths)
        .arg(r.beside_none)
        .arg(service_->config().model_path);
}

void NeedleGridJobs::start(const NeedleGridRequest& request) {
    if (!request.document) throw AppError({}, tr("Open a document first."));
    NeedleGridOptions options;
    options.depths = parse_needle_depths(request.depths);
    options.lengths = parse_needle_lengths(request.lengths);
    const QString k = key(request);
    if (kept_ && k == kept_key_) {
        emit finished(*kept_);
        return;
    }
    const QString title = tr("%1 on %2: needle grid")
                              .arg(bundled::model_name(service_->config().model_path),
                                   QFileInfo(request.document->path).fileName());
    service_->run_job([this, request, options, k, title](const ModelJobContext& context) mutable
                          -> std::function<void()> {
        try {
            std::vector<ModelRun> runs{*context.run};
            if (request.beside_none) runs.push_back(with_scaling(*context.run, "none"));
            auto shadow = std::make_shared<NeedleGrid>(
                empty_needle_grid(*request.document, runs, options));
            const double total = static_cast<double>(runs.size() * options.depths.size() *
                                                     options.lengths.size());
            auto done = std::make_shared<int>(0);
            options.cancel = context.cancel;
            options.on_cell = [this, shadow, done, total, title,
                               post = context.post](const NeedleGridCell& c) {
                shadow->runs[static_cast<size_t>(c.run)]
                    .cells[static_cast<size_t>(c.depth_index) * shadow->lengths.size() +
                           static_cast<size_t>(c.length_index)] = c;
                const Heatmap so_far = needle_heatmap(*shadow, title);
                const double f = ++*done / total;
                post([this, so_far, f] { emit cell_finished(so_far, f); });
            };
            auto view = std::make_shared<NeedleGridView>(
                view_of(needle_grid(*request.document, runs, options), title));
            return [this, view, k] {
                running_ = false;
                if (!view->cancelled) kept_key_ = k, kept_ = view;
                emit finished(*view);
            };
        } catch (const std::exception& e) {  // AppError, EngineError, bad_alloc
            const QString message = dynamic_cast<const std::bad_alloc*>(&e)
                                        ? tr("Not enough memory for this grid.")
                                        : QString::fromStdString(e.what());
            return [this, message] {
                running_ = false;
                emit failed(message);
            };
        }
    });
    running_ = true;
}

void NeedleGridJobs::cancel() {
    if (running_) service_->cancel();
}

}  // namespace ll
