// Picks the next token from logits: greedy at temperature 0, otherwise temperature,
// top-k and top-p (nucleus) sampling from a seeded generator, so runs are repeatable.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace ll {

struct SamplerOptions {
    float temperature = 0.8f;  // 0: greedy
    int top_k = 40;            // 0: no limit
    float top_p = 0.95f;       // 1: no limit
    uint64_t seed = 42;
};

class Sampler {
public:
    explicit Sampler(SamplerOptions options);
    int32_t sample(std::span<const float> logits);

private:
    SamplerOptions opt_;
    std::mt19937_64 rng_;
    std::vector<std::pair<float, int32_t>> candidates_;
};

// Index of the largest logit (the first one on ties, like llama2.c and torch.argmax).
int32_t argmax(std::span<const float> logits);

}  // namespace ll
