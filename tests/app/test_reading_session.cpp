// ReadingSession headless, on real documents and a real model: the import queue, the
// documents kept open (least recently used dropped first), a failed and a cancelled import,
// the run configuration it holds, and what it refuses to ask without.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QSignalSpy>

#include "app_error.h"
#include "bundled.h"
#include "event_loop_support.h"
#include "model_service.h"
#include "qa/run_config.h"
#include "reading_session.h"
#include "shared_data.h"

namespace {

const char* kModel = "models/ref-mini/config.json";
const char* kConstitution = "corpus/legal/us-constitution.en.txt";
const char* kGpl = "corpus/legal/gpl-3.0.en.txt";

QString shared(const char* rel) {
    return QString::fromStdString(lltest::shared_path(rel));
}

bool idle(const ll::ReadingSession& s) {
    return !s.importing() && s.queued().isEmpty();
}

class ReadingSessionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        lltest::core_app();
        sample_ = ll::bundled::sample_document();
        if (sample_.isEmpty()) GTEST_SKIP() << "bundled sample document not found";
    }
    QString sample_;
};

TEST_F(ReadingSessionTest, ImportsTheQueueInOrderAndTheLastStaysOpen) {
    LL_REQUIRE_SHARED(kConstitution);
    LL_REQUIRE_SHARED(kGpl);
    ll::ReadingSession session;
    QSignalSpy imported(&session, &ll::ReadingSession::imported);
    const QStringList paths{sample_, shared(kConstitution), shared(kGpl)};
    session.import_files(paths);
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    ASSERT_EQ(imported.size(), 3);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(imported[i][0].toString(), QFileInfo(paths[i]).absoluteFilePath());
    ASSERT_TRUE(session.document());
    EXPECT_EQ(QFileInfo(session.document()->path), QFileInfo(shared(kGpl)));
    EXPECT_TRUE(session.document()->text.contains("GNU GENERAL PUBLIC LICENSE"));
}

TEST_F(ReadingSessionTest, KeepsTheMostRecentlyUsedDocumentsOpen) {
    LL_REQUIRE_SHARED(kConstitution);
    LL_REQUIRE_SHARED(kGpl);
    ll::ReadingSession session(nullptr, 2);
    const QString a = QFileInfo(sample_).absoluteFilePath();
    const QString b = shared(kConstitution), c = shared(kGpl);
    session.import_files({a, b});
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    EXPECT_EQ(session.kept_open(), (QStringList{b, a}));

    // Back to a: at once, from memory, and now the most recently used.
    QSignalSpy started(&session, &ll::ReadingSession::import_started);
    QSignalSpy changed(&session, &ll::ReadingSession::document_changed);
    session.open(a);
    EXPECT_EQ(changed.size(), 1);
    EXPECT_TRUE(started.isEmpty());
    EXPECT_EQ(session.document()->path, a);
    EXPECT_EQ(session.kept_open(), (QStringList{a, b}));

    // A third document drops b, the least recently used, not a (the oldest import).
    session.import_files({c});
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    EXPECT_EQ(session.kept_open(), (QStringList{c, a}));
    started.clear();
    session.open(a);
    EXPECT_TRUE(started.isEmpty()) << "a was dropped";
    session.open(b);
    EXPECT_EQ(started.size(), 1) << "b was still kept";
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    EXPECT_EQ(session.document()->path, b);
}

TEST_F(ReadingSessionTest, AFailedImportIsReportedAndTheQueueGoesOn) {
    ll::ReadingSession session;
    QSignalSpy failed(&session, &ll::ReadingSession::import_failed);
    const QString missing = QDir::temp().filePath("longlens-no-such-document.txt");
    session.import_files({missing, sample_});
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    ASSERT_EQ(failed.size(), 1);
    EXPECT_TRUE(failed[0][1].toString().contains("longlens-no-such-document.txt"))
        << qPrintable(failed[0][1].toString());
    ASSERT_TRUE(session.document());
    EXPECT_EQ(QFileInfo(session.document()->path), QFileInfo(sample_));
}

TEST_F(ReadingSessionTest, ACancelledImportOpensNothing) {
    ll::ReadingSession session;
    QSignalSpy cancelled(&session, &ll::ReadingSession::import_cancelled);
    session.import_files({sample_});
    ASSERT_TRUE(session.importing());
    session.cancel_import();
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    EXPECT_EQ(cancelled.size(), 1);
    EXPECT_FALSE(session.document());
    EXPECT_TRUE(session.kept_open().isEmpty());
}

TEST_F(ReadingSessionTest, RefusesToAskWithoutADocumentOrAModel) {
    ll::ReadingSession session;
    try {
        session.check_can_ask();
        ADD_FAILURE() << "asked without a document";
    } catch (const ll::AppError& e) {
        EXPECT_EQ(e.problem(), "No document is open.");
        EXPECT_FALSE(e.hint().isEmpty());
    }
    session.import_files({sample_});
    ASSERT_TRUE(lltest::run_until([&] { return idle(session); }));
    EXPECT_THROW(session.check_can_ask(), ll::AppError);  // no model yet
}

TEST_F(ReadingSessionTest, HoldsTheRunConfigurationAndAppliesChangesToTheModel) {
    LL_REQUIRE_SHARED(kModel);
    ll::ReadingSession session;
    ll::ModelService* service = session.model_service();
    EXPECT_EQ(session.run_config(), ll::RunConfig{});

    // Without a model: kept for the next one; what cannot be valid is refused.
    ll::RunConfig config;
    config.set_scaling("linear:factor=2");
    config.context = ll::ContextMode::Retrieve;
    session.set_run_config(config);
    ll::RunConfig bad = config;
    bad.window = 8;
    try {
        session.set_run_config(bad);
        ADD_FAILURE() << "a window of 8 tokens was taken";
    } catch (const ll::AppError& e) {
        EXPECT_EQ(e.file(), "window") << e.what();
    }
    EXPECT_EQ(session.run_config(), config);

    // The model loads under it; a change is resolved against the model and shown.
    QSignalSpy loaded(service, &ll::ModelService::loaded);
    service->load(shared("models/ref-mini"));
    ASSERT_TRUE(lltest::run_until([&] { return !loaded.isEmpty(); }));
    EXPECT_EQ(service->summary().method, "linear");
    EXPECT_EQ(session.run_config().model_path, shared("models/ref-mini"));
    EXPECT_EQ(session.run_config().context, ll::ContextMode::Retrieve);

    QSignalSpy changed(service, &ll::ModelService::summary_changed);
    config = session.run_config();
    config.set_attention("window:size=64");
    config.kv = ll::KvType::F32;
    session.set_run_config(config);
    EXPECT_EQ(changed.size(), 1);
    EXPECT_EQ(service->summary().attention, "window:size=64");
    EXPECT_EQ(service->summary().kv_type, "f32");
    EXPECT_EQ(session.run_config(), config);
}

}  // namespace
