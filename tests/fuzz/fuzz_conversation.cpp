// The conversation files LongLens reads besides its library: an older version's conversation
// (<data>/conversations/*.json, the GUI's "exchanges" or the CLI's "turns") and library list
// (the settings file's [library] array), both imported into the library once
// (import_legacy_stores), and the JSON forms of an answer, a comparison and a run
// configuration the library and the exports read back. Any bytes give records, or the file
// named as not read; never a crash or a hang. The first byte picks which reader gets the
// rest.
#include <QJsonDocument>
#include <QSettings>

#include <cstdint>

#include "app_error.h"
#include "legacy_import.h"
#include "settings_file.h"
#include "store_fixture.h"

namespace {

void read_json_forms(const QByteArray& bytes) {
    const QJsonObject o = QJsonDocument::fromJson(bytes).object();
    const ll::AnswerRecord a = ll::answer_record_from_json(o);
    (void)ll::to_json(a);
    try {
        const ll::RunConfig c = ll::RunConfig::from_json(o.value("run_config").toObject());
        (void)c.to_text();
    } catch (const ll::AppError&) {
    }
    try {
        const ll::Comparison c = ll::comparison_from_json(o);
        (void)ll::to_json(c);
    } catch (const ll::AppError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    lltest::start_qt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const lltest::ScratchDir scratch;
    static int serial = 0;  // QSettings caches a file by name: each input gets its own
    scratch.clear();
    const QByteArray rest(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));
    const int reader = data[0] % 3;
    if (reader == 2) {
        read_json_forms(rest);
        return 0;
    }
    const QString ini = scratch.path(QString("settings-%1.conf").arg(++serial));
    QDir().mkpath(scratch.path("conversations"));
    if (!lltest::write_file(reader == 0 ? scratch.path("conversations/old.json") : ini,
                            rest.constData(), rest.size()))
        return 0;
    (void)ll::set_aside_if_unreadable(ini);
    QSettings settings(ini, QSettings::IniFormat);
    ll::LibraryStore store(scratch.path("library.sqlite"));
    const ll::LegacyImport imported =
        ll::import_legacy_stores(store, settings, scratch.path("conversations"));
    for (const ll::LibraryDocument& d : store.documents()) (void)store.conversation(d.id);
    (void)imported;
    return 0;
}
