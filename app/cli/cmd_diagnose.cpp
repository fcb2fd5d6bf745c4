// longlens-cli diagnose VIEW: the command-line twin of the Diagnostics views (issue 17).
// `positions`: what the position configuration in force does to each rotary dimension at a
// context length, beside every other scaling method, as a table, JSON or an SVG plot.
// `perplexity`: NLL per chunk along a document under the run the options describe, and
// optionally under other scalings beside it; a table, JSON or an SVG plot.
// `needle-grid`: the needle probe over depths × context lengths on the document, optionally
// under other scalings beside the options' run; a table, JSON, an SVG heatmap or CSV.
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "diagnostics/heatmap_svg.h"
#include "diagnostics/needle_grid.h"
#include "diagnostics/perplexity_chart.h"
#include "diagnostics/perplexity_profile.h"
#include "diagnostics/positions.h"
#include "diagnostics/positions_chart.h"
#include "diagnostics/run_positions.h"
#include "documents/importer.h"
#include "model_options.h"
#include "option_values.h"
#include "save_file.h"
#include "terminal_text.h"

namespace ll::cli {
namespace {

QJsonArray numbers(const std::vector<double>& v) {
    QJsonArray a;
    for (double x : v) a.append(x);
    return a;
}

QJsonObject positions_json(const PositionsReport& r, const QString& model) {
    QJsonArray dims;
    for (const RotaryDim& d : r.dims)
        dims.append(QJsonObject{{"pair", d.pair},
                                {"inv_freq", d.inv_freq},
                                {"wavelength", d.wavelength},
                                {"original_wavelength", d.original_wavelength},
                                {"ratio", d.ratio},
                                {"class", to_string(d.cls)},
                                {"exceeds_context", d.exceeds_context}});
    QJsonArray by_length;
    for (const LengthSample& s : r.by_length)
        by_length.append(QJsonObject{{"length", static_cast<double>(s.length)},
                                     {"theta", s.theta},
                                     {"attention_factor", s.attention_factor},
                                     {"wavelength", numbers(s.wavelength)},
                                     {"alibi_slopes", numbers(s.alibi_slopes)}});
    QJsonArray overlay;
    for (const MethodCurve& c : r.overlay)
        overlay.append(QJsonObject{{"method", QString::fromStdString(c.label)},
                                   {"spec", QString::fromStdString(c.spec_text)},
                                   {"attention_factor", c.attention_factor},
                                   {"effective", c.effective},
                                   {"wavelength", numbers(c.wavelength)}});
    QJsonArray warnings;
    for (const std::string& w : r.warnings) warnings.append(QString::fromStdString(w));
    QJsonArray notes;
    for (const std::string& n : r.notes) notes.append(QString::fromStdString(n));
    return QJsonObject{{"model", model},
                       {"method", QString::fromStdString(r.method)},
                       {"spec", QString::fromStdString(r.spec_text)},
                       {"source", to_string(r.source)},
                       {"file_freq_factors", r.file_freq_factors},
                       {"model_theta", r.model_theta},
                       {"theta", r.theta},
                       {"rotary_dim", r.rotary_dim},
                       {"trained_window", r.trained_window},
                       {"max_position_embeddings", r.max_position_embeddings},
                       {"context", static_cast<double>(r.context_len)},
                       {"attention_factor", r.attention_factor},
                       {"logit_factor", r.logit_factor},
                       {"full_factor", r.full_factor},
                       {"dims", dims},
                       {"alibi_slopes", numbers(r.alibi_slopes)},
                       {"by_length", by_length},
                       {"overlay", overlay},
                       {"warnings", warnings},
                       {"notes", notes}};
}

void print_dims(const PositionsReport& r) {
    std::printf("\n%4s  %12s  %12s  %12s  %7s  %-12s  %s\n", "pair", "inv_freq", "wavelength",
                "original", "ratio", "class", "> context");
    for (const RotaryDim& d : r.dims)
        std::printf("%4d  %12.6g  %12.6g  %12.6g  %7.4g  %-12s  %s\n", d.pair, d.inv_freq,
                    d.wavelength, d.original_wavelength, d.ratio, to_string(d.cls),
                    d.exceeds_context ? "yes" : "");
}

void print_slopes(const char* what, const std::vector<double>& slopes) {
    std::printf("%s", what);
    for (double m : slopes) std::printf(" %.6g", m);
    std::printf("\n");
}

void print_text(const PositionsReport& r, const QString& model) {
    std::printf("model: %s\n", LL_TEXT(model));
    std::printf("in force: %s (%s)%s\n", r.spec_text.c_str(), to_string(r.source),
                r.file_freq_factors ? ", with the file's per-pair rope_freqs divisors" : "");
    std::printf("trained window: %d  max_position_embeddings: %d  context: %lld\n",
                r.trained_window, r.max_position_embeddings, static_cast<long long>(r.context_len));
    if (r.alibi_slopes.empty())
        std::printf("rope base: %g (model's own %g)  rotary dims: %d\n", r.theta, r.model_theta,
                    r.rotary_dim);
    std::printf("attention factor: %.7g (logits x%.7g)\n", r.attention_factor, r.logit_factor);
    if (!r.alibi_slopes.empty()) print_slopes("ALiBi slopes per head:", r.alibi_slopes);
    if (!r.dims.empty()) print_dims(r);
    if (!r.by_length.empty()) {
        std::printf("\nby length (the method changes with it):\n");
        for (const LengthSample& s : r.by_length) {
            if (!s.alibi_slopes.empty()) {
                print_slopes(LL_TEXT(QString("  %1:").arg(s.length)), s.alibi_slopes);
                continue;
            }
            std::printf("  %8lld  base %-12.7g attention factor %-9.7g longest wavelength %.6g\n",
                        static_cast<long long>(s.length), s.theta, s.attention_factor,
                        s.wavelength.empty() ? 0.0 : s.wavelength.back());
        }
    }
    if (!r.overlay.empty()) {
        std::printf("\noverlay at %lld tokens (factor = context / trained window):\n",
                    static_cast<long long>(r.context_len));
        for (const MethodCurve& c : r.overlay) {
            int longer = 0;
            for (double w : c.wavelength) longer += w > static_cast<double>(r.context_len);
            std::printf("  %s %-10s longest wavelength %-12.6g pairs longer than context %-3d %s\n",
                        c.effective ? "*" : " ", c.label.c_str(),
                        c.wavelength.empty() ? 0.0 : c.wavelength.back(), longer,
                        c.spec_text.c_str());
        }
    }
    for (const std::string& n : r.notes) std::printf("note: %s\n", n.c_str());
    for (const std::string& w : r.warnings) std::printf("warning: %s\n", w.c_str());
}

void write_plot(const QString& path, const QByteArray& svg) {
    save_file_or_throw(path, svg);
}

int run_positions(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Rotary wavelengths per dimension for the position scaling in force, against the "
        "trained window and the context, beside every scaling method; ALiBi slopes.");
    add_model_options(parser);
    parser.addOption({"ctx", "Context length (default: the effective window).", "N"});
    parser.addOption({"json", "Print one JSON object."});
    parser.addOption({"plot", "Also write an SVG plot to FILE.", "FILE.svg"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    const ModelRun m = load_model(parser);
    int64_t ctx = 0;  // the effective window
    if (parser.isSet("ctx")) ctx = whole_number(parser, "ctx", 1, kLargestContext);
    const PositionsReport r = analyse_run_positions(m, ctx);
    const QString model = QString::fromStdString(m.model->path());
    if (parser.isSet("plot"))
        write_plot(parser.value("plot"),
                   positions_svg(r, parser.isSet("model") ? QFileInfo(model).fileName()
                                                          : QString("bundled model")));
    if (parser.isSet("json"))
        std::printf("%s\n", QJsonDocument(positions_json(r, model)).toJson().constData());
    else
        print_text(r, model);
    return 0;
}

// A whole number of at least `least` from option `name`, or `fallback` when it is not set.
int64_t count_option(const QCommandLineParser& parser, const QString& name, int64_t least,
                     int64_t fallback, const QString& what) {
    if (!parser.isSet(name)) return fallback;
    bool ok = false;
    const int64_t v = parser.value(name).toLongLong(&ok);
    if (!ok || v < least)
        throw AppError("--" + name, QString("expected %1, got '%2'").arg(what, parser.value(name)));
    return v;
}

QJsonObject chunk_json(const PerplexityChunk& c) {
    return QJsonObject{{"start_token", static_cast<qint64>(c.start_token)},
                       {"end_token", static_cast<qint64>(c.end_token)},
                       {"window", c.window_index},
                       {"start_position", static_cast<qint64>(c.start_position)},
                       {"end_position", static_cast<qint64>(c.end_position)},
                       {"char_start", static_cast<qint64>(c.char_start)},
                       {"char_end", static_cast<qint64>(c.char_end)},
                       {"page", c.page >= 0 ? QJsonValue(c.page + 1) : QJsonValue()},
                       {"mean_nll", c.mean_nll},
                       {"ppl", c.perplexity}};
}

QJsonObject perplexity_json(const PerplexityProfile& p, const QString& model) {
    QJsonArray runs;
    for (const PerplexityRun& r : p.runs) {
        QJsonArray chunks;
        for (const PerplexityChunk& c : r.chunks) chunks.append(chunk_json(c));
        QJsonArray warnings;
        for (const std::string& w : r.warnings) warnings.append(QString::fromStdString(w));
        runs.append(QJsonObject{{"label", r.label},
                                {"spec", r.spec_text},
                                {"source", r.source},
                                {"config", r.config.to_json()},
                                {"trained_window", r.trained_window},
                                {"effective_window", static_cast<qint64>(r.effective_window)},
                                {"scored_tokens", static_cast<qint64>(r.scored_tokens)},
                                {"mean_nll", r.mean_nll},
                                {"ppl", r.perplexity},
                                {"warnings", warnings},
                                {"chunks", chunks}});
    }
    return QJsonObject{{"document", p.document},
                       {"model", model},
                       {"page_count", p.page_count},
                       {"document_tokens", static_cast<qint64>(p.document_tokens)},
                       {"window", static_cast<qint64>(p.window)},
                       {"chunk", static_cast<qint64>(p.chunk)},
                       {"bos", p.bos},
                       {"cancelled", p.cancelled},
                       {"runs", runs}};
}

// Whether every run has the same chunks (one model): then one table holds them all.
bool same_chunks(const PerplexityProfile& p) {
    for (const PerplexityRun& r : p.runs) {
        if (r.chunks.size() != p.runs.front().chunks.size()) return false;
        for (size_t i = 0; i < r.chunks.size(); ++i)
            if (r.chunks[i].start_token != p.runs.front().chunks[i].start_token) return false;
    }
    return true;
}

// One table: a row per chunk, a perplexity column per run; `>` marks chunks whose positions
// pass the trained window, `|` the chunk it ends in.
void print_chunks(const PerplexityProfile& p, const std::vector<const PerplexityRun*>& runs) {
    const PerplexityRun& first = *runs.front();
    const bool pages = p.page_count > 0;
    std::printf("\n%6s %13s %11s %17s %s", "window", "tokens", "positions", "characters",
                pages ? " page" : "");
    for (size_t i = 0; i < runs.size(); ++i)
        std::printf(" %10s", LL_TEXT(QString("ppl #%1").arg(i + 1)));
    std::printf("\n");
    for (size_t k = 0; k < first.chunks.size(); ++k) {
        const PerplexityChunk& c = first.chunks[k];
        const int64_t trained = first.trained_window;
        const char mark = trained <= 0 || c.end_position <= trained ? ' '
                          : c.start_position < trained              ? '|'
                                                                    : '>';
        std::printf("%6d %6lld-%-6lld %5lld-%-5lld %8lld-%-8lld", c.window_index,
                    static_cast<long long>(c.start_token), static_cast<long long>(c.end_token),
                    static_cast<long long>(c.start_position),
                    static_cast<long long>(c.end_position), static_cast<long long>(c.char_start),
                    static_cast<long long>(c.char_end));
        if (pages) {
            if (c.page >= 0)
                std::printf(" %4d", c.page + 1);
            else
                std::printf(" %4s", "");
        }
        for (const PerplexityRun* r : runs) std::printf(" %10.3f", r->chunks[k].perplexity);
        std::printf(" %c\n", mark);
    }
}

void print_perplexity(const PerplexityProfile& p, const QString& model) {
    std::printf("document: %s (%lld tokens%s)\n", LL_TEXT(p.document),
                static_cast<long long>(p.document_tokens),
                p.page_count > 0 ? LL_TEXT(QString(", %1 pages").arg(p.page_count)) : "");
    std::printf("model: %s\n", LL_TEXT(model));
    std::printf("windows of %lld tokens%s, each evaluated as one sequence; chunks of %lld\n",
                static_cast<long long>(p.window), p.bos ? " (BOS first)" : "",
                static_cast<long long>(p.chunk));
    for (size_t i = 0; i < p.runs.size(); ++i) {
        const PerplexityRun& r = p.runs[i];
        std::printf(
            "#%zu %s  %s\n   trained window %d, effective window %s: perplexity %.4f "
            "(mean NLL %.6f) over %lld tokens\n",
            i + 1, LL_TEXT(r.label), LL_TEXT(r.spec_text), r.trained_window,
            r.effective_window > 0 ? LL_TEXT(QString::number(r.effective_window))
                                   : "no fixed limit",
            r.perplexity, r.mean_nll, static_cast<long long>(r.scored_tokens));
    }
    if (same_chunks(p)) {
        std::vector<const PerplexityRun*> all;
        for (const PerplexityRun& r : p.runs) all.push_back(&r);
        print_chunks(p, all);
    } else {
        for (const PerplexityRun& r : p.runs) print_chunks(p, {&r});
    }
    std::printf("('|': the chunk where positions reach the trained window; '>': past it)\n");
    for (size_t i = 0; i < p.runs.size(); ++i)
        for (const std::string& w : p.runs[i].warnings)
            std::printf("warning (#%zu): %s\n", i + 1, w.c_str());
    if (p.cancelled) std::printf("cancelled: the table is partial\n");
}

int run_perplexity_view(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Perplexity per chunk along a document, under the model options and optionally other "
        "scalings beside them, marking the trained window.");
    add_model_options(parser);
    parser.addOption({"doc", "Document (PDF, text, Markdown, EPUB).", "FILE"});
    parser.addOption({"chunk", "Tokens per reported chunk.", "N", "256"});
    parser.addOption(
        {"limit", "Score only the first N tokens of the document (default: all).", "N"});
    parser.addOption({"ctx",
                      "Tokens per evaluated window, BOS included (default: the effective "
                      "window of the options' scaling).",
                      "N"});
    parser.addOption({"compare-scaling",
                      "Also profile under this scaling (repeatable; 'file' for the model "
                      "file's own), e.g. none.",
                      "SPEC"});
    parser.addOption({"json", "Print one JSON object."});
    parser.addOption({"plot", "Also write an SVG plot to FILE.", "FILE.svg"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("doc")) throw AppError("--doc", "the document to profile is required");
    PerplexityOptions options;
    options.chunk = count_option(parser, "chunk", 1, 256, "a positive number of tokens");
    options.limit = count_option(parser, "limit", 1, 0, "a positive number of tokens");
    options.window = count_option(parser, "ctx", 2, 0, "a window of at least 2 tokens");
    const RunConfig config = run_config(parser);  // option errors before any loading
    std::vector<QString> compare;
    for (const QString& spec : parser.values("compare-scaling")) {
        RunConfig check = config;
        if (spec != "file") check.set_scaling(spec, "--compare-scaling");
        compare.push_back(spec == "file" ? QString() : spec);
    }
    const Document doc = import_document(parser.value("doc"));
    std::vector<ModelRun> runs{load_model(config)};
    for (const QString& spec : compare)
        runs.push_back(with_scaling(runs.front(), spec, "--compare-scaling"));
    const PerplexityProfile p = perplexity_profile(doc, runs, options);
    const QString model = QString::fromStdString(runs.front().model->path());
    if (parser.isSet("plot"))
        write_plot(parser.value("plot"),
                   perplexity_svg(p, QString("%1 on %2: perplexity along the document")
                                         .arg(parser.isSet("model") ? QFileInfo(model).fileName()
                                                                    : QString("bundled model"),
                                              QFileInfo(doc.path).fileName())));
    if (parser.isSet("json"))
        std::printf("%s\n", QJsonDocument(perplexity_json(p, model)).toJson().constData());
    else
        print_perplexity(p, model);
    return 0;
}

// "0,0.25,0.5" as numbers from 0 to 1 (the depths).
std::vector<double> depths_option(const QCommandLineParser& parser) {
    std::vector<double> out;
    for (const QString& part : parser.value("depths").split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const double d = part.trimmed().toDouble(&ok);
        if (!ok || !(d >= 0 && d <= 1))
            throw AppError("--depths",
                           "expected fractions from 0 (start) to 1 (end), got '" + part + "'");
        out.push_back(d);
    }
    if (out.empty()) throw AppError("--depths", "give at least one depth, e.g. 0,0.5,1");
    return out;
}

// "512,1024" as token counts of at least 16 (the lengths).
std::vector<int> lengths_option(const QCommandLineParser& parser) {
    std::vector<int> out;
    for (const QString& part : parser.value("lengths").split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 16)
            throw AppError("--lengths",
                           "expected context lengths of at least 16 tokens, got '" + part + "'");
        out.push_back(n);
    }
    if (out.empty()) throw AppError("--lengths", "give at least one length, e.g. 512,1024");
    return out;
}

QJsonObject grid_json(const NeedleGrid& g, const QString& model) {
    QJsonArray depths, lengths, runs;
    for (double d : g.depths) depths.append(d);
    for (int n : g.lengths) lengths.append(n);
    for (const NeedleGridRun& r : g.runs) {
        QJsonArray cells;
        for (const NeedleGridCell& c : r.cells) {
            QJsonObject o{{"depth", c.depth},
                          {"length", c.length},
                          {"done", c.done},
                          {"outcome", to_string(c.outcome())}};
            if (c.done) {
                o["found"] = c.found;
                o["cited"] = c.cited;
                o["answer"] = c.answer;
                o["needle"] = QJsonObject{{"start", c.needle_start}, {"end", c.needle_end}};
                o["top_citation"] = c.citation_start < 0 ? QJsonValue()
                                                         : QJsonObject{{"start", c.citation_start},
                                                                       {"end", c.citation_end}};
                o["prompt_tokens"] = static_cast<qint64>(c.prompt_tokens);
            }
            cells.append(o);
        }
        runs.append(QJsonObject{{"label", r.label}, {"spec", r.spec_text}, {"cells", cells}});
    }
    return QJsonObject{{"document", g.document},
                       {"model", model},
                       {"needle", g.probe.needle},
                       {"probe_text", g.probe.probe_text},
                       {"expected", g.probe.expected},
                       {"depths", depths},
                       {"lengths", lengths},
                       {"cancelled", g.cancelled},
                       {"runs", runs}};
}

void print_grid(const NeedleGrid& g, const QString& model) {
    std::printf("document: %s\nmodel: %s\nneedle: %s\n", LL_TEXT(g.document), LL_TEXT(model),
                LL_TEXT(g.probe.needle));
    for (const NeedleGridRun& r : g.runs) {
        std::printf("\n%s  %s\n%8s", LL_TEXT(r.label), LL_TEXT(r.spec_text), "depth");
        for (int n : g.lengths) std::printf(" %8d", n);
        std::printf("\n");
        for (size_t d = 0; d < g.depths.size(); ++d) {
            std::printf("%7.4g%%", g.depths[d] * 100);
            for (size_t l = 0; l < g.lengths.size(); ++l) {
                const NeedleGridCell& c = r.cells[d * g.lengths.size() + l];
                const char* mark = !c.done              ? "-"
                                   : c.found && c.cited ? "pass"
                                   : c.found            ? "found"
                                   : c.cited            ? "cited"
                                                        : "miss";
                std::printf(" %8s", mark);
            }
            std::printf("\n");
        }
    }
    std::printf(
        "(pass: found and the top citation inside the needle; found: found, cited "
        "elsewhere; cited: not found, cited inside; miss: neither)\n");
    if (g.cancelled) std::printf("cancelled: the grid is partial\n");
}

int run_needle_grid(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "The needle probe over depths x context lengths on a document: does the answer hold "
        "the planted sentence, and does the top citation lie inside it?");
    add_model_options(parser);
    parser.addOption({"doc", "Document (PDF, text, Markdown, EPUB): the haystack.", "FILE"});
    parser.addOption({"depths", "Where to plant the needle, fractions 0 (start) to 1 (end).",
                      "D,D,...", "0,0.25,0.5,0.75,1"});
    parser.addOption({"lengths", "Haystack sizes in tokens (needle included).", "N,N,...",
                      "512,1024,2048,4096"});
    parser.addOption({"needle",
                      "The sentence to plant (default: a pass-key passage with the question "
                      "the bundled model was trained on).",
                      "TEXT"});
    parser.addOption({"probe", "question, continue or forced (as `needle`).", "P", "continue"});
    parser.addOption({"probe-text", "continue/forced: the text after the document.", "TEXT"});
    parser.addOption({"intro", "Text before the document (a task instruction).", "TEXT"});
    parser.addOption({"expect", "What the answer must contain.", "TEXT"});
    parser.addOption({"compare-scaling",
                      "Also probe under this scaling (repeatable; 'file' for the model file's "
                      "own), e.g. none.",
                      "SPEC"});
    parser.addOption({"json", "Print one JSON object."});
    parser.addOption({"plot", "Also write the heatmap as SVG to FILE.", "FILE.svg"});
    parser.addOption({"csv", "Also write the cells as CSV to FILE.", "FILE.csv"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("doc")) throw AppError("--doc", "the document to probe is required");
    NeedleGridOptions options;
    options.depths = depths_option(parser);
    options.lengths = lengths_option(parser);
    const QString probe = parser.value("probe");
    if (probe != "question" && probe != "continue" && probe != "forced")
        throw AppError("--probe", "expected question, continue or forced");
    if (parser.isSet("needle")) {
        options.probe = NeedleSpec{};
        options.probe.needle = parser.value("needle");
        if (options.probe.needle.trimmed().isEmpty())
            throw AppError("--needle", "the needle is empty");
    }
    if (parser.isSet("probe-text")) options.probe.probe_text = parser.value("probe-text");
    if (parser.isSet("intro")) options.probe.intro = parser.value("intro").replace("\\n", "\n");
    if (parser.isSet("expect")) options.probe.expected = parser.value("expect");
    if (parser.isSet("probe") || parser.isSet("needle"))
        options.probe.probe = probe == "question" ? NeedleProbe::Question
                              : probe == "forced" ? NeedleProbe::Forced
                                                  : NeedleProbe::Continue;
    const RunConfig config = run_config(parser);  // option errors before any loading
    std::vector<QString> compare;
    for (const QString& spec : parser.values("compare-scaling")) {
        RunConfig check = config;
        if (spec != "file") check.set_scaling(spec, "--compare-scaling");
        compare.push_back(spec == "file" ? QString() : spec);
    }
    const Document doc = import_document(parser.value("doc"));
    std::vector<ModelRun> runs{load_model(config)};
    for (const QString& spec : compare)
        runs.push_back(with_scaling(runs.front(), spec, "--compare-scaling"));
    const NeedleGrid g = needle_grid(doc, runs, options);
    const QString model = QString::fromStdString(runs.front().model->path());
    const Heatmap map = needle_heatmap(
        g, QString("%1 on %2: needle grid")
               .arg(parser.isSet("model") ? QFileInfo(model).fileName() : QString("bundled model"),
                    QFileInfo(doc.path).fileName()));
    if (parser.isSet("plot")) write_plot(parser.value("plot"), heatmap_svg(map));
    if (parser.isSet("csv")) write_plot(parser.value("csv"), heatmap_csv(map));
    if (parser.isSet("json"))
        std::printf("%s\n", QJsonDocument(grid_json(g, model)).toJson().constData());
    else
        print_grid(g, model);
    return 0;
}

}  // namespace

int run_diagnose(const QStringList& args) {
    if (args.size() >= 2 && args[1] == "positions") return run_positions(args.mid(1));
    if (args.size() >= 2 && args[1] == "perplexity") return run_perplexity_view(args.mid(1));
    if (args.size() >= 2 && args[1] == "attention") return run_diagnose_attention(args.mid(1));
    if (args.size() >= 2 && args[1] == "needle-grid") return run_needle_grid(args.mid(1));
    std::fprintf(stderr,
                 "usage: longlens-cli diagnose positions [--model M] [--scaling SPEC] "
                 "[--rope-theta T] [--ctx L] [--json] [--plot FILE.svg]\n"
                 "       longlens-cli diagnose perplexity --doc D [--model M] [--scaling SPEC] "
                 "[--chunk N] [--limit N] [--ctx W] [--compare-scaling SPEC]... [--json] "
                 "[--plot FILE.svg]\n"
                 "       longlens-cli diagnose attention --doc D --question Q [--answer A] "
                 "[--attention-layers L,..] [--heads H,..] [--bins N] [--json] [--plot FILE.svg]\n"
                 "       longlens-cli diagnose needle-grid --doc D [--model M] [--scaling SPEC] "
                 "[--depths 0,0.5,1] [--lengths 512,1024] [--needle TEXT] "
                 "[--compare-scaling SPEC]... [--json] [--plot FILE.svg] [--csv FILE.csv]\n"
                 "views: positions, perplexity, attention, needle-grid\n");
    return args.size() >= 2 && (args[1] == "--help" || args[1] == "-h") ? 0 : 2;
}

}  // namespace ll::cli
