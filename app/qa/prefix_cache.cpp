#include "prefix_cache.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <cstdio>

#include "checksum.h"
#include "error.h"
#include "session.h"
#include "session_file.h"

namespace ll {

namespace {

uint64_t hash_of(const std::string& config, std::span<const int32_t> prefix) {
    Checksum sum;
    sum.add(config.data(), config.size());
    sum.add(prefix.data(), prefix.size_bytes());
    return sum.value();
}

}  // namespace

PrefixCache::PrefixCache(QString dir, qint64 max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

std::string PrefixCache::fingerprint(const std::string& config, std::span<const int32_t> prefix) {
    // The tokens themselves are in the file and checked by its checksum; their hash here
    // ties the file to this prefix, so a file copied under another name is refused.
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx",
                  static_cast<unsigned long long>(hash_of(config, prefix)));
    return config + "|prefix " + std::to_string(prefix.size()) + " tokens " + hash;
}

QString PrefixCache::path_for(const std::string& config, std::span<const int32_t> prefix) const {
    return QStringLiteral("%1/%2-%3.llkv")
        .arg(dir_)
        .arg(hash_of(config, prefix), 16, 16, QChar('0'))
        .arg(prefix.size());
}

PrefixCache::Load PrefixCache::load(Session& session, const std::string& config,
                                    std::span<const int32_t> prefix, QString* why) const {
    const QString path = path_for(config, prefix);
    if (!QFileInfo::exists(path)) return Load::Missing;
    try {
        load_session(session, path.toStdString(), fingerprint(config, prefix));
    } catch (const std::exception& e) {
        if (why) *why = QString::fromStdString(e.what());
        QFile::remove(path);  // rebuilt by the caller's prefill and save
        return Load::Rejected;
    }
    const bool same =
        std::equal(prefix.begin(), prefix.end(), session.tokens().begin(), session.tokens().end());
    if (!same) {  // cannot happen with an intact file of this fingerprint; never trust it
        if (why) *why = path + QStringLiteral(": holds other tokens than its name says");
        session.truncate(0);
        QFile::remove(path);
        return Load::Rejected;
    }
    // Touch it: eviction removes the least recently used files first.
    QFile file(path);
    if (file.open(QIODevice::ReadWrite | QIODevice::ExistingOnly))
        file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
    return Load::Loaded;
}

bool PrefixCache::save(const Session& session, const std::string& config,
                       std::span<const int32_t> prefix, QString* why) const {
    if (!QDir().mkpath(dir_)) {
        if (why) *why = dir_ + QStringLiteral(": cannot create the cache folder");
        return false;
    }
    try {
        save_session(session, path_for(config, prefix).toStdString(), fingerprint(config, prefix));
    } catch (const std::exception& e) {
        if (why) *why = QString::fromStdString(e.what());
        return false;
    }
    evict();
    return true;
}

bool PrefixCache::seen_before(const std::string& config, std::span<const int32_t> prefix) const {
    const QString marker = path_for(config, prefix) + QStringLiteral(".seen");
    if (QFileInfo::exists(marker)) return true;
    if (QDir().mkpath(dir_)) {
        QFile f(marker);
        if (f.open(QIODevice::WriteOnly)) f.close();
    }
    return false;
}

int PrefixCache::files() const {
    return static_cast<int>(QDir(dir_).entryList({"*.llkv"}, QDir::Files).size());
}

qint64 PrefixCache::bytes() const {
    qint64 total = 0;
    for (const QFileInfo& f : QDir(dir_).entryInfoList({"*.llkv"}, QDir::Files)) total += f.size();
    return total;
}

int PrefixCache::clear() const {
    int removed = 0;
    for (const QFileInfo& f : QDir(dir_).entryInfoList({"*.llkv", "*.part", "*.seen"}, QDir::Files))
        removed += QFile::remove(f.absoluteFilePath()) && f.suffix() == "llkv";
    return removed;
}

void PrefixCache::evict() const {
    QFileInfoList files = QDir(dir_).entryInfoList({"*.llkv"}, QDir::Files, QDir::Time);
    qint64 total = 0;
    for (const QFileInfo& f : files) total += f.size();
    const qint64 limit = max_bytes();
    // Newest first: drop from the back until the rest fits.
    while (total > limit && files.size() > 1) {
        total -= files.back().size();
        QFile::remove(files.back().absoluteFilePath());
        files.removeLast();
    }
    // Markers of passage plans asked once: the oldest go beyond a thousand.
    QFileInfoList seen = QDir(dir_).entryInfoList({"*.seen"}, QDir::Files, QDir::Time);
    while (seen.size() > 1000) {
        QFile::remove(seen.back().absoluteFilePath());
        seen.removeLast();
    }
}

namespace {

constexpr auto kLimitKey = "cache/limit_mib";

qint64 environment_limit_mib() {
    bool ok = false;
    const qint64 mib = qEnvironmentVariableIntValue("LONGLENS_CACHE_LIMIT_MIB", &ok);
    return ok && mib > 0 ? mib : 0;
}

}  // namespace

bool prefix_cache_limit_from_environment() {
    return environment_limit_mib() > 0;
}

qint64 default_prefix_cache_limit() {
    if (const qint64 mib = environment_limit_mib()) return mib << 20;
    // A settings file edited by hand is not trusted beyond the range a user may choose.
    bool ok = false;
    const qint64 mib = QSettings().value(kLimitKey).toLongLong(&ok);
    if (ok && mib > 0)
        return std::clamp(std::min(mib, kLargestCacheLimit >> 20) << 20, kSmallestCacheLimit,
                          kLargestCacheLimit);
    return qint64(4) << 30;
}

qint64 set_prefix_cache_limit(qint64 bytes) {
    const qint64 limit = std::clamp(bytes, kSmallestCacheLimit, kLargestCacheLimit);
    QSettings().setValue(kLimitKey, limit >> 20);
    return limit;
}

QString default_prefix_cache_dir() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/longlens/prefix");
}

std::string session_config(const Session& session) {
    // The spec's text names the method; the frequencies it yields (at the session's window)
    // pin down what its text may not show, such as LongRoPE's factor lists.
    const PositionEncoding& pe = session.positions();
    const RopeFrequencies f = pe.frequencies(session.max_context());
    Checksum freqs;
    freqs.add(f.inv_freq.data(), f.inv_freq.size() * sizeof(float));
    freqs.add(&f.attention_factor, sizeof f.attention_factor);
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(freqs.value()));
    return model_fingerprint(session.model()) + "|" + format_scaling_spec(pe.spec()) + " " + hash +
           "|" + session.attention_variant().to_string() + "|kv " +
           std::string(kv_type_name(session.kv_type()));
}

}  // namespace ll
