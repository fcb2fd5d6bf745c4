// longlens-cli: the command-line twin of every LongLens feature, for automation,
// tests and benchmarks.
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <exception>
#include <string_view>

#include "commands.h"
#include "terminal_text.h"

namespace {

struct Command {
    const char* name;
    int (*run)(const QStringList&);
    const char* summary;
};

constexpr Command kCommands[] = {
    {"generate", ll::cli::run_generate, "generate text from a prompt"},
    {"perplexity", ll::cli::run_perplexity, "perplexity of a text file at a given context"},
    {"tokenize", ll::cli::run_tokenize, "token ids of a text"},
    {"info", ll::cli::run_info, "what a model file contains and what will be applied"},
    {"import", ll::cli::run_import, "import a document: format, encoding, structure"},
    {"locate", ll::cli::run_locate, "where a character range of a document is shown"},
    {"ask", ll::cli::run_ask, "answer a question about a document, with citations"},
    {"calibrate", ll::cli::run_calibrate,
     "learn the model's per-head attribution weights from ablations on documents"},
    {"compare", ll::cli::run_compare, "answer one question with 2-4 runs and compare them"},
    {"review", ll::cli::run_review,
     "a grounded review of a paper, or two papers compared, every sentence cited"},
    {"needle", ll::cli::run_needle, "plant a sentence in a document and find it again"},
    {"library", ll::cli::run_library, "the library: list, show, export or remove documents"},
    {"diagnose", ll::cli::run_diagnose,
     "diagnostics: positions (rotary wavelengths, ALiBi), perplexity (along a document)"},
};

int usage(FILE* out) {
    std::fprintf(out, "usage: longlens-cli COMMAND [OPTIONS]\n\ncommands:\n");
    for (const Command& c : kCommands) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
    std::fprintf(out, "\n'longlens-cli COMMAND --help' describes a command's options.\n");
    return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    // The GUI's names, so the CLI opens the same library (<app data>/library.sqlite).
    QCoreApplication::setOrganizationName("LongLens");
    QCoreApplication::setApplicationName("LongLens");
    QCoreApplication::setApplicationVersion(LONGLENS_VERSION);
    QStringList args = app.arguments();
    args.removeFirst();
    if (args.isEmpty()) return usage(stderr);
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") return usage(stdout);
    if (args[0] == "--version") {
        std::printf("longlens-cli %s\n", LONGLENS_VERSION);
        return 0;
    }
    for (const Command& c : kCommands) {
        if (args[0] != QLatin1String(c.name)) continue;
        try {
            return c.run(args);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "longlens-cli %s: %s\n", c.name,
                         LL_TEXT(std::string_view(e.what())));
            return 1;
        }
    }
    std::fprintf(stderr, "longlens-cli: unknown command '%s'\n", LL_TEXT(args[0]));
    return usage(stderr);
}
