// Saving a session's state (tokens + KV cache) to disk and loading it back, so that a
// document is prefilled once per (model, position encoding, attention, document, prompt
// template) and later questions start from it. The file carries a versioned header (with
// the KV type: rows are stored as the session holds them), the caller's fingerprint of
// everything the state depends on, and a checksum over all of it; a file from another
// model, configuration or KV type, or a damaged one, is refused, never trusted.
#pragma once

#include <cstdint>
#include <string>

namespace ll {

class Session;
class Model;

// Writes atomically (temporary file + rename), so a crash leaves the old file or none.
void save_session(const Session& session, const std::string& path, const std::string& fingerprint);

// Restores the state saved under `fingerprint`. Throws EngineError naming the file when it
// is missing, damaged, of another version, or made for another fingerprint/model shape.
void load_session(Session& session, const std::string& path, const std::string& fingerprint);

// What identifies a model's weights cheaply: architecture, sizes, and a hash of the first
// megabyte of its embedding, last down projection and final norm (hashing gigabytes per
// question would be too slow).
std::string model_fingerprint(const Model& model);

}  // namespace ll
