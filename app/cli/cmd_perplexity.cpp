// longlens-cli perplexity: BOS + the tokens of a file, the first N evaluated as one
// sequence; perplexity, mean NLL and optionally every position's NLL.
#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "diagnostics/sequence_nll.h"
#include "model_options.h"
#include "option_values.h"
#include "save_file.h"
#include "session.h"

namespace ll::cli {
namespace {

std::string read_file(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) throw AppError(path, "cannot read: " + f.errorString());
    return f.readAll().toStdString();
}

}  // namespace

int run_perplexity(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Perplexity of the first N tokens of a text file.");
    add_model_options(parser);
    parser.addOption({"file", "UTF-8 text file.", "TEXT"});
    parser.addOption(
        {"ctx", "Tokens to evaluate as one sequence (BOS included when the model adds one).", "N"});
    parser.addOption({"json", "Print {\"tokens\",\"ppl\",\"mean_nll\"} as JSON."});
    parser.addOption({"nll-out", "Write the N-1 per-position NLLs as float32.", "FILE"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("file") || !parser.isSet("ctx"))
        throw AppError("perplexity", "--file and --ctx are required");

    ModelRun m = load_model(parser);
    const Tokenizer& tok = m.model->tokenizer();
    std::vector<int32_t> ids;
    if (tok.add_bos()) ids.push_back(tok.bos());  // Qwen's vocabularies add none
    auto text = tok.encode(read_file(parser.value("file")));
    ids.insert(ids.end(), text.begin(), text.end());
    const int64_t n = whole_number(parser, "ctx", 2, kLargestContext);
    if (static_cast<int64_t>(ids.size()) < n)
        throw AppError(parser.value("file"),
                       QString("has only %1 tokens, fewer than --ctx %2").arg(ids.size()).arg(n));
    ids.resize(static_cast<size_t>(n));

    auto session_ptr = m.session(n);
    Session& session = *session_ptr;
    const std::vector<float> nll = sequence_nll(session, ids);
    const double mean = mean_nll(nll);
    if (parser.isSet("nll-out")) {
        save_file_or_throw(parser.value("nll-out"),
                           QByteArray(reinterpret_cast<const char*>(nll.data()),
                                      qsizetype(nll.size() * sizeof(float))));
    }
    if (parser.isSet("json")) {
        QJsonObject o{
            {"tokens", static_cast<qint64>(n)}, {"ppl", std::exp(mean)}, {"mean_nll", mean}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("perplexity %.4f over %lld tokens (mean NLL %.6f)\n", std::exp(mean),
                    static_cast<long long>(n), mean);
    }
    return 0;
}

}  // namespace ll::cli
