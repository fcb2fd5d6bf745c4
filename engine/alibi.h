// ALiBi head slopes (Press et al., "Train Short, Test Long") and the dynamic NTK-ALiBi variant;
// shared/docs/scaling-methods.md §9. The bias added to a logit is slope_h * (j - i).
#pragma once

#include <vector>

namespace ll {

// Slopes for n_heads heads (any count). For n = 2^k: m_h = 2^(-max_bias (h+1)/n). Otherwise
// the c = 2^floor(log2 n) power-of-two slopes, then the first n - c odd-exponent entries of the
// 2c-head list, 2^(-max_bias/2 (2j+1)/c). max_bias 8 is Press's list (= llama.cpp's
// f_max_alibi_bias 8). Throws EngineError when n_heads < 1.
std::vector<float> alibi_slopes(int n_heads, double max_bias = 8.0);

// Dynamic NTK-ALiBi: with a = max(1, max_pos / train_len) and beta = a^(1/(H-1)), the c
// power-of-two heads get m_k = m_base^k * beta^(1-k) (k = 1..c); the extra non-power-of-two
// heads keep Press's slopes, as the reference leaves them unscaled.
std::vector<float> dynamic_alibi_slopes(int n_heads, double max_pos, double train_len);

}  // namespace ll
