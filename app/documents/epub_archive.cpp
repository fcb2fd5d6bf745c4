#include "epub_archive.h"

#include <zip.h>

#include "import_error.h"

namespace ll {

EpubArchive::EpubArchive(const QString& path, const QByteArray& bytes) : bytes_(bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source =
        zip_source_buffer_create(bytes_.constData(), zip_uint64_t(bytes_.size()), 0, &error);
    if (source) {
        archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (!archive_) zip_source_free(source);
    }
    const QString why = QString::fromUtf8(zip_error_strerror(&error));
    zip_error_fini(&error);
    if (!archive_)
        throw ImportError(path,
                          QStringLiteral("not a readable EPUB (ZIP archive damaged: %1)").arg(why));
}

EpubArchive::~EpubArchive() {
    if (archive_) zip_discard(archive_);
}

std::optional<QByteArray> EpubArchive::read(const QString& name) const {
    const QByteArray utf8 = name.toUtf8();
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive_, utf8.constData(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return std::nullopt;
    // Refuse members that inflate beyond any plausible chapter (zip bombs).
    if (st.size > 256ULL * 1024 * 1024) return std::nullopt;
    zip_file_t* file = zip_fopen(archive_, utf8.constData(), 0);
    if (!file) return std::nullopt;
    QByteArray data(qsizetype(st.size), Qt::Uninitialized);
    const zip_int64_t n = zip_fread(file, data.data(), st.size);
    zip_fclose(file);
    if (n < 0 || zip_uint64_t(n) != st.size) return std::nullopt;
    return data;
}

}  // namespace ll
