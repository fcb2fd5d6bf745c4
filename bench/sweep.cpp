// sweep: prefill speed, decode speed and memory against context length. Each length
// runs in a fresh session; lengths are taken in increasing order so the process's peak
// RSS (VmHWM) after each run belongs to that run.
#include <algorithm>

#include "bench.h"
#include "model.h"
#include "model_runner.h"

namespace llbench {

int run_sweep(const Args& args) {
    auto contexts = args.integers("contexts", {512, 4096, 16384, 32768});
    std::sort(contexts.begin(), contexts.end());
    const int64_t gen = args.integer("gen-tokens", 16);
    const int threads = static_cast<int>(args.integer("threads", 2));
    configure_engine(args, threads);
    const auto model = ll::Model::load(args.required("model"));

    for (int64_t ctx : contexts) {
        Runner runner(*model, ctx + gen + 1, kv_type(args));
        runner.warm_up();
        const double prefill_s = runner.prefill(random_tokens(*model, ctx, 1));
        const double decode_s = runner.decode(gen);
        nlohmann::json j = describe(*model, args, threads);
        j["study"] = "sweep";
        j["context"] = ctx;
        j["prefill_s"] = prefill_s;
        j["prefill_tok_s"] = static_cast<double>(ctx) / prefill_s;
        j["decode_tok_s_at_context"] = static_cast<double>(gen) / decode_s;
        j["kv_bytes_per_token"] = runner.kv_bytes_per_token();
        j["kv_mib"] = static_cast<double>(runner.kv_bytes_per_token() * (ctx + gen)) / (1 << 20);
        j["rss_mib"] = static_cast<double>(current_rss_bytes()) / (1 << 20);
        j["peak_rss_mib"] = static_cast<double>(peak_rss_bytes()) / (1 << 20);
        emit(j, args.flag("json"), "sweep context " + std::to_string(ctx));
    }
    return 0;
}

}  // namespace llbench
