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

// The size the cache is kept under: $LONGLENS_CACHE_LIMIT_MIB when set to a number, else
// 4 GiB (`longlens-cli ask --cache-limit MIB` sets it for one run).
qint64 default_prefix_cache_limit();

class Session;

class PrefixCache {
  public:
    // `dir` is created when needed; files beyond `max_bytes` in all are evicted, least
    // recently used first.
    explicit PrefixCache(QString dir, qint64 max_bytes = default_prefix_cache_limit());

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
    qint64 max_bytes() const { return max_bytes_; }
    // What the cache holds: files and bytes.
    int files() const;
    qint64 bytes() const;
    // Deletes every cache file (and any half-written one); returns how many. A later
    // question reads its document again and saves it anew.
    int clear() const;

  private:
    void evict() const;

    QString dir_;
    qint64 max_bytes_;
};

// The cache folder the GUI and the CLI share: <user cache>/longlens/prefix.
QString default_prefix_cache_dir();

// What a Session's state depends on besides its tokens, for PrefixCache: the model's
// fingerprint, the position encoding, the attention variant and the KV cache type.
std::string session_config(const Session& session);

}  // namespace ll
