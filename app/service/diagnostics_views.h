// What the Diagnostics dock shows, computed for the model loaded in a ModelService: a chart
// (diagnostics/chart.h, the same value the CLI writes as SVG) and the facts beside it. The
// widgets draw these; every number comes from app/diagnostics.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>

#include "diagnostics/chart.h"

namespace ll {

class Document;
class ModelService;

struct PositionsView {
    Chart chart;
    int64_t context = 0;   // the length it was computed at
    QStringList facts;     // method in force, windows, rope base, attention factor
    QStringList classes;   // how many pairs are extrapolated, unseen, in the ramp, interpolated
    QStringList warnings;  // the engine's
    QStringList notes;     // how to read the overlay
};

// The Positions view for the loaded model at `context` tokens (0: its effective window).
// Throws AppError when no model is loaded or the context is not a positive count.
PositionsView positions_view(const ModelService& service, int64_t context = 0);

// Perplexity along the document (diagnostics/perplexity_profile.h) for the view.
struct PerplexityRequest {
    std::shared_ptr<const Document> document;
    int64_t chunk = 256;
    int64_t limit = 0;          // score the first N tokens; 0: the whole document
    bool beside_none = false;   // a second run without position scaling, on the same spans
};

struct PerplexityView {
    Chart chart;
    QStringList runs;      // per run: "yarn (model file): perplexity 1.62 over 8190 tokens"
    QStringList warnings;  // the engine's, per run
    bool cancelled = false;  // the chunks done before the cancel are in the chart
};

// Runs perplexity profiles on the ModelService's worker, one at a time, with progress and
// cancel, and keeps the last result per (document, run configuration, request) so showing
// the view again costs nothing.
class PerplexityJobs : public QObject {
    Q_OBJECT
  public:
    explicit PerplexityJobs(ModelService* service, QObject* parent = nullptr);

    // Starts the profile (or delivers the kept one at once). Throws AppError when no model
    // or no document is there, or the model is busy.
    void start(const PerplexityRequest& request);
    void cancel();
    bool running() const { return running_; }

  signals:
    void progress(double fraction);
    void finished(const ll::PerplexityView& view);
    void failed(const QString& message);

  private:
    QString key(const PerplexityRequest& request) const;

    ModelService* service_;
    bool running_ = false;
    QString kept_key_;
    std::shared_ptr<PerplexityView> kept_;
};

}  // namespace ll
