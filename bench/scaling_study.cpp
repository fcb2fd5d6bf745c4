// longlens-bench scaling: perplexity of one text under each position-scaling method at
// several lengths (whole sequence at once), plus the perplexity of its last quarter, where
// a method that fails to extend the window shows it first. Optionally side by side with a
// transformers reference.json (shared/fixtures) to show the engine reproduces it.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "bench.h"
#include "error.h"
#include "model.h"
#include "scaling_spec.h"
#include "session.h"
#include "threads.h"

namespace llbench {
namespace {

// The fixture configurations, in the CLI's spelling.
const std::vector<std::pair<std::string, std::string>> kDefaultMethods = {
    {"none", "none"},
    {"linear_x4", "linear:factor=4"},
    {"linear_x8", "linear:factor=8"},
    {"dynamic_x4", "dynamic:factor=4"},
    {"yarn_x4", "yarn:factor=4"},
    {"yarn_x8", "yarn:factor=8"},
    {"llama3_x4", "llama3:factor=4,low=1,high=4"},
    {"theta_500k", "none:theta=500000"},
};

struct Result {
    double ppl = 0, ppl_last_quarter = 0;
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, sep);)
        if (!item.empty()) out.push_back(item);
    return out;
}

// transformers' dynamic NTK keeps the base grown for the longest sequence it has seen
// (scaling-methods.md §4); its reference runs were made in the order reference.json lists
// them. The length whose base a run used, to compare like with like.
int64_t reference_history(const nlohmann::ordered_json& cfg, const std::string& run_name) {
    int64_t longest = 0;
    for (const auto& [name, run] : cfg["runs"].items()) {
        longest = std::max(longest, run["len"].get<int64_t>());
        if (name == run_name) break;
    }
    return longest;
}

Result evaluate(const ll::Model& model, const std::string& spec, const std::vector<int32_t>& ids,
                int64_t rope_length) {
    const ll::ModelConfig& c = model.config();
    auto resolved = ll::resolve_scaling(ll::parse_scaling_spec(spec), c.scaling, c.rope);
    const int64_t n = static_cast<int64_t>(ids.size());
    ll::Session session(model, ll::PositionEncoding(resolved.spec, c.rope), n);
    std::vector<double> nll(n - 1);
    const int64_t vocab = c.vocab_size;
    ll::EvalOptions opt;
    opt.rope_length = std::max(n, rope_length);
    opt.on_logits = [&](int64_t first, const float* logits, int64_t rows) {
        for (int64_t r = 0; r < rows && first + r + 1 < n; ++r) {
            const float* row = logits + r * vocab;
            double max = row[0], sum = 0;
            for (int64_t i = 1; i < vocab; ++i) max = std::max<double>(max, row[i]);
            for (int64_t i = 0; i < vocab; ++i) sum += std::exp(row[i] - max);
            nll[first + r] = std::log(sum) + max - row[ids[first + r + 1]];
        }
    };
    session.eval(ids, opt);
    auto mean = [](auto b, auto e) {
        double s = 0;
        for (auto it = b; it != e; ++it) s += *it;
        return s / static_cast<double>(e - b);
    };
    return {std::exp(mean(nll.begin(), nll.end())), std::exp(mean(nll.begin() + nll.size() * 3 / 4, nll.end()))};
}

}  // namespace

int run_scaling(const Args& args) {
    ll::set_thread_count(static_cast<int>(args.integer("threads", 0)));
    auto model = ll::Model::load(args.required("model"));
    const int window = model->config().trained_window;
    const std::string file = args.required("file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ll::EngineError(file, "cannot read");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    std::vector<int32_t> all;
    if (model->tokenizer().add_bos()) all.push_back(model->tokenizer().bos());
    for (int32_t id : model->tokenizer().encode(text)) all.push_back(id);

    std::vector<std::pair<std::string, std::string>> methods = kDefaultMethods;
    if (args.str("methods", "") != "") {
        methods.clear();
        // NAME=SPEC names a row (to match a reference config); a bare SPEC names itself.
        for (const auto& m : split(args.str("methods", ""), ';')) {
            const size_t eq = m.find('='), colon = m.find(':');
            if (eq != std::string::npos && (colon == std::string::npos || eq < colon))
                methods.push_back({m.substr(0, eq), m.substr(eq + 1)});
            else
                methods.push_back({m, m});
        }
    }
    const auto lengths = args.integers("lengths", {window, 4 * window, 8 * window});
    nlohmann::ordered_json reference;
    if (std::string ref = args.str("reference", ""); !ref.empty()) reference = nlohmann::ordered_json::parse(std::ifstream(ref));
    const bool hf_history = args.flag("hf-history");
    const std::string text_name = args.str("text-name", "");
    const bool as_json = args.flag("json");
    std::ofstream csv;
    if (std::string path = args.str("csv", ""); !path.empty()) {
        csv.open(path);
        csv << "method,spec,length,ppl,ppl_last_quarter,reference_ppl\n";
    }

    if (!as_json)
        std::cout << std::left << std::setw(12) << "method" << std::right << std::setw(8) << "length"
                  << std::setw(12) << "ppl" << std::setw(14) << "last quarter" << std::setw(12)
                  << "reference" << "\n";
    for (const auto& [name, spec] : methods) {
        for (int64_t len : lengths) {
            if (len > static_cast<int64_t>(all.size())) {
                std::cerr << file << ": only " << all.size() << " tokens, skipping length " << len << "\n";
                continue;
            }
            const std::vector<int32_t> ids(all.begin(), all.begin() + len);
            double ref_ppl = NAN;
            const std::string run = text_name + "_L" + std::to_string(len);
            int64_t rope_length = len;
            if (hf_history && !reference.is_null() && reference["configs"].contains(name) &&
                name.rfind("dynamic", 0) == 0)
                rope_length = reference_history(reference["configs"][name], run);
            const Result r = evaluate(*model, spec, ids, rope_length);
            if (!reference.is_null() && reference["configs"].contains(name) &&
                reference["configs"][name]["runs"].contains(run))
                ref_ppl = reference["configs"][name]["runs"][run]["ppl"].get<double>();
            nlohmann::json j{{"study", "scaling"}, {"method", name}, {"spec", spec}, {"length", len},
                             {"trained_window", window}, {"ppl", r.ppl}, {"ppl_last_quarter", r.ppl_last_quarter}};
            if (!std::isnan(ref_ppl)) j["reference_ppl"] = ref_ppl;
            if (as_json) {
                std::cout << j.dump() << std::endl;
            } else {
                std::cout << std::left << std::setw(12) << name << std::right << std::setw(8) << len
                          << std::fixed << std::setprecision(3) << std::setw(12) << r.ppl << std::setw(14)
                          << r.ppl_last_quarter << std::setw(12);
                if (std::isnan(ref_ppl)) std::cout << "-";
                else std::cout << ref_ppl;
                std::cout << std::endl;
            }
            if (csv.is_open())
                csv << name << ",\"" << spec << "\"," << len << "," << r.ppl << "," << r.ppl_last_quarter << ","
                    << (std::isnan(ref_ppl) ? std::string() : std::to_string(ref_ppl)) << "\n";
        }
    }
    return 0;
}

}  // namespace llbench
