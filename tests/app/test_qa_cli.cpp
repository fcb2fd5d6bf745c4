// longlens-cli ask and needle as a user runs them: the JSON shapes, and citations on a PDF
// whose page and rectangles are exactly what `longlens-cli locate` says for the same range.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <vector>

#include "cli_process.h"
#include "shared_data.h"

namespace {

using Result = CliResult;

Result cli(const QStringList& args) {
    return run_cli(args);
}

QString shared(const char* rel) {
    return QString::fromStdString(lltest::shared_path(rel));
}

QJsonObject json_of(const Result& r) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    EXPECT_TRUE(doc.isObject()) << error.errorString().toStdString() << "\n" << r.out.toStdString();
    return doc.object();
}

const char* kModel = "models/ref-mini";
const char* kYarnPdf = "corpus/papers/yarn-2309.00071v2.pdf";

TEST(QaCli, AskOnAPdfCitesPagesAndRectanglesAsLocateDoes) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED(kYarnPdf);
    const Result r = cli({"ask", "--model", shared(kModel), "--doc", shared(kYarnPdf), "--threads",
                          "1", "--mode", "retrieve", "-n", "12", "--json",
                          "How does YaRN scale the attention temperature?"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonObject out = json_of(r);
    for (const char* key : {"answer", "citations", "context", "timing"})
        EXPECT_TRUE(out.contains(key)) << key;
    const QJsonObject context = out["context"].toObject();
    EXPECT_EQ(context["mode"].toString(), "retrieve");
    EXPECT_FALSE(context["passages"].toArray().isEmpty());
    EXPECT_GT(context["tokens"].toInt(), 0);
    const QJsonObject timing = out["timing"].toObject();
    for (const char* key : {"prefill_tokens", "prefill_s", "decode_tokens", "decode_s"})
        EXPECT_TRUE(timing.contains(key)) << key;
    const QJsonArray citations = out["citations"].toArray();
    ASSERT_FALSE(citations.isEmpty());
    for (const QJsonValue& v : citations) {
        const QJsonObject c = v.toObject();
        const Result loc =
            cli({"locate", shared(kYarnPdf), "--start", QString::number(c["start"].toInteger()),
                 "--end", QString::number(c["end"].toInteger()), "--json"});
        ASSERT_EQ(loc.exit_code, 0) << loc.err.toStdString();
        const QJsonObject where = json_of(loc);
        EXPECT_GE(c["page"].toInt(), 1);
        EXPECT_EQ(c["page"], where["page"]);
        EXPECT_EQ(c["rects"], where["rects"]);
        EXPECT_EQ(c["text"], where["text"]);
    }
}

TEST(QaCli, NeedlePrintsTheVerdicts) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED("fixtures/ref-mini/text_pride.txt");
    const Result r = cli(
        {"needle", "--model", shared(kModel), "--doc", shared("fixtures/ref-mini/text_pride.txt"),
         "--needle", "The secret password of the blue lighthouse is seventeen golden herons.",
         "--depth", "0.5", "--ctx", "200", "--probe", "forced", "--threads", "1", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonObject out = json_of(r);
    EXPECT_TRUE(out["answer_contains_needle"].toBool());
    EXPECT_TRUE(out["top_citation_covers_needle"].toBool());
    EXPECT_FALSE(out["citations"].toArray().isEmpty());
    EXPECT_TRUE(out["answer"].isString());
}

// The bundled model finds a pass key 700 tokens back with full attention; a 64-token sliding
// window cannot see it, so --attention must reach the session the probe reads in.
TEST(QaCli, NeedleReadsUnderTheChosenAttention) {
    LL_REQUIRE_SHARED("corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt");
    auto needle = [](const QString& attention) {
        const Result r =
            cli({"needle",
                 "--doc",
                 shared("corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt"),
                 "--attention",
                 attention,
                 "--intro",
                 "There is an important piece of information hidden in this text. Find it and "
                 "remember it.\n",
                 "--needle",
                 "The pass key is 58213. Remember it. 58213 is the pass key.",
                 "--probe-text",
                 "What is the pass key? The pass key is",
                 "--expect",
                 "58213",
                 "--depth",
                 "0.2",
                 "--ctx",
                 "1000",
                 "--probe",
                 "continue",
                 "--threads",
                 "1",
                 "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err.toStdString();
        return json_of(r);
    };
    EXPECT_TRUE(needle("full")["answer_contains_needle"].toBool());
    const QJsonObject windowed = needle("window:size=64");
    EXPECT_FALSE(windowed["answer_contains_needle"].toBool())
        << windowed["answer"].toString().toStdString();
}

TEST(QaCli, AskAppendsToTheDocumentsConversationInTheLibrary) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED("fixtures/ref-mini/text_pride.txt");
    QTemporaryDir library;
    ASSERT_TRUE(library.isValid());
    for (const char* q : {"Who is Elizabeth?", "Who is Darcy?"}) {
        const Result r = cli({"ask", "--model", shared(kModel), "--doc",
                              shared("fixtures/ref-mini/text_pride.txt"), "--threads", "1", "-n",
                              "6", "--library", library.path(), q});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    }
    const Result shown = cli({"library", "--library", library.path(), "export",
                              shared("fixtures/ref-mini/text_pride.txt"), "--format", "json"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err.toStdString();
    const QJsonArray answers = QJsonDocument::fromJson(shown.out).object()["answers"].toArray();
    ASSERT_EQ(answers.size(), 2);
    EXPECT_EQ(answers[0].toObject()["question"].toString(), "Who is Elizabeth?");
    EXPECT_EQ(answers[1].toObject()["question"].toString(), "Who is Darcy?");
    EXPECT_TRUE(answers[1].toObject()["complete"].toBool());
}

TEST(QaCli, ASecondRunLoadsTheDocumentFromTheCache) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED("fixtures/ref-mini/text_pride.txt");
    QTemporaryDir cache;
    ASSERT_TRUE(cache.isValid());
    auto ask = [&](const QString& question) {
        const Result r =
            cli({"ask", "--model", shared(kModel), "--doc",
                 shared("fixtures/ref-mini/text_pride.txt"), "--threads", "1", "--mode", "retrieve",
                 "--cache", cache.path(), "-n", "4", "--json", question});
        EXPECT_EQ(r.exit_code, 0) << r.err.toStdString();
        return json_of(r)["timing"].toObject();
    };
    // Retrieved passages are saved when they come back (issue 18): the first asking only
    // remembers them, the second saves them ...
    const QJsonObject first = ask("Who is Mrs. Bennet?");
    EXPECT_EQ(first["cache"].toString(), "off");
    EXPECT_TRUE(first["cache_note"].toString().contains("asked again"));
    EXPECT_EQ(first["reused_tokens"].toInt(), 0);
    EXPECT_EQ(ask("Who is Mrs. Bennet?")["cache"].toString(), "saved");
    // ... and another process asking again (retrieval picks passages by the question's words,
    // so the same question has the same document prefix) reads them from disk.
    const QJsonObject third = ask("Who is Mrs. Bennet?");
    EXPECT_EQ(third["cache"].toString(), "loaded");
    EXPECT_GT(third["reused_tokens"].toInt(), 100);
    EXPECT_LT(third["prefill_tokens"].toInt(), 20);
}

// A prompt whose KV cache would not fit is refused before any work: nothing is read, so the
// document cache stays empty. LONGLENS_MEMORY_LIMIT_MIB stands in for a small machine.
TEST(QaCli, APromptThatDoesNotFitInMemoryIsRefusedBeforeAnyWork) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED("fixtures/ref-mini/text_pride.txt");
    QTemporaryDir cache;
    ASSERT_TRUE(cache.isValid());
    QProcess p;
    QProcessEnvironment env = cli_environment();
    env.insert("LONGLENS_MEMORY_LIMIT_MIB", "1");
    p.setProcessEnvironment(env);
    p.start(QString(LONGLENS_BINARY_DIR) + "/longlens-cli",
            {"ask", "--model", shared(kModel), "--doc", shared("fixtures/ref-mini/text_pride.txt"),
             "--threads", "1", "--cache", cache.path(), "-n", "4", "Who is Mrs. Bennet?"});
    ASSERT_TRUE(p.waitForFinished(600000));
    const std::string err = p.readAllStandardError().toStdString();
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_NE(p.exitCode(), 0);
    EXPECT_NE(err.find("memory: a context of"), std::string::npos) << err;
    EXPECT_NE(err.find("but only 0.00 GiB are available"), std::string::npos) << err;
    EXPECT_TRUE(QDir(cache.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

// Random Llama-shaped models carrying the real Llama 3.1 and Qwen3 vocabularies (byte-level
// BPE, their chat templates), made by longlens-bench make-model from the vocab-only GGUFs
// the tokenizer tests unpack: ask, info and tokenize work end to end with them.
QString byte_level_model(const QTemporaryDir& dir, const std::string& name) {
    const QString vocab = QString::fromStdString(
        std::string(LONGLENS_BINARY_DIR) + "/tests/engine/tokenizer-data/" + name + "-vocab.gguf");
    const QString out = dir.filePath(QString::fromStdString(name) + ".gguf");
    QProcess p;
    p.start(QString(LONGLENS_BINARY_DIR) + "/bench/longlens-bench",
            {"make-model", "--shape", "small", "--type", "q8_0", "--vocab", vocab, "--out", out});
    p.waitForFinished(600000);
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    return out;
}

TEST(QaCli, ByteLevelBpeModelsTokenizeDescribeAndAnswer) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString doc = dir.filePath("doc.txt");
    {
        QFile f(doc);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(
            "第一条 为了保护民事主体的合法权益，制定本法。\n\n"
            "A line that looks like a turn: <|eot_id|><|im_end|>\n");
    }
    struct Expected {
        const char* name;
        const char* kind;
        const char* chat_template;
        std::vector<int> eot_ids;  // <|eot_id|> / <|im_end|> parsed
    };
    for (const Expected& e :
         {Expected{"llama-3.1", "byte-level BPE (llama-bpe)", "llama3", {128009}},
          Expected{"qwen3", "byte-level BPE (qwen2)", "qwen3", {151645}}}) {
        SCOPED_TRACE(e.name);
        const QString model = byte_level_model(dir, e.name);

        const Result info = cli({"info", "--model", model, "--json"});
        ASSERT_EQ(info.exit_code, 0) << info.err.toStdString();
        const QJsonObject o = json_of(info);
        EXPECT_EQ(o["tokenizer"].toObject()["type"].toString(), e.kind);
        EXPECT_EQ(o["chat_template"].toObject()["name"].toString(), e.chat_template);
        EXPECT_EQ(o["chat_template"].toObject()["warning"].toString(), "");

        const QString marker = e.eot_ids[0] == 128009 ? "<|eot_id|>" : "<|im_end|>";
        const Result as_text = cli({"tokenize", "--model", model, "--text", marker});
        const Result parsed =
            cli({"tokenize", "--model", model, "--text", marker, "--parse-special"});
        ASSERT_EQ(parsed.exit_code, 0) << parsed.err.toStdString();
        EXPECT_EQ(parsed.out.trimmed().toInt(), e.eot_ids[0]);
        EXPECT_GT(as_text.out.trimmed().split(' ').size(), 1);  // characters, not the token

        const Result r =
            cli({"ask", "--model", model, "--doc", doc, "--threads", "1", "-n", "4", "--no-cache",
                 "--library", dir.filePath("library"), "--json", "What does article 1 say?"});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
        EXPECT_GT(json_of(r)["context"].toObject()["tokens"].toInt(), 10);
    }
}

TEST(QaCli, BadOptionsAreExplained) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    Result r = cli({"ask", "--model", shared(kModel), "--doc", "/nonexistent.txt", "Q?"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("/nonexistent.txt")) << r.err.toStdString();
    r = cli({"ask", "--model", shared(kModel), "--doc", shared("fixtures/ref-mini/text_pride.txt"),
             "--mode", "everything", "Q?"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("everything")) << r.err.toStdString();
}

}  // namespace

namespace {

// calibrate (issue 18): writes the model's calibration (--force: whether or not it beats the
// head average), ask uses it and says so, a damaged file is refused naming it.
TEST(QaCli, CalibrateWritesACalibrationAskUsesAndRefusesADamagedOne) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED("fixtures/ref-mini/text_pride.txt");
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString file = dir.filePath("ref-mini.json");
    const Result made = cli({"calibrate", "--model", shared(kModel), "--doc",
                             shared("fixtures/ref-mini/text_pride.txt"), "--threads", "1",
                             "--examples", "2", "--ablations", "4", "--context", "64",
                             "--answer-tokens", "4", "--force", "--out", file, "--json"});
    ASSERT_EQ(made.exit_code, 0) << made.err.toStdString();
    const QJsonObject fit = json_of(made);
    EXPECT_EQ(fit["file"].toString(), file);
    EXPECT_EQ(fit["examples"].toInt() + fit["skipped"].toInt(), 2);
    EXPECT_FALSE(fit["heads"].toArray().isEmpty());
    ASSERT_TRUE(QFile::exists(file));

    auto ask = [&](const QStringList& extra) {
        return cli(QStringList{"ask", "--model", shared(kModel), "--doc",
                               shared("fixtures/ref-mini/text_pride.txt"), "--threads", "1",
                               "--no-library", "--no-cache", "-n", "4", "--json"} +
                   extra + QStringList{"Who is Mrs. Bennet?"});
    };
    const Result calibrated = ask({"--calibration", file});
    ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err.toStdString();
    EXPECT_EQ(json_of(calibrated)["attribution"].toString(), "calibrated");
    EXPECT_EQ(json_of(ask({"--no-calibration"}))["attribution"].toString(), "heuristic");

    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::ReadWrite));
    ASSERT_TRUE(f.resize(f.size() / 2));
    f.close();
    const Result damaged = ask({"--calibration", file});
    EXPECT_NE(damaged.exit_code, 0);
    EXPECT_TRUE(damaged.err.contains(file.toUtf8()) && damaged.err.contains("damaged"))
        << damaged.err.toStdString();
}

}  // namespace
