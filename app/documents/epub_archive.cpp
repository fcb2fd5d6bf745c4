#include "epub_archive.h"

#include <zip.h>

#include <algorithm>
#include <cstdint>

#include "import_error.h"

namespace ll {

namespace {

QString megabytes(quint64 bytes) {
    return QString::number(double(bytes) / (1024 * 1024), 'f', bytes < 10 * 1024 * 1024 ? 1 : 0);
}

}  // namespace

EpubArchive::EpubArchive(const QString& path, const QByteArray& bytes)
    : path_(path), bytes_(bytes) {
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
    // The size the archive declares; zip_fread below never reads more than it.
    if (st.size > zip_uint64_t(kMaxMemberBytes))
        throw ImportError(path_, QStringLiteral("the member %1 inflates to %2 MB, more than the "
                                                "%3 MB LongLens reads of one member (a ZIP bomb?)")
                                     .arg(name, megabytes(st.size), megabytes(kMaxMemberBytes)));
    check_total(qint64(st.size));
    inflated_ += qint64(st.size);
    zip_file_t* file = zip_fopen(archive_, utf8.constData(), 0);
    if (!file) return std::nullopt;
    QByteArray data(qsizetype(st.size), Qt::Uninitialized);
    const zip_int64_t n = zip_fread(file, data.data(), st.size);
    zip_fclose(file);
    if (n < 0 || zip_uint64_t(n) != st.size) return std::nullopt;
    return data;
}

qint64 EpubArchive::declared_size(const QString& name) const {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive_, name.toUtf8().constData(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return 0;
    return qint64(std::min<zip_uint64_t>(st.size, zip_uint64_t(INT64_MAX)));
}

void EpubArchive::check_total(qint64 bytes) const {
    if (bytes > kMaxInflatedBytes - inflated_)
        throw ImportError(
            path_, QStringLiteral("its documents inflate to %1 MB, more than the "
                                  "%2 MB LongLens reads of one EPUB (a ZIP bomb?)")
                       .arg(megabytes(quint64(inflated_ + bytes)), megabytes(kMaxInflatedBytes)));
}

}  // namespace ll
