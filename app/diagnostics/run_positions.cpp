#include "diagnostics/run_positions.h"

#include "app_error.h"
#include "qa/model_run.h"

namespace ll {

PositionsReport analyse_run_positions(const ModelRun& run, int64_t context) {
    const ModelConfig& c = run.model->config();
    if (context < 0) throw AppError("context", QString("expected a positive token count"));
    if (context == 0) {
        context = effective_scaling(run.scaling, c.rope, c.trained_window).effective_window;
        if (context <= 0) context = c.trained_window;
    }
    return analyse_positions(run.scaling, c.rope, c.n_heads, context);
}

}  // namespace ll
