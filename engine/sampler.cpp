#include "sampler.h"

#include <algorithm>
#include <cmath>

namespace ll {

int32_t argmax(std::span<const float> logits) {
    return static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

Sampler::Sampler(SamplerOptions options) : opt_(options), rng_(options.seed) {}

int32_t Sampler::sample(std::span<const float> logits) {
    if (opt_.temperature <= 0.0f) return argmax(logits);
    candidates_.clear();
    for (size_t i = 0; i < logits.size(); ++i)
        candidates_.emplace_back(logits[i] / opt_.temperature, static_cast<int32_t>(i));
    auto by_logit = [](const auto& a, const auto& b) { return a.first > b.first; };
    size_t keep = candidates_.size();
    if (opt_.top_k > 0 && static_cast<size_t>(opt_.top_k) < keep) keep = opt_.top_k;
    std::partial_sort(candidates_.begin(), candidates_.begin() + keep, candidates_.end(), by_logit);
    candidates_.resize(keep);

    // Softmax over the survivors, then cut the tail beyond top_p of the mass.
    const float max = candidates_[0].first;
    double sum = 0;
    for (auto& c : candidates_) sum += (c.first = std::exp(c.first - max));
    double cumulative = 0;
    size_t cut = candidates_.size();
    for (size_t i = 0; i < candidates_.size(); ++i) {
        cumulative += candidates_[i].first / sum;
        if (cumulative >= opt_.top_p) {
            cut = i + 1;
            break;
        }
    }
    candidates_.resize(cut);
    double mass = 0;
    for (const auto& c : candidates_) mass += c.first;
    std::uniform_real_distribution<double> uniform(0.0, mass);
    double r = uniform(rng_);
    for (const auto& c : candidates_) {
        r -= c.first;
        if (r <= 0) return c.second;
    }
    return candidates_.back().second;
}

}  // namespace ll
