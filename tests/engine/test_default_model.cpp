// The shipped default model (resources/model): it loads, reports its trained window and its
// recommended scaling (YaRN x8 from config.json), and retrieves a pass key planted in
// held-out text (the end of Pride and Prejudice, which training never saw) at 1x and 4x its
// trained window with that scaling. resources/model/MODEL_CARD.md has the full evaluation;
// this is its small sample, with the no-scaling baseline that collapses past the window.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <vector>

#include "model.h"
#include "position_encoding.h"
#include "scaling_spec.h"
#include "session.h"
#include "shared_data.h"

namespace {

// The strings the model was trained with (resources/model/train/tasks.py).
const std::string kIntro =
    "There is an important piece of information hidden in this text. Find it and remember it.\n";
const std::string kQuestion = "\nWhat is the pass key? The pass key is";
const char* kFiller = "corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt";

const ll::Model& default_model() {
    static auto m = ll::Model::load(std::string(LONGLENS_SOURCE_DIR) + "/resources/model");
    return *m;
}

// The last ~30,000 bytes of the novel before Project Gutenberg's footer, cut at a line start:
// inside the 5 % held out from training.
std::string heldout_filler() {
    std::string text = lltest::read_text(lltest::shared_path(kFiller));
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    const size_t end = text.find("*** END OF");
    const size_t start = text.find('\n', end - 30000) + 1;
    return text.substr(start, end - start);
}

// Cuts `s` at a space or newline at or before `n` (never inside a UTF-8 character).
size_t safe_cut(const std::string& s, size_t n) {
    if (n >= s.size()) return s.size();
    const size_t c = s.find_last_of(" \n", n);
    return c == std::string::npos ? 0 : c;
}

std::string passkey_prompt(const std::string& filler, size_t chars, double depth, const std::string& key) {
    const std::string f = filler.substr(0, safe_cut(filler, chars));
    size_t cut = f.rfind('\n', static_cast<size_t>(f.size() * depth));
    if (cut == std::string::npos) cut = safe_cut(f, static_cast<size_t>(f.size() * depth));
    return kIntro + f.substr(0, cut) + "\nThe pass key is " + key + ". Remember it. " + key +
           " is the pass key.\n" + f.substr(std::min(cut + 1, f.size())) + kQuestion;
}

// Greedy answer to a pass-key prompt of about `tokens` tokens; the digits it starts with.
std::string answer(const ll::PositionEncoding& positions, const std::string& filler, int64_t tokens,
                   double depth, const std::string& key) {
    const ll::Model& m = default_model();
    const ll::Tokenizer& tok = m.tokenizer();
    const int64_t target = tokens - 9;  // BOS + 8 generated tokens fit in `tokens`
    int64_t chars = target * 4;
    std::vector<int32_t> ids;
    for (int i = 0; i < 8; ++i) {
        ids = tok.encode(passkey_prompt(filler, static_cast<size_t>(chars), depth, key));
        const int64_t n = static_cast<int64_t>(ids.size());
        if (n <= target && n >= target - 32) break;
        chars = std::max<int64_t>(64, chars * target / n + (n > target ? -8 : 8));
    }
    EXPECT_LE(static_cast<int64_t>(ids.size()), target);
    ids.insert(ids.begin(), tok.bos());
    ll::Session s(m, positions, tokens);
    s.eval(ids);
    std::vector<int32_t> out;
    for (int i = 0; i < 8; ++i) {
        auto logits = s.logits();
        const int32_t next =
            static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
        if (next == tok.eos()) break;
        out.push_back(next);
        if (i + 1 < 8) s.eval(std::span(&next, 1));
    }
    std::string text = tok.decode(out);
    size_t b = text.find_first_not_of(' ');
    if (b == std::string::npos) return "";
    size_t e = b;
    while (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
    return text.substr(b, e - b);
}

// Right answers out of `cases`, keys and depths fixed.
int retrieved(const ll::PositionEncoding& positions, int64_t tokens, int cases) {
    const std::string filler = heldout_filler();
    int ok = 0;
    for (int i = 0; i < cases; ++i) {
        const std::string key = std::to_string(10000 + (7919 * (i + 1) * (tokens / 64 + 3)) % 90000);
        const std::string got = answer(positions, filler, tokens, (i + 0.5) / cases, key);
        ok += got == key;
        if (got != key) std::printf("  %lld tokens, case %d: expected %s, got '%s'\n",
                                    static_cast<long long>(tokens), i, key.c_str(), got.c_str());
    }
    return ok;
}

TEST(DefaultModel, ConfigCarriesTheTrainedWindowAndYarnX8) {
    const ll::ModelConfig& c = default_model().config();
    EXPECT_EQ(c.rope.trained_window, 512);
    EXPECT_EQ(c.rope.max_position_embeddings, 4096);
    EXPECT_EQ(c.scaling.method, "yarn");
    EXPECT_DOUBLE_EQ(c.scaling.params.at("factor"), 8.0);
    EXPECT_EQ(default_model().tokenizer().vocab_size(), 16000);
}

TEST(DefaultModel, RetrievesAPassKeyAt1xAnd4xWithItsScaling) {
    LL_REQUIRE_SHARED(kFiller);
    const ll::Model& m = default_model();
    const ll::PositionEncoding yarn(m.config().scaling, m.config().rope);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(retrieved(yarn, 512, 5), 5);
    EXPECT_EQ(retrieved(yarn, 2048, 5), 5);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("10 pass-key cases in %.1f s\n", s);
}

}  // namespace

namespace {

TEST(DefaultModel, WithoutScalingRetrievalCollapsesAt4x) {
    LL_REQUIRE_SHARED(kFiller);
    const ll::Model& m = default_model();
    const ll::ResolvedScaling none =
        ll::resolve_scaling(ll::parse_scaling_spec("none"), m.config().scaling, m.config().rope);
    const ll::PositionEncoding positions(none.spec, m.config().rope);
    EXPECT_LE(retrieved(positions, 2048, 5), 1);  // measured: 0 of 40 (MODEL_CARD.md)
}

}  // namespace
