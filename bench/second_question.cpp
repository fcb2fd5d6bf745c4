// second-question: how soon a second question about an already processed document starts
// answering. The first question prefills the document and saves the session (the document
// cache of app/qa/prefix_cache.h uses the same engine file); a second, in a fresh session as
// after a restart, loads it and reads only its question. Reported beside the cold path.
#include <cstdio>
#include <filesystem>

#include "bench.h"
#include "model.h"
#include "model_runner.h"
#include "session_file.h"

namespace llbench {

namespace {

std::unique_ptr<ll::Session> new_session(const ll::Model& model, int64_t context, ll::KvType kv) {
    const ll::ModelConfig& c = model.config();
    return std::make_unique<ll::Session>(model, ll::PositionEncoding(c.scaling, c.rope), context,
                                         kv);
}

// Seconds until the first answer token is known: `tokens` evaluated, one token sampled.
double first_token_seconds(ll::Session& s, const std::vector<int32_t>& tokens) {
    const double t0 = now_seconds();
    s.eval(tokens);
    const auto logits = s.logits();
    volatile auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
    (void)best;
    return now_seconds() - t0;
}

}  // namespace

int run_second_question(const Args& args) {
    const int64_t doc_tokens = args.integer("prompt-tokens", 4096);
    const int64_t question_tokens = args.integer("question-tokens", 24);
    const int threads = static_cast<int>(args.integer("threads", 2));
    configure_engine(args, threads);
    const auto model = ll::Model::load(args.required("model"));
    const int64_t context = doc_tokens + question_tokens + 8;
    const std::vector<int32_t> doc = random_tokens(*model, doc_tokens, 1);
    const std::vector<int32_t> question = random_tokens(*model, question_tokens, 2);
    const std::string file =
        args.str("cache-file", (std::filesystem::temp_directory_path() / "longlens-bench.llkv").string());

    // First question: the document, saved, then the question.
    auto first = new_session(*model, context, kv_type(args));
    first->eval(std::vector<int32_t>{1});  // pages in the weights, sizes the buffers
    first->truncate(0);
    const double doc_s = first_token_seconds(*first, doc);
    double t0 = now_seconds();
    ll::save_session(*first, file, "bench");
    const double save_s = now_seconds() - t0;
    const double cold_question_s = first_token_seconds(*first, question);

    // Second question, fresh session: load, then only the question.
    auto second = new_session(*model, context, kv_type(args));
    t0 = now_seconds();
    ll::load_session(*second, file, "bench");
    const double load_s = now_seconds() - t0;
    const double question_s = first_token_seconds(*second, question);
    const auto file_bytes = std::filesystem::file_size(file);
    std::filesystem::remove(file);

    nlohmann::json j = describe(*model, args, threads);
    j["study"] = "second-question";
    j["kv_type"] = std::string(ll::kv_type_name(kv_type(args)));
    j["document_tokens"] = doc_tokens;
    j["question_tokens"] = question_tokens;
    j["first_question_first_token_s"] = doc_s + cold_question_s;
    j["cache_save_s"] = save_s;
    j["cache_file_mib"] = static_cast<double>(file_bytes) / (1 << 20);
    j["cache_load_s"] = load_s;
    j["second_question_first_token_s"] = load_s + question_s;
    emit(j, args.flag("json"), "second question " + args.required("model"));
    return 0;
}

}  // namespace llbench
