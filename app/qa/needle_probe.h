// The needle-in-a-haystack probe of attribution: plant a unique sentence at a relative depth
// of the first N tokens of a document, then either ask for it (chat models) or prompt with its
// first half and let the model continue (base models copy it), and check that the answer
// holds the needle and that the top citation lies inside it.
#pragma once

#include <QString>

#include <atomic>

#include "answer.h"
#include "documents/document.h"

namespace ll {

// Forced: the prompt is as for Continue, but the needle's second half is fed as the answer
// instead of generated, which tests attribution alone (the fixture models cannot copy).
enum class NeedleProbe { Question, Continue, Forced };

struct NeedleSpec {
    QString needle;
    double depth = 0.5;         // 0: start of the haystack, 1: its end
    int context_tokens = 2000;  // haystack + needle, in model tokens
    NeedleProbe probe = NeedleProbe::Continue;
    // Continue and Forced: what follows the document, instead of the needle's first half
    // (e.g. "What is the pass key? The pass key is" for a model trained on pass keys), and
    // the text before the document (its task instruction). Empty: the defaults.
    QString probe_text;
    QString intro;
    // What the answer must contain; empty: the needle's second half.
    QString expected;
    // The session the haystack is read in: attention variant (unset: the model's own) and
    // KV cache type, so that variants can be compared on the same probe.
    std::optional<AttentionVariant> attention;
    KvType kv = kDefaultKvType;
};

struct PlantedNeedle {
    Document doc;         // the haystack with the needle, plain text
    qsizetype start = 0;  // the needle's range in doc.text
    qsizetype end = 0;
    QString first_half;   // the probe's prompt (continue)
    QString second_half;  // what the model should produce
};

// Cuts the first context_tokens of `source` (at a sentence end) and puts the needle between
// two sentences nearest to the depth.
PlantedNeedle plant_needle(const Document& source, const NeedleSpec& spec, const Tokenizer& tok);

struct NeedleResult {
    PlantedNeedle planted;
    Answer answer;
    bool answer_contains_needle = false;
    bool top_citation_covers_needle = false;  // the top citation lies inside the needle
};

// `options`: attribution settings; mode, frame and answer length are set by the probe.
// `cancel`: checked by the answerer; when it stops the run, answer.end is Cancelled.
NeedleResult run_needle(const Model& model, const PositionEncoding& positions, int64_t window,
                        const Document& source, const NeedleSpec& spec, AnswerOptions options = {},
                        const std::atomic<bool>* cancel = nullptr);

}  // namespace ll
