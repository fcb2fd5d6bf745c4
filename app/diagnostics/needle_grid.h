// The Needle grid diagnostic (issue 17 §4): the needle probe (qa/needle_probe.h) over depths ×
// context lengths on the user's document as haystack, for one or several runs (scaling
// methods, attention variants), cell by cell. Each cell is exactly `run_needle` with the
// same NeedleSpec as `longlens-cli needle --depth D --ctx N` under the same run: the haystack
// is the document's first N tokens with the needle planted at depth D, read in a fresh
// session whose window is max(run window, N + 96).
#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <vector>

#include "diagnostics/heatmap.h"
#include "qa/model_run.h"
#include "qa/needle_probe.h"

namespace ll {

class Document;

struct NeedleGridOptions {
    std::vector<double> depths{0, 0.25, 0.5, 0.75, 1};
    std::vector<int> lengths{512, 1024, 2048, 4096};
    // The probe for every cell; its depth, context_tokens, attention and kv are set per cell
    // and run. The default is the pass-key passage the bundled model was trained to find.
    NeedleSpec probe = default_needle_spec();
    AnswerOptions answer;  // attribution settings (e.g. attention layers)
    // After each finished cell, from the evaluating thread: cells fill in as they finish.
    std::function<void(const struct NeedleGridCell&)> on_cell;
    // Checked by the answerer during each cell and between cells; when it becomes true the
    // grid stops, the unfinished cell is dropped and the grid comes back `cancelled` with the
    // cells finished before.
    const std::atomic<bool>* cancel = nullptr;

    // "The pass key is 71432. Remember it. 71432 is the pass key." with the question the
    // bundled model was trained on as probe text, its instruction as intro, the key expected.
    static NeedleSpec default_needle_spec();
};

struct NeedleGridCell {
    int run = 0;           // index into NeedleGrid::runs
    int depth_index = 0;   // into NeedleGrid::depths
    int length_index = 0;  // into NeedleGrid::lengths
    double depth = 0;
    int length = 0;
    bool done = false;               // false: not run (cancelled before it finished)
    bool found = false;              // the answer holds what was expected
    bool cited = false;              // the top citation lies inside the needle
    QString answer;
    qsizetype needle_start = 0, needle_end = 0;   // in the planted haystack's text
    qsizetype citation_start = -1, citation_end = -1;  // the top citation; -1: none
    int64_t prompt_tokens = 0;
    CellOutcome outcome() const;
};

struct NeedleGridRun {
    QString label;      // e.g. "yarn (model file)", with the attention variant when set
    QString spec_text;  // the scaling in force, canonical
    std::vector<NeedleGridCell> cells;  // depths × lengths, row-major (depth rows)
};

struct NeedleGrid {
    QString document;
    NeedleSpec probe;
    std::vector<double> depths;
    std::vector<int> lengths;
    std::vector<NeedleGridRun> runs;
    bool cancelled = false;

    const NeedleGridCell& cell(size_t run, size_t depth, size_t length) const {
        return runs[run].cells[depth * lengths.size() + length];
    }
};

// Throws AppError naming the option for a depth outside [0, 1] ("depths"), a length below 16
// tokens ("lengths"), an empty list or an empty needle ("needle"), before any work.
void check_needle_grid(const NeedleGridOptions& options);

// The grid with every cell pending: what needle_grid fills in, for views that show the cells
// as they finish.
NeedleGrid empty_needle_grid(const Document& doc, const std::vector<ModelRun>& runs,
                             const NeedleGridOptions& options);

// The grid on `doc` under each of `runs` (at least one), runs outermost, then lengths
// (shortest first), then depths.
NeedleGrid needle_grid(const Document& doc, const std::vector<ModelRun>& runs,
                       const NeedleGridOptions& options);

// The label a run gets in the grid: "method (source)", plus the attention variant when the
// run's configuration sets one.
QString needle_run_label(const ModelRun& run, int64_t length);

// The grid as a heatmap value: rows depths ("0%"…"100%"), columns lengths, a panel per run.
Heatmap needle_heatmap(const NeedleGrid& grid, const QString& title);

}  // namespace ll
