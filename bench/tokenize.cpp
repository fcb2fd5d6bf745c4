// longlens-bench tokenize: how long encoding a whole text takes with a tokenizer loaded
// from a GGUF (its vocabulary), an HF directory (tokenizer.json) or a tokenizer.model.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "bench.h"
#include "error.h"
#include "gguf_reader.h"
#include "gguf_vocab.h"
#include "tokenizer.h"

namespace llbench {
namespace {

std::unique_ptr<ll::Tokenizer> load_tokenizer(const std::string& path) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) {
        const fs::path dir(path);
        if (fs::exists(dir / "tokenizer.json"))
            return ll::Tokenizer::from_hf_json((dir / "tokenizer.json").string(),
                                               (dir / "tokenizer_config.json").string());
        return ll::Tokenizer::from_file((dir / "tokenizer.model").string());
    }
    if (path.ends_with(".gguf")) {
        const ll::GgufFile gguf(path);
        return ll::Tokenizer::from_vocab(ll::read_gguf_vocab(gguf), path);
    }
    return ll::Tokenizer::from_file(path);
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ll::EngineError(path, "cannot open the text");
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

int run_tokenize(const Args& args) {
    const std::string tok_path = args.required("tokenizer");
    const std::string text_path = args.required("text");
    const int runs = static_cast<int>(std::max<int64_t>(1, args.integer("runs", 3)));

    double t0 = now_seconds();
    const auto tok = load_tokenizer(tok_path);
    const double load_s = now_seconds() - t0;
    const std::string text = read_all(text_path);

    double best_s = 1e30, best_cpu = 0;
    size_t tokens = 0;
    for (int r = 0; r < runs; ++r) {
        const double w0 = now_seconds(), c0 = process_cpu_seconds();
        tokens = tok->encode(text).size();
        const double wall = now_seconds() - w0, cpu = process_cpu_seconds() - c0;
        if (wall < best_s) {
            best_s = wall;
            best_cpu = cpu;
        }
    }
    emit({{"study", "tokenize"},
          {"tokenizer", tok_path},
          {"kind", tok->kind()},
          {"text", text_path},
          {"bytes", text.size()},
          {"tokens", tokens},
          {"load_s", load_s},
          {"encode_s", best_s},
          // Below 1 means the process waited for a core (others were running).
          {"cpu_share", best_s > 0 ? best_cpu / best_s : 0.0},
          {"mib_per_s", static_cast<double>(text.size()) / (1 << 20) / best_s}},
         args.flag("json"), "tokenize (best of " + std::to_string(runs) + ")");
    return 0;
}

}  // namespace llbench
