// The document KV cache on disk: the state of a session after the prompt's document prefix
// (BOS, frame, document), saved once per (model, position encoding, attention variant,
// prefix tokens) so that later questions — also after a restart — load it instead of
// prefilling the document again. The prefix tokens already encode the document, the plan
// and the chat template; the rest goes into the fingerprint the file is checked against.
// A damaged or foreign file is reported, deleted and rebuilt; never trusted.
#pragma once

#include <QString>

#include <cstdint>
#include <span>
#include <string>

namespace ll {

// The size the cache is kept under: $LONGLENS_CACHE_LIMIT_MIB when set to a number (`longlens-cli
// ask --cache-limit MIB` sets it for one run), else the limit the user chose (settings key
// cache/limit_mib, shared by the GUI and the CLI), else 4 GiB.
qint64 default_prefix_cache_limit();
// Whether $LONGLENS_CACHE_LIMIT_MIB fixes the limit (the setting then has no effect).
bool prefix_cache_limit_from_environment();
// The limits a user may choose: a reading of a large document is hundreds of MB, and more than
// a TiB is no longer a cache.
constexpr qint64 kSmallestCacheLimit = qint64(256) << 20;
constexpr qint64 kLargestCacheLimit = qint64(1) << 40;
// Stores the user's limit (clamped to the range above) for the GUI and the CLI; returns it.
qint64 set_prefix_cache_limit(qint64 bytes);

class Session;

class PrefixCache {
  public:
    // `dir` is created when needed; files beyond `max_bytes` in all are evicted, least
    // recently used first. 0: the limit in force when evicting (default_prefix_cache_limit),
    // so a limit the user changes applies to caches already open.
    explicit PrefixCache(QString dir, qint64 max_bytes = 0);

    // The file for this prefix under `config` (what the state depends on besides the
    // tokens: model fingerprint, positions, attention).
    QString path_for(const std::string& config, std::span<const int32_t> prefix) const;

    // The fingerprint written into and checked against a file.
    static std::string fingerprint(const std::string& config, std::span<const int32_t> prefix);

    enum class Load { Missing, Loaded, Rejected };
    // Restores `session` from the prefix's file when there is one. A file that is refused
    // (damaged, another model or configuration) is deleted and *why says what was wrong.
    Load load(Session& session, const std::string& config, std::span<const int32_t> prefix,
              QString* why = nullptr) const;
    // Saves `session`, which must hold exactly `prefix`; then evicts old files. Returns
    // false (and *why) when the file cannot be written: the cache is an optimisation, so a
    // full disk does not fail the question.
    bool save(const Session& session, const std::string& config, std::span<const int32_t> prefix,
              QString* why = nullptr) const;

    // A prefix that is not the whole document (retrieved passages) is worth saving only when
    // it comes back: the first time, this leaves an empty marker beside where its file would
    // be and returns false; when the marker is there, true (issue 18: twenty questions in
    // passage mode saved 448 MB that were never read).
    bool seen_before(const std::string& config, std::span<const int32_t> prefix) const;

    const QString& dir() const { return dir_; }
    qint64 max_bytes() const { return max_bytes_ > 0 ? max_bytes_ : default_prefix_cache_limit(); }
    // What the cache holds: files and bytes.
    int files() const;
    qint64 bytes() const;
    // Deletes every cache file (and any half-written one); returns how many. A later
    // question reads its document again and saves it anew.
    int clear() const;
    // Drops the least recently used readings until the rest fits max_bytes (the newest one
    // always stays); save() does it after writing, a lowered limit calls it at once.
    void evict() const;

  private:
    QString dir_;
    qint64 max_bytes_;
};

// The cache folder the GUI and the CLI share: <user cache>/longlens/prefix.
QString default_prefix_cache_dir();

// What a Session's state depends on besides its tokens, for PrefixCache: the model's
// fingerprint, the position encoding, the attention variant and the KV cache type.
std::string session_config(const Session& session);

}  // namespace ll
