// EPUB importer: any archive gives a Document (spine text, navigation titles, structure) or
// an ImportError naming the file, never a crash, a hang or an inflation past the caps.
// Mutated ZIP bytes rarely survive the archive's CRCs, so an input is read as the members
// of an archive the harness writes with libzip: lines "@@ NAME" start a member, the lines
// after it are its content (make_seeds.sh writes books this way from ../shared's novels).
// An input that starts with a ZIP signature ("PK\3\4") is imported as it is.
#include <QByteArray>
#include <QList>
#include <QPair>

#include <zip.h>

#include <cstdint>

#include "document_checks.h"
#include "documents/epub_importer.h"
#include "documents/import_error.h"

namespace {

using Members = QList<QPair<QByteArray, QByteArray>>;

Members members_of(const QByteArray& text) {
    Members out;
    for (const QByteArray& part : text.split('\n')) {
        if (part.startsWith("@@ ")) {
            out.append({part.mid(3), {}});
        } else if (!out.isEmpty()) {
            if (!out.last().second.isEmpty()) out.last().second += '\n';
            out.last().second += part;
        }
    }
    return out;
}

// The archive's bytes (stored or deflated per member, as the input's last byte says); empty
// when libzip refuses a name.
QByteArray zip_of(const Members& members, bool deflate) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_t* z = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
    zip_error_fini(&error);
    if (!z) {
        if (buffer) zip_source_free(buffer);
        return {};
    }
    zip_source_keep(buffer);  // read back below, after zip_close wrote it
    for (const auto& [name, data] : members) {
        zip_source_t* src = zip_source_buffer(z, data.constData(), zip_uint64_t(data.size()), 0);
        const zip_int64_t index =
            src ? zip_file_add(z, name.constData(), src, ZIP_FL_OVERWRITE) : -1;
        if (index < 0) {
            if (src) zip_source_free(src);
            continue;
        }
        zip_set_file_compression(z, zip_uint64_t(index), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 0);
    }
    QByteArray out;
    if (zip_close(z) != 0) {
        zip_discard(z);
    } else if (zip_source_open(buffer) == 0) {
        char chunk[65536];
        for (zip_int64_t n; (n = zip_source_read(buffer, chunk, sizeof chunk)) > 0;)
            out.append(chunk, qsizetype(n));
        zip_source_close(buffer);
    }
    zip_source_free(buffer);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const QByteArray archive =
        input.startsWith("PK\3\4") ? input : zip_of(members_of(input), size % 2 == 1);
    try {
        ll::Document doc = ll::EpubImporter().import("fuzz.epub", archive, {});
        lltest::check_document(doc);
    } catch (const ll::ImportError&) {
    }
    return 0;
}
