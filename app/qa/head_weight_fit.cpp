#include "head_weight_fit.h"

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

using Matrix = std::vector<std::vector<double>>;

// Per ablation j and head h: the head's features summed over the units j dropped, which is
// what the head's weight multiplies in the predicted effect.
Matrix dropped_features(const CalibrationExample& e) {
    Matrix x(e.ablations.size(), std::vector<double>(e.features.size(), 0.0));
    for (size_t j = 0; j < e.ablations.size(); ++j)
        for (size_t h = 0; h < e.features.size(); ++h)
            for (size_t u = 0; u < e.features[h].size() && u < e.ablations[j].kept.size(); ++u)
                if (!e.ablations[j].kept[u]) x[j][h] += e.features[h][u];
    return x;
}

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / double(v.size());
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    const double ma = mean(a), mb = mean(b);
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Adds one example's centred, scaled rows to the normal equations G w = b. False when its
// effects (or features) do not vary: it carries no information about the units.
bool accumulate(const CalibrationExample& e, Matrix& g, std::vector<double>& b) {
    const size_t n = e.ablations.size(), heads = e.features.size();
    if (n < 2 || heads == 0) return false;
    Matrix x = dropped_features(e);
    std::vector<double> y(n);
    for (size_t j = 0; j < n; ++j) y[j] = e.ablations[j].effect;
    const double my = mean(y);
    double vy = 0;
    for (double& v : y) vy += (v - my) * (v - my);
    const double sy = std::sqrt(vy / double(n));
    double vx = 0;
    for (size_t h = 0; h < heads; ++h) {
        double m = 0;
        for (size_t j = 0; j < n; ++j) m += x[j][h];
        m /= double(n);
        for (size_t j = 0; j < n; ++j) {
            x[j][h] -= m;
            vx += x[j][h] * x[j][h];
        }
    }
    const double sx = std::sqrt(vx / double(n * heads));
    if (sy <= 1e-12 || sx <= 1e-12) return false;
    for (size_t j = 0; j < n; ++j) {
        const double yj = (y[j] - my) / sy;
        for (size_t h = 0; h < heads; ++h) {
            const double xh = x[j][h] / sx;
            b[h] += xh * yj;
            for (size_t k = h; k < heads; ++k) g[h][k] += xh * x[j][k] / sx;
        }
    }
    return true;
}

// Largest eigenvalue of the symmetric g (power iteration): the gradient's Lipschitz constant.
double largest_eigenvalue(const Matrix& g) {
    const size_t n = g.size();
    std::vector<double> v(n, 1.0 / std::sqrt(double(n))), w(n);
    double lambda = 0;
    for (int it = 0; it < 100; ++it) {
        for (size_t i = 0; i < n; ++i) {
            w[i] = 0;
            for (size_t k = 0; k < n; ++k) w[i] += g[i][k] * v[k];
        }
        double norm = 0;
        for (double x : w) norm += x * x;
        norm = std::sqrt(norm);
        if (norm <= 0) return 0;
        lambda = norm;
        for (size_t i = 0; i < n; ++i) v[i] = w[i] / norm;
    }
    return lambda;
}

}  // namespace

std::vector<double> fit_head_weights(const std::vector<CalibrationExample>& examples,
                                     const FitOptions& options) {
    const size_t heads = examples.empty() ? 0 : examples.front().features.size();
    Matrix g(heads, std::vector<double>(heads, 0.0));
    std::vector<double> b(heads, 0.0);
    int used = 0;
    for (const CalibrationExample& e : examples)
        if (e.features.size() == heads && accumulate(e, g, b)) ++used;
    std::vector<double> w(heads, 0.0);
    if (used == 0 || heads == 0) return w;
    double trace = 0;
    for (size_t h = 0; h < heads; ++h) {
        for (size_t k = 0; k < h; ++k) g[h][k] = g[k][h];  // accumulate filled the upper half
        trace += g[h][h];
    }
    // The head average's best scale c (every weight c) is the prior the ridge pulls toward:
    // 1/2 w'Gw - b'w + ridge/2 |w - c1|^2.
    double one_g_one = 0, one_b = 0;
    for (size_t h = 0; h < heads; ++h) {
        one_b += b[h];
        for (size_t k = 0; k < heads; ++k) one_g_one += g[h][k];
    }
    const double prior = one_g_one > 0 ? std::max(0.0, one_b / one_g_one) : 0.0;
    const double ridge = options.ridge * trace / double(heads);
    for (size_t h = 0; h < heads; ++h) {
        g[h][h] += ridge;
        b[h] += ridge * prior;
    }
    const double lipschitz = largest_eigenvalue(g);
    if (lipschitz <= 0) return w;
    // Accelerated projected gradient (FISTA) on 1/2 w'Gw - b'w subject to w >= 0.
    std::vector<double> z = w, previous = w, grad(heads);
    double t = 1;
    for (int it = 0; it < options.iterations; ++it) {
        for (size_t h = 0; h < heads; ++h) {
            grad[h] = -b[h];
            for (size_t k = 0; k < heads; ++k) grad[h] += g[h][k] * z[k];
        }
        double change = 0, size = 0;
        for (size_t h = 0; h < heads; ++h) {
            w[h] = std::max(0.0, z[h] - grad[h] / lipschitz);
            change += std::abs(w[h] - previous[h]);
            size += std::abs(w[h]);
        }
        const double t_next = (1 + std::sqrt(1 + 4 * t * t)) / 2;
        for (size_t h = 0; h < heads; ++h) z[h] = w[h] + (t - 1) / t_next * (w[h] - previous[h]);
        t = t_next;
        previous = w;
        if (it > 10 && change <= 1e-10 * std::max(size, 1e-12)) break;
    }
    return w;
}

RidgeChoice choose_ridge(const std::vector<CalibrationExample>& examples,
                         const std::vector<double>& candidates, int folds) {
    const int n = int(examples.size());
    folds = std::max(1, std::min(folds, n));
    RidgeChoice best;
    bool first = true;
    for (double ridge : candidates) {
        double score = 0, average = 0;
        for (int f = 0; f < folds; ++f) {
            std::vector<CalibrationExample> train, test;
            for (int i = 0; i < n; ++i)
                (i % folds == f ? test : train).push_back(examples[size_t(i)]);
            if (train.empty()) train = test;  // one example: judged in-sample
            const std::vector<double> w = fit_head_weights(train, {ridge, 4000});
            score += mean_correlation(test, w) / folds;
            average += mean_correlation(test, std::vector<double>(w.size(), 1.0)) / folds;
        }
        if (first || score > best.score) best = {ridge, score, average};
        first = false;
    }
    return best;
}

double mean_correlation(const std::vector<CalibrationExample>& examples,
                        const std::vector<double>& weights) {
    double sum = 0;
    int n = 0;
    for (const CalibrationExample& e : examples) {
        if (e.ablations.size() < 2 || e.features.size() != weights.size()) continue;
        const Matrix x = dropped_features(e);
        std::vector<double> predicted(x.size(), 0.0), actual(x.size());
        for (size_t j = 0; j < x.size(); ++j) {
            for (size_t h = 0; h < weights.size(); ++h) predicted[j] += weights[h] * x[j][h];
            actual[j] = e.ablations[j].effect;
        }
        sum += pearson(predicted, actual);
        ++n;
    }
    return n > 0 ? sum / n : 0.0;
}

}  // namespace ll
