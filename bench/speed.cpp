// speed: prefill and decode throughput of one model, as llama-bench reports them
// (pp = prompt tokens per second, tg = generated tokens per second), plus memory.
#include "bench.h"
#include "model.h"
#include "model_runner.h"

namespace llbench {

int run_speed(const Args& args) {
    const int64_t prompt = args.integer("prompt-tokens", 512);
    const int64_t gen = args.integer("gen-tokens", 128);
    const int threads = static_cast<int>(args.integer("threads", 2));
    configure_engine(args, threads);

    const double t_load = now_seconds();
    const auto model = ll::Model::load(args.required("model"));
    const double load_s = now_seconds() - t_load;
    Runner runner(*model, prompt + gen + 1, kv_type(args));
    runner.warm_up();

    // --chunk: tokens per forward pass of the prefill (the app's answers use their own).
    const int64_t chunk = args.integer("chunk", 512);
    const double prefill_s = runner.prefill(random_tokens(*model, prompt, 1), chunk);
    const double prefill_cpu_s = runner.last_cpu_seconds();
    const double decode_s = runner.decode(gen);
    const double decode_cpu_s = runner.last_cpu_seconds();
    // --capture N: the same tokens decoded again with N layers' attention kept, as every
    // answer does for its citations and the Attention view: what that costs.
    const int capture = static_cast<int>(args.integer("capture", 0));
    // And once more without the per-head sums: the rows citations need alone, so the
    // Attention view's own share (the sums) shows apart.
    double capture_s = 0, capture_cpu_s = 0, rows_s = 0, rows_cpu_s = 0;
    if (capture > 0) {
        runner.truncate(prompt);
        runner.capture_attention(capture, prompt - 1, false);
        rows_s = runner.decode(gen);
        rows_cpu_s = runner.last_cpu_seconds();
        runner.truncate(prompt);
        runner.capture_attention(capture, prompt - 1, true);
        capture_s = runner.decode(gen);
        capture_cpu_s = runner.last_cpu_seconds();
        runner.capture_attention(0, 0);
    }

    nlohmann::json j = describe(*model, args, threads);
    j["study"] = "speed";
    j["load_s"] = load_s;
    j["prompt_tokens"] = prompt;
    j["prefill_chunk"] = chunk;
    j["gen_tokens"] = gen;
    j["prefill_tok_s"] = static_cast<double>(prompt) / prefill_s;
    j["decode_tok_s"] = static_cast<double>(gen) / decode_s;
    j["decode_ms_per_token"] = 1e3 * decode_s / static_cast<double>(gen);
    if (capture > 0) {
        j["capture_layers"] = capture;
        j["decode_capture_tok_s"] = static_cast<double>(gen) / capture_s;
        j["capture_slowdown"] = capture_s / decode_s;
        // By CPU time as well: on a busy machine wall time says more about the others.
        j["capture_cpu_slowdown"] = capture_cpu_s / decode_cpu_s;
        j["rows_only_slowdown"] = rows_s / decode_s;
        j["rows_only_cpu_slowdown"] = rows_cpu_s / decode_cpu_s;
        j["per_head_cpu_slowdown"] = capture_cpu_s / rows_cpu_s;
    }
    // 1.0: the run had its threads' cores to itself; lower: other processes took turns.
    j["prefill_cpu_share"] = prefill_cpu_s / (prefill_s * threads);
    j["decode_cpu_share"] = decode_cpu_s / (decode_s * threads);
    j["peak_rss_mib"] = static_cast<double>(peak_rss_bytes()) / (1 << 20);
    j["kv_bytes_per_token"] = runner.kv_bytes_per_token();
    add_bandwidth_limit(j, *model, args, threads, prompt + gen / 2);
    emit(j, args.flag("json"), "speed " + args.required("model"));
    return 0;
}

}  // namespace llbench
