// Tokenizer::from_hf_json: a byte-level BPE tokenizer from HF's tokenizer.json (model,
// normalizer, pre_tokenizer, added_tokens) and tokenizer_config.json (bos/eos,
// add_bos_token). Only what byte-level BPE models use is accepted; anything else is
// refused by name rather than tokenized differently from HF.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bpe_tokenizer.h"
#include "error.h"
#include "mapped_file.h"

namespace ll {
namespace {

using nlohmann::json;

json read_json_file(const std::string& path) {
    require_regular_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineError(path, "cannot open for reading");
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded()) throw EngineError(path, "not valid JSON");
    if (!j.is_object()) throw EngineError(path, "not a JSON object");
    return j;
}

std::string type_of(const json& node) {
    if (!node.is_object()) return "";
    const auto it = node.find("type");
    return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

Normalization normalization_of(const json& node, const std::string& path) {
    if (node.is_null()) return Normalization::None;
    const std::string type = type_of(node);
    if (type == "NFC") return Normalization::NFC;
    if (type == "NFD") return Normalization::NFD;
    if (type == "NFKC") return Normalization::NFKC;
    if (type == "NFKD") return Normalization::NFKD;
    if (type == "Sequence" && node.at("normalizers").is_array()) {
        Normalization form = Normalization::None;
        for (const json& n : node.at("normalizers")) {
            const Normalization one = normalization_of(n, path);
            if (one != Normalization::None && form != Normalization::None)
                throw EngineError(path, "more than one Unicode normalizer is not supported");
            if (one != Normalization::None) form = one;
        }
        return form;
    }
    throw EngineError(path, "unsupported normalizer \"" + type + "\" (NFC, NFD, NFKC, NFKD are)");
}

// Adds the pre-tokenizer's regexes to `spec`; returns whether a ByteLevel step was there.
bool read_pretokenizer(const json& node, PretokenizerSpec& spec, const std::string& path) {
    if (node.is_null()) return false;
    const std::string type = type_of(node);
    if (type == "Sequence") {
        bool byte_level = false;
        for (const json& p : node.at("pretokenizers"))
            byte_level = read_pretokenizer(p, spec, path) || byte_level;
        return byte_level;
    }
    if (type == "Split") {
        if (node.value("behavior", "") != "Isolated" || node.value("invert", false))
            throw EngineError(path, "unsupported Split pre-tokenizer (behavior \"" +
                                        node.value("behavior", "") +
                                        "\"); only Isolated, not inverted, is");
        const json& pattern = node.at("pattern");
        if (pattern.contains("Regex"))
            spec.regexes.push_back(pattern.at("Regex").get<std::string>());
        else  // a literal string: quote it
            spec.regexes.push_back("\\Q" + pattern.at("String").get<std::string>() + "\\E");
        return false;
    }
    if (type == "ByteLevel") {
        if (node.value("use_regex", true)) spec.regexes.push_back(kGpt2Regex);
        spec.prefix_space = node.value("add_prefix_space", false);
        return true;
    }
    throw EngineError(
        path, "unsupported pre-tokenizer \"" + type + "\" (Sequence, Split and ByteLevel are)");
}

int32_t checked_id(const json& value, const std::string& what, const std::string& path) {
    if (!value.is_number_integer()) throw EngineError(path, what + " has no integer id");
    const auto id = value.get<int64_t>();
    if (id < 0 || id >= (1 << 24))
        throw EngineError(path, what + " has id " + std::to_string(id) + ", out of range");
    return static_cast<int32_t>(id);
}

void read_model(const json& model, BpeSpec& spec, const std::string& path) {
    const std::string type = type_of(model);
    if (type != "BPE") throw EngineError(path, "model type \"" + type + "\" is not BPE");
    if (model.value("byte_fallback", false))
        throw EngineError(path,
                          "a BPE model with byte_fallback is sentencepiece-style, not "
                          "byte-level; use the model's tokenizer.model");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
        if (model.contains(key) && model[key].is_string() && !model[key].get<std::string>().empty())
            throw EngineError(path, std::string("unsupported BPE option ") + key);
    spec.ignore_merges = model.value("ignore_merges", false);
    const json& vocab = model.at("vocab");
    if (!vocab.is_object() || vocab.empty()) throw EngineError(path, "model.vocab is empty");
    for (const auto& [text, value] : vocab.items()) {
        const int32_t id = checked_id(value, "token \"" + text + "\"", path);
        if (spec.tokens.size() <= static_cast<size_t>(id)) spec.tokens.resize(id + 1u);
        if (!spec.tokens[static_cast<size_t>(id)].empty())
            throw EngineError(path, "id " + std::to_string(id) + " is given to two tokens");
        if (text.empty()) throw EngineError(path, "model.vocab has an empty token");
        spec.tokens[static_cast<size_t>(id)] = text;
    }
    if (!model.at("merges").is_array()) throw EngineError(path, "model.merges is not a list");
    for (const json& m : model.at("merges")) {
        if (m.is_string()) {  // "left right"
            const std::string s = m.get<std::string>();
            const size_t space = s.find(' ', 1);
            if (space == std::string::npos)
                throw EngineError(path, "merge \"" + s + "\" is not two tokens and a space");
            spec.merges.emplace_back(s.substr(0, space), s.substr(space + 1));
        } else if (m.is_array() && m.size() == 2) {  // ["left", "right"]
            spec.merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
        } else {
            throw EngineError(path, "merge " + m.dump() + " is not a pair of tokens");
        }
    }
}

void read_added(const json& added, BpeSpec& spec, const std::string& path) {
    if (added.is_null()) return;
    for (const json& a : added) {
        AddedToken t;
        t.content = a.at("content").get<std::string>();
        t.id = checked_id(a.at("id"), "added token \"" + t.content + "\"", path);
        t.special = a.value("special", false);
        t.lstrip = a.value("lstrip", false);
        t.rstrip = a.value("rstrip", false);
        t.single_word = a.value("single_word", false);
        // `normalized` (match on normalised text) is not needed: the added tokens real files
        // mark so are ASCII markers that no normaliser here changes.
        if (t.content.empty()) throw EngineError(path, "an added token is empty");
        if (spec.tokens.size() <= static_cast<size_t>(t.id)) spec.tokens.resize(t.id + 1u);
        spec.tokens[static_cast<size_t>(t.id)] = t.content;
        spec.added.push_back(t);
    }
}

// A token named in tokenizer_config.json: "text" or {"content": "text", ...}.
std::optional<std::string> token_text(const json& config, const char* key) {
    const auto it = config.find(key);
    if (it == config.end()) return std::nullopt;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
        return (*it)["content"].get<std::string>();
    return std::nullopt;
}

int32_t id_of(const BpeSpec& spec, const std::string& text) {
    for (const AddedToken& a : spec.added)
        if (a.content == text) return a.id;
    for (size_t i = 0; i < spec.tokens.size(); ++i)
        if (spec.tokens[i] == text) return static_cast<int32_t>(i);
    return -1;
}

// The special token a TemplateProcessing post-processor puts before a single text (Llama
// 3's <|begin_of_text|>), when there is one.
std::optional<std::string> template_bos(const json& post) {
    if (post.is_null()) return std::nullopt;
    if (type_of(post) == "Sequence") {
        for (const json& p : post.value("processors", json::array()))
            if (auto t = template_bos(p)) return t;
        return std::nullopt;
    }
    if (type_of(post) != "TemplateProcessing") return std::nullopt;
    const json single = post.value("single", json::array());
    if (single.empty() || !single[0].contains("SpecialToken")) return std::nullopt;
    return single[0]["SpecialToken"].value("id", "");
}

void read_specials(const json& tokenizer, const json& config, BpeSpec& spec,
                   const std::string& config_path) {
    const auto named = [&](const char* key) {
        const auto text = token_text(config, key);
        if (!text) return -1;
        const int32_t id = id_of(spec, *text);
        if (id < 0)
            throw EngineError(config_path, std::string(key) + " \"" + *text +
                                               "\" is not a token of the vocabulary");
        return id;
    };
    spec.bos = named("bos_token");
    spec.eos = named("eos_token");
    const auto it = config.find("add_bos_token");
    if (it != config.end() && it->is_boolean()) {
        spec.add_bos = it->get<bool>();
    } else if (auto bos = template_bos(tokenizer.value("post_processor", json()))) {
        spec.add_bos = true;
        if (spec.bos < 0) spec.bos = id_of(spec, *bos);
        spec.add_bos = spec.bos >= 0;
    }
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::from_hf_json(const std::string& tokenizer_json,
                                                   const std::string& tokenizer_config) {
    const json j = read_json_file(tokenizer_json);
    json config = json::object();
    if (!tokenizer_config.empty() && std::filesystem::exists(tokenizer_config))
        config = read_json_file(tokenizer_config);
    BpeSpec spec;
    try {
        if (!j.contains("model")) throw EngineError(tokenizer_json, "no \"model\"");
        read_model(j.at("model"), spec, tokenizer_json);
        read_added(j.value("added_tokens", json()), spec, tokenizer_json);
        spec.pre.normalization = normalization_of(j.value("normalizer", json()), tokenizer_json);
        if (!read_pretokenizer(j.value("pre_tokenizer", json()), spec.pre, tokenizer_json) ||
            type_of(j.value("decoder", json())) != "ByteLevel")
            throw EngineError(tokenizer_json,
                              "not a byte-level BPE tokenizer (no ByteLevel "
                              "pre-tokenizer and decoder)");
        spec.pre.name = pretokenizer_name(spec.pre.regexes);
    } catch (const json::exception& e) {
        throw EngineError(tokenizer_json, std::string("malformed tokenizer.json: ") + e.what());
    }
    try {
        read_specials(j, config, spec, tokenizer_config);
    } catch (const json::exception& e) {
        throw EngineError(tokenizer_config, std::string("malformed: ") + e.what());
    }
    return make_bpe_tokenizer(spec, tokenizer_json);
}

}  // namespace ll
