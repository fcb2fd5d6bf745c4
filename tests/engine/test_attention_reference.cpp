// The captured attention against transformers' output_attentions on ref-mini: every layer
// averaged over its heads, every single head, and the average over layers that citations
// use, in one pass and in chunks. The reference (data/attention, README.md there) was made
// by make_attention_reference.py from the same 300 token ids, float32 and eager attention.
//
// Tolerance: the fixtures allow logits (hence attention scores) a max |Δ| of 2e-3. Softmax
// turns score errors of at most ε into |Δp_j| <= p_j (|Δs_j| + Σ_k p_k |Δs_k|) <= 2ε p_j, so
// each weight may differ by 4e-3 of itself, plus 1e-6 for float rounding of tiny weights.
// The bound holds for an average over heads or layers too. What was measured is printed and
// is far inside it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "attention_capture.h"
#include "hf_rope_config.h"
#include "model.h"
#include "session.h"
#include "shared_data.h"

namespace {

using json = nlohmann::json;

constexpr double kRelative = 4e-3;  // 2 x the fixtures' score (logit) tolerance
constexpr double kFloor = 1e-6;

// reference.json and its two float32 files: rows of query q are q + 1 long, stored per
// (layer, query) in attention_mean.f32 and per (layer, head, query) in attention_heads.f32.
struct Reference {
    json meta;
    std::vector<int32_t> ids;
    std::vector<int64_t> queries;
    int layers = 0, heads = 0;
    std::vector<float> mean, per_head;
    std::vector<size_t> offsets;  // of each query's row within one block
    size_t block = 0;             // floats per (layer) or (layer, head) block

