#include "diagnostics/sequence_nll.h"

#include <algorithm>
#include <cmath>

namespace ll {

double token_nll(const float* logits, int64_t vocab, int32_t target) {
    float max = logits[0];
    for (int64_t i = 1; i < vocab; ++i) max = std::max(max, logits[i]);
    double sum = 0;
    for (int64_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(logits[i] - max));
    return std::log(sum) + max - logits[target];
}

std::vector<float> sequence_nll(Session& session, std::span<const int32_t> ids,
                                const std::function<void(int64_t, int64_t)>& on_progress,
                                const std::atomic<bool>* cancel) {
    const int64_t n = static_cast<int64_t>(ids.size());
    if (n < 2) return {};
    const int64_t vocab = session.model().config().vocab_size;
    std::vector<float> nll(static_cast<size_t>(n - 1));
    EvalOptions opt;
    opt.rope_length = n;  // the whole sequence at once, as the reference evaluates it
    opt.cancel = cancel;
    opt.on_logits = [&](int64_t first, const float* logits, int64_t rows) {
        for (int64_t r = 0; r < rows; ++r) {
            const int64_t t = first + r;
            if (t + 1 < n)
                nll[static_cast<size_t>(t)] =
                    static_cast<float>(token_nll(logits + r * vocab, vocab, ids[t + 1]));
        }
    };
    if (on_progress) opt.on_progress = [&](const EvalProgress& p) { on_progress(p.done, p.total); };
    if (!session.eval(ids, opt)) return {};
    return nll;
}

double mean_nll(std::span<const float> nll) {
    if (nll.empty()) return 0;
    double sum = 0;
    for (float v : nll) sum += v;
    return sum / static_cast<double>(nll.size());
}

}  // namespace ll
