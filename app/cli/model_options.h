// Options shared by every command that runs a model: --model, --scaling, --rope-theta,
// --attention, --kv, --threads; and the effective position encoding they resolve to.
#pragma once

#include <QCommandLineParser>

#include <memory>
#include <optional>

#include "attention_variant.h"
#include "model.h"
#include "position_encoding.h"
#include "scaling_spec.h"
#include "session.h"

namespace ll::cli {

void add_model_options(QCommandLineParser& parser);

struct LoadedModel {
    std::unique_ptr<ll::Model> model;
    ll::ResolvedScaling scaling;  // user override > file > defaults, with warnings
    std::optional<ll::AttentionVariant> attention;  // --attention, when given
    ll::KvType kv = ll::KvType::F32;                // --kv

    ll::PositionEncoding positions() const;
    // A session with the chosen position encoding, attention variant and KV type.
    std::unique_ptr<ll::Session> session(int64_t max_context) const;
};

// Loads the model named by --model and resolves the scaling options against it.
// Throws EngineError with a message for the user.
LoadedModel load_model(const QCommandLineParser& parser);

// Parses the command line or prints the error and usage; returns false on failure.
bool parse_or_explain(QCommandLineParser& parser, const QStringList& args);

}  // namespace ll::cli
