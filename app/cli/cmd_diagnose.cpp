// longlens-cli diagnose VIEW: the command-line twin of the Diagnostics views (issue 17).
// `positions`: what the position configuration in force does to each rotary dimension at a
// context length, beside every other scaling method, as a table, JSON or an SVG plot.
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "diagnostics/positions.h"
#include "diagnostics/positions_chart.h"
#include "diagnostics/run_positions.h"
#include "model_options.h"

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
    std::printf("model: %s\n", qPrintable(model));
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
                print_slopes(qPrintable(QString("  %1:").arg(s.length)), s.alibi_slopes);
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
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(svg) != svg.size())
        throw AppError(path, "cannot write the plot: " + f.errorString());
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
    if (parser.isSet("ctx")) {
        bool ok = false;
        ctx = parser.value("ctx").toLongLong(&ok);
        if (!ok || ctx < 1)
            throw AppError("--ctx",
                           "expected a positive token count, got '" + parser.value("ctx") + "'");
    }
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

}  // namespace

int run_diagnose(const QStringList& args) {
    if (args.size() >= 2 && args[1] == "positions") return run_positions(args.mid(1));
    std::fprintf(stderr,
                 "usage: longlens-cli diagnose positions [--model M] [--scaling SPEC] "
                 "[--rope-theta T] [--ctx L] [--json] [--plot FILE.svg]\n"
                 "views: positions (attention, perplexity and needle-grid are not built yet)\n");
    return args.size() >= 2 && (args[1] == "--help" || args[1] == "-h") ? 0 : 2;
}

}  // namespace ll::cli
