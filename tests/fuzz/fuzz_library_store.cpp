// The library database (LibraryStore, SQLite): any file where library.sqlite should be gives
// a library that is read and written as the GUI and the CLI do (documents, conversations,
// comparisons, a new answer), or one set aside and reported; never a crash or a hang. With
// LONGLENS_FUZZ_SEED=FILE set, the target writes a filled library to FILE (the seed) and
// exits.
#include <cstdint>
#include <cstdlib>

#include "store_fixture.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    lltest::start_qt();
    if (const char* seed = std::getenv("LONGLENS_FUZZ_SEED")) {
        QFile::remove(seed);
        {
            ll::LibraryStore store(QString::fromLocal8Bit(seed));
            lltest::fill_library(store);
        }
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const lltest::ScratchDir scratch;
    scratch.clear();
    const QString file = scratch.path("library.sqlite");
    if (!lltest::write_file(file, reinterpret_cast<const char*>(data), qsizetype(size))) return 0;
    ll::LibraryStore store(file);
    if (!store.is_open()) return 0;
    // Read as the library panel, the conversation view and `library show` read it.
    for (const ll::LibraryDocument& d : store.documents()) {
        (void)store.conversation(d.id);
        for (const ll::ComparisonEntry& e : store.comparisons(d.fingerprint))
            (void)store.comparison(e.id);
        (void)store.find(d.path);
        (void)store.find(QString::number(d.id));
    }
    (void)store.meta("legacy_import");
    // Then written as an answer is: note the document, store the answer, complete it.
    const qint64 id =
        store.note_opened(QString(64, 'a'), "/tmp/fuzz.txt", "fuzz", "Plain text", {});
    ll::AnswerRecord a;
    a.question = "q";
    a.citations = {{0, 1, -1, "¶ 1", "x", 1.0}};
    if (id && store.add_answer(id, a)) {
        a.answer = "done";
        a.complete = true;
        (void)store.update_answer(a);
        (void)store.conversation(id);
    }
    (void)store.set_settings(id, QJsonObject{{"zoom", 2}});
    (void)store.remove(id);
    return 0;
}
