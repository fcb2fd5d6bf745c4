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
#include "diagnostics/heatmap.h"

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

// The needle grid on the document (diagnostics/needle_grid.h) for the view: the default
// pass-key needle planted at each depth of the document's first N tokens for each length.
struct NeedleGridRequest {
    std::shared_ptr<const Document> document;
    QString depths = "0,0.25,0.5,0.75,1";  // as the CLI's --depths
    QString lengths = "512,1024,2048,4096";  // as the CLI's --lengths
    bool beside_none = false;  // a second run without position scaling
};

struct NeedleGridView {
    Heatmap heatmap;        // one panel per run; pending cells not run (yet)
    QStringList runs;       // per run: "yarn (model file): 18 of 20 found and cited"
    bool cancelled = false;  // the cells finished before the cancel are in the heatmap
};

// Parses "0,0.5,1" / "512,1024" as the CLI does; AppError naming "depths" / "lengths".
std::vector<double> parse_needle_depths(const QString& text);
std::vector<int> parse_needle_lengths(const QString& text);

// Runs needle grids on the ModelService's worker, one at a time, with a signal per finished
// cell, progress and cancel; keeps the last complete result per (document, configuration,
// request).
class NeedleGridJobs : public QObject {
    Q_OBJECT
  public:
    explicit NeedleGridJobs(ModelService* service, QObject* parent = nullptr);

    // Throws AppError when no document is open, the depths or lengths do not parse, or the
    // model is busy.
    void start(const NeedleGridRequest& request);
    void cancel();
    bool running() const { return running_; }

  signals:
    // After each cell, the heatmap so far (cells fill in as they finish).
    void cell_finished(const ll::Heatmap& so_far, double fraction);
    void finished(const ll::NeedleGridView& view);
    void failed(const QString& message);

  private:
    QString key(const NeedleGridRequest& request) const;

    ModelService* service_;
    bool running_ = false;
    QString kept_key_;
    std::shared_ptr<NeedleGridView> kept_;
};

}  // namespace ll
