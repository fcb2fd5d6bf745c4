// The Attention diagnostic (issue 17 §1): where an answer looked along the document, from the
// model's captured weights. Checked on the bundled model and its sample story: the profile's
// sums, that the CLI twin prints what the library computes, that heads and layers change it,
// teacher forcing, and the refused options. (That the captured weights are transformers'
// is test_attention_reference's job.)
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <numeric>

#include "bundled.h"
#include "cli_process.h"
#include "documents/importer.h"
#include "qa/answer.h"
#include "qa/model_run.h"

namespace {

const QString kQuestion = "What is the code for the cellar?";

double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

std::vector<double> doubles(const QJsonArray& a) {
    std::vector<double> out;
    for (const QJsonValue& v : a) out.push_back(v.toDouble());
    return out;
}

QJsonObject cli_attention(const QStringList& extra) {
    const CliResult r =
        run_cli(QStringList{"diagnose", "attention", "--doc", ll::bundled::sample_document(),
                            "--question", kQuestion, "--json"} +
                extra);
    EXPECT_EQ(r.exit_code, 0) << r.err.toStdString();
    return QJsonDocument::fromJson(r.out).object();
}

TEST(AttentionAlong, SharesAddUpAndTheCliPrintsWhatTheLibraryComputes) {
    ll::RunConfig config;
    config.model_path = ll::bundled::model_dir();
    const ll::ModelRun run = ll::load_run(config);
    const ll::Document doc = ll::import_document(ll::bundled::sample_document());
    const auto answerer = run.answerer(doc);
    ll::AnswerOptions options;
    options.max_answer_tokens = 64;
    const ll::Answer a = answerer->ask(kQuestion, options);
    const ll::AttentionAlong& at = a.attention;
    ASSERT_EQ(at.bins, 200);
    EXPECT_EQ(at.document_chars, doc.text.size());
    EXPECT_GT(at.answer_rows, 0);
    EXPECT_GT(at.document_share, 0.0);
    EXPECT_LE(at.document_share, 1.0 + 1e-6);
    // Every weight on a document token is in one bin and one depth decile.
    EXPECT_NEAR(sum(at.by_depth), at.document_share, 1e-9);
    EXPECT_LE(sum(at.raw), at.document_share + 1e-9);  // tokens without characters left out
    EXPECT_GT(sum(at.raw), 0.9 * at.document_share);
    EXPECT_NEAR(sum(at.excess), 1.0, 1e-9);

    const QJsonObject cli = cli_attention({});
    EXPECT_EQ(cli["answer"].toString(), a.text);
    const std::vector<double> raw = doubles(cli["raw"].toArray());
    ASSERT_EQ(raw.size(), at.raw.size());
    for (size_t b = 0; b < raw.size(); ++b)
        EXPECT_NEAR(raw[b], at.raw[b], 1e-5 + 1e-4 * at.raw[b]) << "bin " << b;
    EXPECT_NEAR(cli["document_share"].toDouble(), at.document_share, 1e-5);
}

TEST(AttentionAlong, HeadsLayersAndAForcedAnswerChangeWhatIsAveraged) {
    const QJsonObject all = cli_attention({"--answer", "73518."});
    const QJsonObject head0 = cli_attention({"--answer", "73518.", "--heads", "0"});
    const QJsonObject layer0 = cli_attention({"--answer", "73518.", "--attention-layers", "0"});
    EXPECT_EQ(all["answer"].toString(), "73518.");
    EXPECT_EQ(head0["heads"].toArray(), QJsonArray{0});
    const std::vector<double> a = doubles(all["raw"].toArray());
    const auto differs = [&](const QJsonObject& o) {
        const std::vector<double> b = doubles(o["raw"].toArray());
        double d = 0;
        for (size_t i = 0; i < a.size() && i < b.size(); ++i) d += std::abs(a[i] - b[i]);
        return d;
    };
    EXPECT_GT(differs(head0), 1e-3);
    EXPECT_GT(differs(layer0), 1e-3);
    // The same forced answer twice: the same profile.
    EXPECT_LT(differs(cli_attention({"--answer", "73518."})), 1e-4);
}

TEST(AttentionAlong, BadOptionsAreRefusedNamingThem) {
    const auto refused = [](const QStringList& extra, const char* name) {
        const CliResult r = run_cli(
            QStringList{"diagnose", "attention", "--doc", ll::bundled::sample_document()} + extra);
        EXPECT_NE(r.exit_code, 0);
        EXPECT_TRUE(r.err.contains(name)) << r.err.toStdString();
    };
    refused({"--question", kQuestion, "--heads", "99"}, "--heads");
    refused({"--question", kQuestion, "--heads", "x"}, "--heads");
    refused({"--question", kQuestion, "--bins", "0"}, "--bins");
    refused({"--question", kQuestion, "--attention-layers", "40"}, "--attention-layers");
    refused({}, "--question");
}

}  // namespace
