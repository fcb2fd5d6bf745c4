// Per-model attribution calibration (issue 18, AT2-style): the fit recovers known head
// weights on a synthetic problem, the calibration file round-trips and is refused (with a
// message naming it) when damaged or made for another model file, and a tiny real
// calibration on ref-mini measures ablations and is used at answer time.
#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <random>

#include "documents/document.h"
#include "qa/answer.h"
#include "qa/calibration_file.h"
#include "qa/calibration_run.h"
#include "qa/head_weight_fit.h"
#include "qa/model_run.h"
#include "shared_data.h"

namespace {

// Examples whose effects are exactly a known weighting of the heads' features, each with its
// own scale and offset (as real examples differ in how much the context matters), plus a
// little noise.
std::vector<ll::CalibrationExample> synthetic(const std::vector<double>& truth, int examples,
                                              uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 0.01);
    const size_t units = 10;
    std::vector<ll::CalibrationExample> out;
    for (int e = 0; e < examples; ++e) {
        ll::CalibrationExample ex;
        for (size_t h = 0; h < truth.size(); ++h) {
            std::vector<double> f(units);
            double sum = 0;
            for (double& x : f) sum += (x = uniform(rng) * uniform(rng));
            for (double& x : f) x /= sum;  // a head's shares over the units
            ex.features.push_back(f);
        }
        const double scale = 0.5 + 3 * uniform(rng), offset = uniform(rng) - 0.5;
        for (int j = 0; j < 32; ++j) {
            ll::Ablation a;
            a.kept.resize(units);
            double effect = offset;
            for (size_t u = 0; u < units; ++u) {
                a.kept[u] = rng() & 1;
                if (!a.kept[u])
                    for (size_t h = 0; h < truth.size(); ++h)
                        effect += scale * truth[h] * ex.features[h][u];
            }
            a.effect = effect + noise(rng);
            ex.ablations.push_back(a);
        }
        out.push_back(ex);
    }
    return out;
}

TEST(HeadWeightFit, RecoversKnownWeights) {
    const std::vector<double> truth{0, 2, 0, 0.5, 0, 1};
    const auto examples = synthetic(truth, 24, 7);
    std::vector<double> w = ll::fit_head_weights(examples);
    ASSERT_EQ(w.size(), truth.size());
    const double top = *std::max_element(w.begin(), w.end());
    ASSERT_GT(top, 0);
    for (size_t h = 0; h < w.size(); ++h)
        EXPECT_NEAR(w[h] / top, truth[h] / 2, 0.05) << "head " << h;
    // Held-out examples: the fitted weights predict their effects, the head average less so.
    const auto held_out = synthetic(truth, 8, 99);
    const double fitted = ll::mean_correlation(held_out, w);
    const double average = ll::mean_correlation(held_out, std::vector<double>(truth.size(), 1.0));
    EXPECT_GT(fitted, 0.95);
    EXPECT_GT(fitted, average);
}

TEST(HeadWeightFit, EffectsThatDoNotVaryTeachNothing) {
    auto examples = synthetic({1, 0}, 4, 3);
    for (auto& e : examples)
        for (auto& a : e.ablations) a.effect = 0.25;
    for (double w : ll::fit_head_weights(examples)) EXPECT_EQ(w, 0.0);
}

// A stand-in model file: identity is its path, size and modification time.
QString write_file(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    return path;
}

ll::AttributionCalibration calibration_for(const QString& model) {
    ll::AttributionCalibration c;
    c.model = ll::identify_model(model);
    c.n_layers = 4;
    c.n_heads = 4;
    c.heads = {{1, 2, 1.0}, {3, 0, 0.25}};
    c.examples = 8;
    c.ablations = 256;
    c.held_out_correlation = 0.5;
    c.head_average_correlation = 0.2;
    c.documents = {"a.txt"};
    c.method = "nnls";
    c.created = "2026-12-05T00:00:00Z";
    return c;
}

