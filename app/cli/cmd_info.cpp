// longlens-cli info: what a model file contains (architecture, sizes, trained window,
// tokenizer, tensor types, memory) and the position scaling that will be applied.
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <map>

#include "architecture.h"
#include "commands.h"
#include "kv_cache.h"
#include "memory_estimate.h"
#include "model_options.h"
#include "option_values.h"
#include "qa/chat_template.h"
#include "terminal_text.h"

namespace ll::cli {
namespace {

std::map<std::string, int> tensor_type_counts(const Model& model) {
    std::map<std::string, int> counts;
    const Weights& w = model.weights();
    auto add = [&](const Tensor& t) { counts[std::string(dtype_name(t.type))]++; };
    add(w.embedding);
    add(w.output_norm);
    if (w.output.data != w.embedding.data) add(w.output);
    for (const LayerWeights& l : w.layers)
        for (const Tensor* t :
             {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.ffn_norm, &l.w_gate, &l.w_up, &l.w_down})
            add(*t);
    return counts;
}

QJsonObject info_json(const ModelRun& m, const EffectiveScaling& e) {
    const ModelConfig& c = m.model->config();
    const Tokenizer& tok = m.model->tokenizer();
    QJsonObject types;
    for (const auto& [name, n] : tensor_type_counts(*m.model))
        types[QString::fromStdString(name)] = n;
    QJsonObject params;
    for (const auto& [k, v] : e.params) params[QString::fromStdString(k)] = v;
    QJsonArray warnings;
    for (const auto& w : e.warnings) warnings.append(QString::fromStdString(w));
    QJsonArray notes;
    for (const auto& n : architecture_notes(c)) notes.append(QString::fromStdString(n));
    QJsonArray longrope;
    for (double f : e.longrope_factors) longrope.append(f);
    const ChatTemplateChoice chat = choose_chat_template(m.model->path());
    if (!chat.warning.isEmpty()) warnings.append(chat.warning);
    const double kv_per_token = static_cast<double>(kv_bytes_per_token(c, m.kv));
    const MemoryEstimate mem = estimate_memory(*m.model, e.context_len, 512, m.kv);
    const double weights = static_cast<double>(mem.weights);
    return QJsonObject{
        {"path", QString::fromStdString(m.model->path())},
        {"format", QString::fromStdString(m.model->format())},
        {"architecture", QString::fromStdString(c.architecture)},
        {"architecture_notes", notes},
        {"layers", c.n_layers},
        {"dim", c.dim},
        {"ffn_dim", c.ffn_dim},
        {"heads", c.n_heads},
        {"kv_heads", c.n_kv_heads},
        {"head_dim", c.head_dim},
        {"vocab_size", c.vocab_size},
        {"tied_embeddings", c.tied_embeddings},
        {"trained_window", c.trained_window},
        {"sliding_window", c.sliding_window},
        {"rope_theta", c.rope.theta},
        {"rotary_dim", c.rope.rotary_dim},
        {"rope_layout", c.rope_layout == RopeLayout::HalfSplit ? "half-split" : "adjacent-pairs"},
        {"file_scaling", QString::fromStdString(format_scaling_spec(c.scaling))},
        {"tokenizer", QJsonObject{{"type", QString::fromStdString(tok.kind())},
                                  {"vocab_size", tok.vocab_size()},
                                  {"bos", tok.bos()},
                                  {"add_bos", tok.add_bos()},
                                  {"eos", tok.eos()},
                                  {"eot", tok.eot()},
                                  {"unk", tok.unk()}}},
        {"chat_template", QJsonObject{{"name", template_name(chat.kind)},
                                      {"source", chat.source},
                                      {"warning", chat.warning}}},
        {"tensor_types", types},
        {"attention", QString::fromStdString(m.attention.to_string())},
        {"parameters", static_cast<double>(m.model->weight_bytes())},
        {"memory",
         QJsonObject{{"weights_bytes", weights},
                     {"kv_bytes_per_token", kv_per_token},
                     {"context", static_cast<double>(e.context_len)},
                     {"kv_bytes", static_cast<double>(mem.kv_cache)},
                     {"scratch_bytes", static_cast<double>(mem.scratch)},
                     {"total_bytes", static_cast<double>(mem.total())},
                     {"available_bytes", static_cast<double>(available_memory())},
                     {"fits", mem.total() <= available_memory() || available_memory() == 0}}},
        {"effective",
         QJsonObject{{"method", QString::fromStdString(e.method)},
                     {"spec", QString::fromStdString(e.spec_text)},
                     {"source", to_string(e.source)},
                     {"params", params},
                     {"theta", e.theta},
                     {"effective_window", static_cast<double>(e.effective_window)},
                     {"attention_factor", e.attention_factor},
                     {"longrope_list", QString::fromStdString(e.longrope_list)},
                     {"longrope_factors", longrope},
                     {"kv_type", QString::fromStdString(std::string(kv_type_name(m.kv)))},
                     {"warnings", warnings}}},
    };
}

}  // namespace

int run_info(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Describe a model and the position scaling that applies.");
    add_model_options(parser);
    parser.addOption({"ctx",
                      "Context length to describe the configuration for "
                      "(default: the effective window).",
                      "N"});
    parser.addOption({"json", "Print JSON."});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    ModelRun m = load_model(parser);
    const ModelConfig& c = m.model->config();
    int64_t ctx = parser.isSet("ctx") ? whole_number(parser, "ctx", 1, kLargestContext) : 0;
    if (ctx <= 0) ctx = m.window;
    EffectiveScaling e = effective_scaling(m.scaling, c.rope, ctx);
    QJsonObject o = info_json(m, e);
    if (parser.isSet("json")) {
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    std::printf("model:          %s (%s)\n", LL_TEXT(m.model->path()), m.model->format().c_str());
    std::printf("architecture:   %s, %d layers, dim %d, ffn %d, heads %d/%d (head dim %d)\n",
                c.architecture.c_str(), c.n_layers, c.dim, c.ffn_dim, c.n_heads, c.n_kv_heads,
                c.head_dim);
    for (const std::string& note : architecture_notes(c))
        std::printf("                %s\n", note.c_str());
    std::printf("vocabulary:     %d (%s), %s embeddings\n", c.vocab_size,
                m.model->tokenizer().kind().c_str(), c.tied_embeddings ? "tied" : "separate");
    const QJsonObject chat = o["chat_template"].toObject();
    std::printf("chat template:  %s (%s)%s%s\n", LL_TEXT(chat["name"].toString()),
                LL_TEXT(chat["source"].toString()),
                chat["warning"].toString().isEmpty() ? "" : " -- ",
                LL_TEXT(chat["warning"].toString()));
    std::printf("trained window: %d tokens, rope base %g, %s rotation\n", c.trained_window,
                c.rope.theta,
                c.rope_layout == RopeLayout::HalfSplit ? "half-split" : "adjacent-pair");
    std::printf("file scaling:   %s\n", format_scaling_spec(c.scaling).c_str());
    std::printf("attention:      %s\n", LL_TEXT(o["attention"].toString()));
    std::printf("KV cache:       %s\n", std::string(kv_type_name(m.kv)).c_str());
    std::printf("tensor types:  ");
    for (const auto& [name, n] : tensor_type_counts(*m.model))
        std::printf(" %s x%d", name.c_str(), n);
    const QJsonObject mem = o["memory"].toObject();
    std::printf("\nmemory:         %s at %lld tokens (%.1f KiB KV per token)%s\n",
                estimate_memory(*m.model, ctx, 512, m.kv).describe().c_str(),
                static_cast<long long>(ctx), mem["kv_bytes_per_token"].toDouble() / 1024,
                mem["fits"].toBool() ? "" : " -- more than is available");
    std::printf("\neffective position encoding:\n%s\n", describe(e).c_str());
    return 0;
}

}  // namespace ll::cli
