#include "session.h"

#include <algorithm>
#include <chrono>

#include "error.h"
#include "threads.h"

namespace ll {

Session::Session(const Model& model, PositionEncoding positions, int64_t max_context, KvType kv)
    : model_(model),
      positions_(std::move(positions)),
      transformer_(model),
      cache_(model.config(), max_context, kv) {}

bool Session::eval(std::span<const int32_t> tokens, const EvalOptions& opt) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const int64_t total = static_cast<int64_t>(tokens.size());
    if (position() + total > max_context())
        throw EngineError("context", std::to_string(position() + total) +
                                         " tokens exceed the session's context of " +
                                         std::to_string(max_context()));
    const int64_t chunk = std::max<int64_t>(1, opt.chunk);
    for (int64_t done = 0; done < total;) {
        if (opt.cancel && opt.cancel->load(std::memory_order_relaxed)) return false;
        const int64_t n = std::min(chunk, total - done);
        const int64_t start = position();
        const PassPositions pp = pass_positions(std::max(start + n, opt.rope_length));
        const bool last_chunk = done + n == total;
        const LogitsMode mode = opt.on_logits ? LogitsMode::All
                                : last_chunk  ? LogitsMode::Last
                                              : LogitsMode::None;
        {
            const ThreadUseMeter meter;  // adapts the threads to the cores this pass gets
            if (!transformer_.forward(tokens.subspan(done, n), start, pp, cache_, mode,
                                      chunk_logits_, opt.cancel))
                return false;  // this chunk is dropped whole: the state is the completed chunks
        }
        tokens_.insert(tokens_.end(), tokens.begin() + done, tokens.begin() + done + n);
        const int64_t vocab = model_.config().vocab_size;
        if (opt.on_logits) opt.on_logits(done, chunk_logits_.data(), n);
        if (mode != LogitsMode::None)
            last_logits_.assign(chunk_logits_.end() - vocab, chunk_logits_.end());
        done += n;
        if (opt.on_progress) {
            std::chrono::duration<double> dt = Clock::now() - t0;
            opt.on_progress({done, total, dt.count()});
        }
    }
    return true;
}

PassPositions Session::pass_positions(int64_t seq_len) const {
    PassPositions pp;
    if (positions_.is_alibi())
        pp.alibi_slopes = positions_.alibi_slopes(model_.config().n_heads, seq_len);
    else
        pp.rope = positions_.frequencies(seq_len);
    return pp;
}

void Session::truncate(int64_t n) {
    if (n < position()) tokens_.resize(static_cast<size_t>(std::max<int64_t>(0, n)));
}

}  // namespace ll
