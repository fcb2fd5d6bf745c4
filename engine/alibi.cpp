#include "alibi.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "error.h"

namespace ll {

namespace {

// Largest power of two <= n (n >= 1).
int pow2_floor(int n) {
    int c = 1;
    while (c * 2 <= n) c *= 2;
    return c;
}

void check_heads(int n_heads) {
    if (n_heads < 1)
        throw EngineError("alibi",
                          "head count must be at least 1 (got " + std::to_string(n_heads) + ")");
}

// Computed in double and rounded once, so 2^-k comes out exact.
std::vector<double> slopes_f64(int n_heads, double max_bias) {
    const int c = pow2_floor(n_heads);
    std::vector<double> m(n_heads);
    for (int h = 0; h < c; ++h) m[h] = std::exp2(-max_bias * (h + 1) / c);
    // Even-indexed entries of the 2c list: exponents max_bias/(2c) * (2j+1).
    for (int j = 0; c + j < n_heads; ++j) m[c + j] = std::exp2(-max_bias / 2.0 * (2 * j + 1) / c);
    return m;
}

std::vector<float> to_float(const std::vector<double>& v) {
    return std::vector<float>(v.begin(), v.end());
}

}  // namespace

std::vector<float> alibi_slopes(int n_heads, double max_bias) {
    check_heads(n_heads);
    return to_float(slopes_f64(n_heads, max_bias));
}

std::vector<float> dynamic_alibi_slopes(int n_heads, double max_pos, double train_len) {
    check_heads(n_heads);
    std::vector<double> m = slopes_f64(n_heads, 8.0);
    if (n_heads < 2) return to_float(m);  // beta = a^(1/(H-1)) needs two heads
    const double a = std::max(1.0, max_pos / train_len);
    const double beta = std::pow(a, 1.0 / (n_heads - 1));
    const int c = pow2_floor(n_heads);
    for (int k = 1; k <= c; ++k) m[k - 1] *= std::pow(beta, 1.0 - k);
    return to_float(m);
}

}  // namespace ll