    std::span<const float> mean_row(int layer, size_t qi) const {
        return {&mean[layer * block + offsets[qi]], static_cast<size_t>(queries[qi] + 1)};
    }
    std::span<const float> head_row(int layer, int head, size_t qi) const {
        return {&per_head[(layer * heads + head) * block + offsets[qi]],
                static_cast<size_t>(queries[qi] + 1)};
    }
};

const Reference& reference() {
    static const Reference ref = [] {
        Reference r;
        std::ifstream in(std::string(LL_ATTENTION_REF) + "/reference.json");
        r.meta = json::parse(in);
        r.ids = r.meta.at("ids").get<std::vector<int32_t>>();
        r.queries = r.meta.at("queries").get<std::vector<int64_t>>();
        r.layers = r.meta.at("n_layers").get<int>();
        r.heads = r.meta.at("n_heads").get<int>();
        for (int64_t q : r.queries) {
            r.offsets.push_back(r.block);
            r.block += static_cast<size_t>(q + 1);
        }
        r.mean = lltest::read_binary<float>(std::string(LL_ATTENTION_REF) + "/attention_mean.f32");
        r.per_head =
            lltest::read_binary<float>(std::string(LL_ATTENTION_REF) + "/attention_heads.f32");
        return r;
    }();
    return ref;
}

const ll::Model& ref_mini() {
    static auto m = ll::Model::load(lltest::shared_path("models/ref-mini"));
    return *m;
}

// The reference's ids through a Session (f32 KV cache, the model's own rope) capturing the
// given layers and heads (empty: all heads) from the first reference query on.
std::map<int64_t, std::vector<float>> capture(const std::vector<int>& layers,
                                              const std::vector<int>& heads, int64_t chunk) {
    const Reference& ref = reference();
    const ll::Model& model = ref_mini();
    ll::PositionEncoding positions(model.config().scaling, model.config().rope);
    ll::Session session(model, positions, static_cast<int64_t>(ref.ids.size()), ll::KvType::F32);
    ll::AttentionCapture cap;
    cap.layers = layers;
    cap.heads = heads;
    cap.from_position = ref.queries.front();
    session.set_attention_capture(&cap);
    ll::EvalOptions opt;
    opt.chunk = chunk;
    EXPECT_TRUE(session.eval(ref.ids, opt));
    std::map<int64_t, std::vector<float>> rows;
    for (size_t i = 0; i < cap.rows.size(); ++i) rows[cap.positions[i]] = std::move(cap.rows[i]);
    return rows;
}

struct Diff {
    double max_abs = 0;
    double max_rel = 0;     // over weights >= 1e-3
    size_t violations = 0;  // weights outside kRelative * p + kFloor
    std::string worst;      // the first violation
};

void compare(const std::vector<float>& got, std::span<const float> want, int64_t query, Diff& d) {
    ASSERT_EQ(got.size(), want.size()) << "query " << query;
    for (size_t k = 0; k < want.size(); ++k) {
        const double err = std::abs(static_cast<double>(got[k]) - want[k]);
        d.max_abs = std::max(d.max_abs, err);
        if (want[k] >= 1e-3) d.max_rel = std::max(d.max_rel, err / want[k]);
        if (err > kRelative * want[k] + kFloor && d.violations++ == 0)
            d.worst = "query " + std::to_string(query) + " key " + std::to_string(k) + ": got " +
                      std::to_string(got[k]) + " want " + std::to_string(want[k]);
    }
}

// Every reference query's captured row against want(qi).
template <typename Want>
Diff compare_rows(const std::map<int64_t, std::vector<float>>& rows, Want want) {
    const Reference& ref = reference();
    Diff d;
    for (size_t qi = 0; qi < ref.queries.size(); ++qi) {
        const auto it = rows.find(ref.queries[qi]);
        if (it == rows.end()) {
            ADD_FAILURE() << "query " << ref.queries[qi] << " was not captured";
            continue;
        }
        compare(it->second, want(qi), ref.queries[qi], d);
    }
    return d;
}

void expect_within(const Diff& d, const std::string& what) {
    std::printf("  %-26s max |d| %.2e  max rel (p >= 1e-3) %.2e\n", what.c_str(), d.max_abs,
                d.max_rel);
    EXPECT_EQ(d.violations, 0u) << what << ": " << d.worst;
}

TEST(AttentionReference, IsComplete) {
    const Reference& ref = reference();
    ASSERT_EQ(ref.ids.size(), 300u);
    ASSERT_EQ(ref.mean.size(), ref.layers * ref.block);
    ASSERT_EQ(ref.per_head.size(), ref.layers * ref.heads * ref.block);
    for (int l = 0; l < ref.layers; ++l)
        for (size_t qi = 0; qi < ref.queries.size(); ++qi) {
            const auto row = ref.mean_row(l, qi);
            EXPECT_NEAR(std::accumulate(row.begin(), row.end(), 0.0), 1.0, 1e-5);
        }
}

TEST(AttentionReference, ModelAndRopeAreTheReferences) {
    LL_REQUIRE_SHARED("models/ref-mini");
    const Reference& ref = reference();
    const ll::ModelConfig& cfg = ref_mini().config();
    EXPECT_EQ(cfg.n_layers, ref.layers);
    EXPECT_EQ(cfg.n_heads, ref.heads);
    EXPECT_EQ(cfg.n_kv_heads, ref.meta.at("n_kv_heads").get<int>());
    // The model's own rope (what capture() runs) is the one transformers ran.
    const auto own = ll::PositionEncoding(cfg.scaling, cfg.rope).frequencies(300);
    const auto refs =
        ll::PositionEncoding(ll::spec_from_hf_rope(ref.meta.at("rope_parameters")), cfg.rope)
            .frequencies(300);
    EXPECT_EQ(own.inv_freq, refs.inv_freq);
    EXPECT_EQ(own.attention_factor, refs.attention_factor);
}

TEST(AttentionReference, HeadAveragedPerLayer) {
    LL_REQUIRE_SHARED("models/ref-mini");
    const Reference& ref = reference();
    for (int64_t chunk : {512, 96}) {  // one pass; several chunks (rows from earlier chunks)
        for (int l = 0; l < ref.layers; ++l) {
            const auto rows = capture({l}, {}, chunk);
            EXPECT_EQ(rows.size(), ref.ids.size() - ref.queries.front());
            const Diff d = compare_rows(rows, [&](size_t qi) { return ref.mean_row(l, qi); });
            expect_within(d, "layer " + std::to_string(l) + " chunk " + std::to_string(chunk));
        }
    }
}

TEST(AttentionReference, SingleHeads) {
    LL_REQUIRE_SHARED("models/ref-mini");
    const Reference& ref = reference();
    for (int l = 0; l < ref.layers; ++l)
        for (int h = 0; h < ref.heads; ++h) {
            const auto rows = capture({l}, {h}, 512);
            const Diff d = compare_rows(rows, [&](size_t qi) { return ref.head_row(l, h, qi); });
            expect_within(d, "layer " + std::to_string(l) + " head " + std::to_string(h));
        }
}

// What citations use: several layers and heads averaged together.
TEST(AttentionReference, AveragesOverLayersAndHeads) {
    LL_REQUIRE_SHARED("models/ref-mini");
    const Reference& ref = reference();
    const std::vector<int> layers = {1, 3}, heads = {0, 3};
    for (const bool all_heads : {true, false}) {
        std::vector<std::vector<float>> want(ref.queries.size());
        for (size_t qi = 0; qi < ref.queries.size(); ++qi) {
            std::vector<double> sum(static_cast<size_t>(ref.queries[qi] + 1));
            for (int l : layers)
                for (int h = 0; h < ref.heads; ++h) {
                    if (!all_heads && std::find(heads.begin(), heads.end(), h) == heads.end())
                        continue;
                    const auto row = ref.head_row(l, h, qi);
                    for (size_t k = 0; k < row.size(); ++k) sum[k] += row[k];
                }
            const double n = static_cast<double>(
                layers.size() * (all_heads ? static_cast<size_t>(ref.heads) : heads.size()));
            for (double s : sum) want[qi].push_back(static_cast<float>(s / n));
        }
        const auto rows = capture(layers, all_heads ? std::vector<int>{} : heads, 96);
        const Diff d =
            compare_rows(rows, [&](size_t qi) { return std::span<const float>(want[qi]); });
        expect_within(d, all_heads ? "layers 1,3 all heads" : "layers 1,3 heads 0,3");
    }
}

// The comparison can tell layers and heads apart: the test is not passing by accident.
TEST(AttentionReference, TellsLayersAndHeadsApart) {
    LL_REQUIRE_SHARED("models/ref-mini");
    const Reference& ref = reference();
    const auto layer1 = capture({1}, {}, 512);
    EXPECT_GT(compare_rows(layer1, [&](size_t qi) { return ref.mean_row(2, qi); }).violations, 0u);
    const auto head2 = capture({0}, {2}, 512);
    EXPECT_GT(compare_rows(head2, [&](size_t qi) { return ref.head_row(0, 3, qi); }).violations,
              0u);
}

}  // namespace
