// longlens: the desktop application. Command-line options automate it for screenshots
// and tests: longlens [--model M] [--open FILE] [--ask "Q"] [--screenshot PNG]
// [--quit-when-done].
#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

#include <cstdio>

#include "main_window.h"
#include "scripted_run.h"
#include "settings_file.h"
#include "theme.h"

namespace {

void add_options(QCommandLineParser& parser) {
    parser.setApplicationDescription("Read long documents and ask questions about them.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {"model", "Load this GGUF file or Hugging Face model directory.", "M"},
        {"scaling", "Position scaling override, e.g. yarn:factor=4.", "SPEC"},
        {"open", "Import and open this document.", "FILE"},
        {"ask", "Ask this question once the document and model are ready.", "Q"},
        {"review",
         "Review the paper once it and the model are ready: all, or parts such as "
         "summary,method.",
         "PARTS"},
        {"compare",
         "Compare the paper with FILE once both and the model are ready, then show a source "
         "in FILE.",
         "FILE"},
        {"show-range", "Highlight the character range START:END of the document.", "START:END"},
        {"screenshot", "Save a picture of the window when the work is done.", "PNG"},
        {"prefill-screenshot", "Save a picture of the window while the prompt is read.", "PNG"},
        {"quit-when-done", "Quit after the requested work (and screenshot)."},
        {"log-progress", "Print the progress of answers on standard output, a line a step."},
        {"page", "Go to this page (1-based) once the document is open.", "N"},
        {"zoom", "PDF zoom, 1 = 100 %.", "Z"},
        {"panel",
         "Bring a panel forward: library, outline, answers, model, compare, diagnostics or one "
         "of its views (positions, attention, perplexity, needle).",
         "NAME"},
        {"theme", "system, light or dark (remembered).", "THEME"},
        {"size", "Window size WIDTHxHEIGHT.", "WxH"},
    });
}

ll::ScriptOptions script_options(const QCommandLineParser& parser) {
    ll::ScriptOptions o;
    o.model = parser.value("model");
    o.scaling = parser.value("scaling");
    o.open = parser.value("open");
    o.ask = parser.value("ask");
    o.review = parser.value("review");
    o.compare = parser.value("compare");
    o.screenshot = parser.value("screenshot");
    o.prefill_screenshot = parser.value("prefill-screenshot");
    o.quit_when_done = parser.isSet("quit-when-done");
    o.log_progress = parser.isSet("log-progress");
    o.page = parser.value("page").toInt();
    o.zoom = parser.value("zoom").toDouble();
    o.panel = parser.value("panel");
    if (parser.isSet("show-range")) {
        const QStringList r = parser.value("show-range").split(':');
        o.range_start = r.value(0).toLongLong();
        o.range_end = r.value(1).toLongLong();
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("LongLens");
    QApplication::setApplicationName("LongLens");
    QApplication::setApplicationVersion(LONGLENS_VERSION);  // CMake's PROJECT_VERSION
    QApplication::setDesktopFileName("longlens");

    QCommandLineParser parser;
    add_options(parser);
    parser.process(app);

    // Before anything reads or writes the settings: a damaged file is moved aside, not
    // overwritten; the window shows the message (and prints it) with the library's notices.
    ll::check_settings_file();
    QSettings settings;
    if (parser.isSet("theme")) settings.setValue("ui/theme", parser.value("theme"));
    ll::apply_theme(ll::theme_from_name(settings.value("ui/theme", "system").toString()));

    ll::MainWindow window;
    if (parser.isSet("size")) {
        const QStringList wh = parser.value("size").split('x');
        window.resize(wh.value(0).toInt(), wh.value(1).toInt());
    }
    window.show();

    ll::ScriptOptions options = script_options(parser);
    // Reopen what was open last time unless the command line names something else.
    const auto restored = window.restore_session(options.open.isEmpty(), options.model.isEmpty());
    options.await_document = restored.document;
    options.await_model = restored.model;
    auto* script = new ll::ScriptedRun(&window, options);
    script->start();
    const int rc = app.exec();
    return rc != 0 ? rc : script->exit_code();
}
