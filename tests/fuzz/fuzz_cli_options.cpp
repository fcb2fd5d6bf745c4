// longlens-cli's option parsing (argv from bytes, split at NUL): QCommandLineParser with the
// options the commands share (add_qa_options: model, scaling, rope base, attention, KV type,
// threads, context, template, attention layers) and the numeric ones of ask, generate,
// needle and compare, read through the same functions the commands use (run_config,
// qa_window, qa_attention_layers, whole_number/real_number with each command's range,
// RunConfig::from_text for compare's --run). Any argv gives values or an AppError naming the
// option; never a crash. And what parses survives its stored forms: a RunConfig read back
// from its JSON (kept with every answer) and from its text (compare's columns and --run) is
// the same RunConfig (a broken round trip traps).
#include <QCommandLineParser>
#include <QStringList>

#include <cstdint>

#include "app_error.h"
#include "model_options.h"
#include "option_values.h"
#include "qa/chat_template.h"
#include "qa/context_mode.h"
#include "qa_options.h"

namespace {

void require(bool holds) {
    if (!holds) __builtin_trap();
}

// A parsed configuration is stored as JSON and as text; both must read back unchanged.
void check_round_trips(const ll::RunConfig& c) {
    require(ll::RunConfig::from_json(c.to_json()) == c);
    require(ll::RunConfig::from_text(c.to_text()) == c);
}

template <typename Read>
void read(Read&& value) {
    try {
        value();
    } catch (const ll::AppError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    QStringList args{"longlens-cli"};
    for (const QByteArray& arg :
         QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)).split('\0'))
        args << QString::fromUtf8(arg);
    QCommandLineParser parser;
    ll::cli::add_qa_options(parser);
    parser.addOption({"mode", "", "MODE", "auto"});
    parser.addOption({{"n", "max-tokens"}, "", "N", "128"});
    parser.addOption({"cache-limit", "", "MIB"});
    parser.addOption({"temp", "", "T", "0.8"});
    parser.addOption({"top-k", "", "K", "40"});
    parser.addOption({"top-p", "", "P", "0.95"});
    parser.addOption({"seed", "", "S", "42"});
    parser.addOption({"depth", "", "D", "0.5"});
    parser.addOption({"run", "", "SPEC"});
    parser.addPositionalArgument("question", "");
    if (!parser.parse(args)) return 0;
    using namespace ll::cli;
    read([&] { check_round_trips(run_config(parser)); });
    read([&] { (void)qa_window(parser); });
    read([&] { (void)qa_attention_layers(parser); });
    read([&] { (void)ll::parse_mode(parser.value("mode")); });
    (void)ll::parse_template_name(parser.value("template"));
    read([&] { (void)whole_number(parser, "n", 1, kLongestAnswer); });
    read([&] { (void)whole_number(parser, "cache-limit", 1, int64_t(1) << 20); });
    read([&] { (void)real_number(parser, "temp", 0.0, 100.0); });
    read([&] { (void)whole_number(parser, "top-k", 0, 1 << 24); });
    read([&] { (void)real_number(parser, "top-p", 0.0, 1.0); });
    read([&] { (void)whole_number(parser, "seed", 0, INT64_MAX); });
    read([&] { (void)real_number(parser, "depth", 0.0, 1.0); });
    for (const QString& spec : parser.values("run"))
        read([&] { check_round_trips(ll::RunConfig::from_text(spec)); });
    return 0;
}
