#include "qa_options.h"

#include "app_error.h"
#include "option_values.h"
#include "qa/answer.h"

namespace ll::cli {

void add_qa_options(QCommandLineParser& parser) {
    add_model_options(parser);
    parser.addOption({"doc", "Document to ask about (PDF, text, Markdown, EPUB).", "FILE"});
    parser.addOption({"ctx", "Context window in tokens (default: the effective window).", "N"});
    parser.addOption({"template",
                      "Prompt template: plain, llama2, llama3, mistral, chatml, qwen3, phi3, "
                      "zephyr, gemma, alpaca (default: the model file's, else plain).",
                      "NAME"});
    parser.addOption({"attention-layers",
                      "Layers whose attention attributes the answer, e.g. 1,2,3 (default: up "
                      "to four above the first).",
                      "LIST"});
    parser.addOption({"json", "Print one JSON object instead of text."});
}

int64_t qa_window(const QCommandLineParser& parser) {
    if (!parser.isSet("ctx")) return 0;
    return whole_number(parser, "ctx", kMinimumWindow, kLargestContext);
}

std::vector<int> qa_attention_layers(const QCommandLineParser& parser) {
    std::vector<int> layers;
    if (!parser.isSet("attention-layers")) return layers;
    for (const QString& part : parser.value("attention-layers").split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int layer = part.trimmed().toInt(&ok);
        if (!ok || layer < 0)
            throw AppError("--attention-layers", "expected layer numbers, e.g. 1,2,3");
        layers.push_back(layer);
    }
    return layers;
}

PromptFrame qa_frame(const QCommandLineParser& parser, const ModelRun& m) {
    if (parser.isSet("template")) {
        const auto kind = parse_template_name(parser.value("template"));
        if (!kind)
            throw AppError("--template",
                           QString("unknown template '%1'").arg(parser.value("template")));
        return frame_for(*kind);
    }
    return frame_for(choose_chat_template(m.model->path()).kind);
}

}  // namespace ll::cli
