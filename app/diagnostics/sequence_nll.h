// Negative log-likelihood of a token sequence evaluated in one pass: the one implementation
// behind `longlens-cli perplexity` and the perplexity-along-the-document diagnostic, so the
// two report the same numbers for the same span.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "session.h"

namespace ll {

// -log softmax(logits)[target], in double so long sums stay exact enough.
double token_nll(const float* logits, int64_t vocab, int32_t target);

// Evaluates `ids` in `session` (appended to what it holds: give it an empty one) as one
// sequence, its frequencies those of ids.size() tokens in one pass, as transformers
// evaluates it. Returns the ids.size() - 1 NLLs: [i] is that of ids[i + 1] given ids[0..i].
// `on_progress(done, total)`: tokens of `ids` evaluated so far. Returns an empty vector when
// `cancel` became true (the session then holds the chunks done). Throws EngineError as
// Session::eval does.
std::vector<float> sequence_nll(Session& session, std::span<const int32_t> ids,
                                const std::function<void(int64_t, int64_t)>& on_progress = {},
                                const std::atomic<bool>* cancel = nullptr);

// The mean of `nll` (0 for none).
double mean_nll(std::span<const float> nll);

}  // namespace ll