TEST(CalibrationFile, RoundTripsAndIsRefusedWhenDamagedOrForeign) {
    QTemporaryDir dir;
    const QString model = write_file(dir.filePath("model.gguf"), "GGUF weights");
    const QString other = write_file(dir.filePath("other.gguf"), "GGUF other weights");
    const QString file = ll::calibration_file(dir.filePath("calibration"), model);
    EXPECT_NE(file, ll::calibration_file(dir.filePath("calibration"), other));

    // None yet: no calibration, no complaint.
    ll::CalibrationLoad none = ll::load_calibration(file, model);
    EXPECT_FALSE(none.calibration);
    EXPECT_TRUE(none.problem.isEmpty());

    ll::save_calibration(file, calibration_for(model));
    const ll::CalibrationLoad back = ll::load_calibration(file, model);
    ASSERT_TRUE(back.calibration) << back.problem.toStdString();
    EXPECT_EQ(back.calibration->model, ll::identify_model(model));
    ASSERT_EQ(back.calibration->heads.size(), 2u);
    EXPECT_EQ(back.calibration->heads[1].layer, 3);
    EXPECT_DOUBLE_EQ(back.calibration->heads[1].weight, 0.25);
    EXPECT_EQ(back.calibration->layers(), (std::vector<int>{1, 3}));
    EXPECT_EQ(back.calibration->ablations, 256);
    EXPECT_EQ(ll::load_model_calibration(model, dir.filePath("calibration")).calibration->examples,
              8);

    // Another model file: refused, naming the file.
    const ll::CalibrationLoad foreign = ll::load_calibration(file, other);
    EXPECT_FALSE(foreign.calibration);
    EXPECT_TRUE(foreign.problem.startsWith(file)) << foreign.problem.toStdString();
    EXPECT_TRUE(foreign.problem.contains("not this model file"));

    // The same path, changed since: refused too.
    write_file(model, "GGUF weights, retrained");
    EXPECT_FALSE(ll::load_calibration(file, model).calibration);
    write_file(model, "GGUF weights");  // back to the calibrated size
    ll::save_calibration(file, calibration_for(model));

    // Damaged: cut in half, or a weight out of range.
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray whole = f.readAll();
    f.close();
    write_file(file, whole.left(whole.size() / 2));
    const ll::CalibrationLoad cut = ll::load_calibration(file, model);
    EXPECT_FALSE(cut.calibration);
    EXPECT_TRUE(cut.problem.startsWith(file));
    EXPECT_TRUE(cut.problem.contains("damaged"));
    QByteArray bad = whole;
    bad.replace("\"n_heads\": 4", "\"n_heads\": 2");  // head 2 no longer exists
    write_file(file, bad);
    const ll::CalibrationLoad out_of_range = ll::load_calibration(file, model);
    EXPECT_FALSE(out_of_range.calibration);
    EXPECT_TRUE(out_of_range.problem.contains("out of range"))
        << out_of_range.problem.toStdString();
}

// A real calibration, kept tiny for the sanitizer run: ref-mini (4 layers x 4 heads, 256-token
// window), two stretches of about 96 tokens of Pride and Prejudice, 6 ablations each.
TEST(CalibrationRun, RefMiniMeasuresAblationsAndCalibratesItsCitations) {
    LL_REQUIRE_SHARED("models/ref-mini/model.safetensors");
    LL_REQUIRE_SHARED("fixtures/ref-mini/text_pride.txt");
    ll::RunConfig config;
    config.model_path = QString::fromStdString(lltest::shared_path("models/ref-mini"));
    const ll::ModelRun run = ll::load_run(config);
    ll::Document doc;
    doc.path = QString::fromStdString(lltest::shared_path("fixtures/ref-mini/text_pride.txt"));
    doc.text = QString::fromStdString(lltest::read_text(doc.path.toStdString()));
    doc.index_lines();

    ll::CalibrationOptions options;
    options.examples = 2;
    options.ablations = 6;
    options.context_tokens = 96;
    options.answer_tokens = 8;
    int reports = 0;
    const ll::CalibrationResult r = ll::calibrate_attribution(
        run, {&doc}, options, [&](const ll::CalibrationProgress&) { ++reports; });
    ASSERT_FALSE(r.cancelled);
    ASSERT_EQ(r.examples.size() + size_t(r.skipped), 2u);
    ASSERT_FALSE(r.examples.empty());
    EXPECT_GT(reports, 0);
    bool varies = false;
    for (const ll::CalibrationExample& e : r.examples) {
        ASSERT_EQ(e.features.size(), 16u);  // every head of every layer
        ASSERT_GE(e.ablations.size(), 3u);
        for (const auto& head : e.features) {
            double sum = 0;
            for (double share : head) sum += share;
            // The sentences hold (nearly) all the document's tokens.
            EXPECT_GT(sum, 0.8);
            EXPECT_LT(sum, 1.0 + 1e-6);
        }
        for (const ll::Ablation& a : e.ablations) {
            EXPECT_TRUE(std::isfinite(a.effect));
            varies = varies || std::abs(a.effect - e.ablations.front().effect) > 1e-6;
        }
    }
    EXPECT_TRUE(varies) << "dropping sentences never changed the answer's log-probability";
    const ll::AttributionCalibration& c = r.calibration;
    EXPECT_EQ(c.n_layers, 4);
    EXPECT_EQ(c.n_heads, 4);
    EXPECT_EQ(c.model, ll::identify_model(config.model_path));

    // Cancelled from the progress callback: nothing fitted.
    std::atomic<bool> cancel{false};
    const ll::CalibrationResult stopped = ll::calibrate_attribution(
        run, {&doc}, options, [&](const ll::CalibrationProgress&) { cancel = true; }, &cancel);
    EXPECT_TRUE(stopped.cancelled);
    EXPECT_TRUE(stopped.calibration.heads.empty());

    // At answer time the calibrated heads' layers are captured and rank the units.
    if (c.heads.empty()) GTEST_SKIP() << "the ablations supported no head on this sample";
    const auto answerer = run.answerer(doc);
    ll::AnswerOptions ask;
    ask.max_answer_tokens = 8;
    ask.attribution.calibration = std::make_shared<const ll::AttributionCalibration>(c);
    const ll::Answer a = answerer->ask("What did Mr. Bennet say?", ask);
    EXPECT_FALSE(a.citations.empty());
}

}  // namespace
