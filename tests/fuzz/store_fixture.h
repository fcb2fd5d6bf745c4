// What the store fuzzers share: a QCoreApplication (Qt SQL loads its SQLite driver as a
// plugin), a scratch folder for the files SQLite insists on (the database, its WAL and
// shared-memory files, a damaged one moved aside), on tmpfs where there is one so SQLite's
// fsyncs cost nothing, and a library filled the way LongLens fills it (the seed).
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

#include "compare/comparison.h"
#include "library_store.h"

namespace lltest {

inline void start_qt() {
    static int argc = 1;
    static char name[] = "longlens-fuzz";
    static char* argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
}

// A folder emptied before each input.
class ScratchDir {
  public:
    ScratchDir()
        : dir_(QDir("/dev/shm").exists() && QFileInfo("/dev/shm").isWritable()
                   ? QStringLiteral("/dev/shm/longlens-fuzz-XXXXXX")
                   : QDir::tempPath() + "/longlens-fuzz-XXXXXX") {}
    QString path(const QString& name) const { return dir_.filePath(name); }
    void clear() const {
        QDir d(dir_.path());
        d.removeRecursively();
        QDir().mkpath(dir_.path());
    }

  private:
    QTemporaryDir dir_;
};

inline bool write_file(const QString& path, const char* data, qsizetype size) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data, size) == size;
}

// Two documents, answers with citations and run configurations, a comparison of two runs.
inline void fill_library(ll::LibraryStore& store) {
    const qint64 a =
        store.note_opened("3f1a9c0d2b7e4f6a8c1d3e5f7a9b0c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b",
                          "/home/reader/books/alice.txt", "Alice", "Plain text", "12 chapters");
    const qint64 b = store.add_path_only("/home/reader/old/civil-code.pdf", "民法典", "PDF");
    store.set_settings(a, QJsonObject{{"zoom", 1.25}, {"page", 3}});
    ll::AnswerRecord r;
    r.question = "Who is late?";
    r.answer = "The White Rabbit.";
    r.citations = {{120, 180, -1, "¶ 3 of Chapter 1", "Oh dear! Oh dear! I shall be late!", 0.9},
                   {300, 340, 2, "第十二条 · p. 3", "民事主体", 0.4}};
    r.complete = true;
    r.note = "retrieve, 812 tokens";
    r.run_config = ll::RunConfig{}.to_json();
    store.add_answer(a, r);
    r.citations.clear();
    r.complete = false;
    store.add_answer(b, r);
    ll::Comparison c;
    c.fingerprint = "3f1a9c0d2b7e4f6a8c1d3e5f7a9b0c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b";
    c.document_path = "/home/reader/books/alice.txt";
    c.question = "Who is late?";
    c.runs = {ll::RunConfig{}, ll::RunConfig::from_text("kv=f32;scaling=yarn:factor=4")};
    c.results.resize(2);
    c.results[0].status = ll::RunStatus::Done;
    c.results[0].answer = "The Rabbit.";
    store.save_comparison(a, c);
    store.set_meta("legacy_import", "2026-12-04T00:00:00Z");
}

}  // namespace lltest
