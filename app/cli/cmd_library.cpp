// longlens-cli library list|show|export|remove: the library the GUI shows (documents and
// their conversations, app/service/library_store), from the command line. DOC is a library
// id, a path the document was opened from, or a file whose content is in the library (a
// moved or renamed copy finds its conversation).
#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

#include <cstdio>
#include <memory>
#include <stdexcept>

#include "commands.h"
#include "documents/importer.h"
#include "model_options.h"
#include "qa/conversation_export.h"
#include "save_file.h"
#include "terminal_text.h"
#include "user_library.h"

namespace ll::cli {
namespace {

[[noreturn]] void refuse(const QString& message) {
    throw std::runtime_error(message.toStdString());
}

std::unique_ptr<LibraryStore> open_library(const QCommandLineParser& parser) {
    QStringList notices;
    std::unique_ptr<LibraryStore> store;
    if (parser.isSet("library")) {
        store = std::make_unique<LibraryStore>(parser.value("library") + "/library.sqlite");
        if (!store->open_problem().isEmpty()) notices << store->open_problem();
    } else {
        store = open_user_library(&notices);
    }
    for (const QString& n : notices) std::fprintf(stderr, "longlens-cli: %s\n", LL_TEXT(n));
    if (!store->is_open()) refuse(store->error());
    return store;
}

LibraryDocument find_document(const LibraryStore& store, const QString& key) {
    if (auto d = store.find(key)) return *d;
    // A file not opened from this path: its content may be in the library under another.
    if (QFileInfo(key).isFile())
        if (auto d = store.find_fingerprint(document_fingerprint(import_document(key)))) return *d;
    refuse(QStringLiteral("%1: not in the library (give a library id, a path, or a file with the "
                          "same content; 'library list' shows them)")
               .arg(key));
}

QJsonObject document_json(const LibraryDocument& d) {
    return {{"id", d.id},
            {"title", d.title},
            {"path", d.path},
            {"fingerprint", d.fingerprint},
            {"format", d.format},
            {"detail", d.detail},
            {"last_opened", d.last_opened.toString(Qt::ISODate)},
            {"answers", d.answers},
            {"exists", QFileInfo::exists(d.path)}};
}

void print(const QByteArray& bytes) {
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

int list(const LibraryStore& store, bool json) {
    const QList<LibraryDocument> docs = store.documents();
    if (!store.error().isEmpty()) refuse(store.error());
    if (json) {
        QJsonArray a;
        for (const LibraryDocument& d : docs) a.append(document_json(d));
        print(QJsonDocument(a).toJson(QJsonDocument::Indented));
        return 0;
    }
    for (const LibraryDocument& d : docs)
        std::printf("%4lld  %-40s %3d answer(s)  %s%s\n", static_cast<long long>(d.id),
                    LL_TEXT(d.title), d.answers, LL_TEXT(d.path),
                    QFileInfo::exists(d.path) ? "" : "  (missing)");
    if (docs.isEmpty()) std::printf("The library is empty.\n");
    return 0;
}

int show(const LibraryStore& store, const LibraryDocument& d, bool json) {
    const Conversation c = store.conversation(d.id);
    if (json) {
        QJsonObject o = conversation_json(c);
        o["document"] = document_json(d);
        print(QJsonDocument(o).toJson(QJsonDocument::Indented));
        return 0;
    }
    std::printf("%s\n  id %lld · %s · %s\n  %s\n  fingerprint %s\n  last opened %s\n\n",
                LL_TEXT(d.title), static_cast<long long>(d.id), LL_TEXT(d.format),
                LL_TEXT(d.detail), LL_TEXT(d.path), LL_TEXT(d.fingerprint),
                LL_TEXT(d.last_opened.toLocalTime().toString(Qt::ISODate)));
    for (const AnswerRecord& a : c.answers) {
        std::printf("[%lld] %s\n    %s\n", static_cast<long long>(a.id), LL_TEXT(a.question),
                    LL_TEXT(a.answer.simplified().left(300)));
        QStringList sources;
        for (const CitedPassage& p : a.citations) sources << p.label;
        if (!sources.isEmpty()) std::printf("    sources: %s\n", LL_TEXT(sources.join(", ")));
        std::printf("    %s%s\n\n", LL_TEXT(run_config_summary(a.run_config)),
                    a.complete ? "" : " · incomplete");
    }
    if (c.answers.isEmpty()) std::printf("No questions asked yet.\n");
    return 0;
}

int export_conversation(const LibraryStore& store, const LibraryDocument& d,
                        const QCommandLineParser& parser) {
    const QString format = parser.value("format");
    if (format != "markdown" && format != "json")
        refuse("--format: '" + format + "' is not markdown or json");
    Conversation c = store.conversation(d.id);
    if (parser.isSet("answer")) {
        const qint64 id = parser.value("answer").toLongLong();
        const auto it = std::find_if(c.answers.begin(), c.answers.end(),
                                     [id](const AnswerRecord& a) { return a.id == id; });
        if (it == c.answers.end())
            refuse("--answer: no answer " + parser.value("answer") + " about " + d.title);
        c.answers = {*it};
    }
    const QByteArray bytes =
        format == "json" ? QJsonDocument(conversation_json(c)).toJson(QJsonDocument::Indented)
                         : conversation_markdown(c).toUtf8();
    if (!parser.isSet("output")) {
        print(format == "json" ? bytes : terminal_text(QString::fromUtf8(bytes)));
        return 0;
    }
    if (const QString error = save_file(parser.value("output"), bytes); !error.isEmpty())
        refuse(error);
    return 0;
}

}  // namespace

int run_library(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "The library: the documents opened in LongLens (CLI or GUI) and their conversations.\n"
        "  library list [--json]\n"
        "  library show DOC [--json]\n"
        "  library export DOC [--format markdown|json] [--answer ID] [--output FILE]\n"
        "  library remove DOC\n"
        "DOC: a library id, a path the document was opened from, or a file with its content.");
    parser.addOption({"library", "Folder of the library database (default: the user's).", "DIR"});
    parser.addOption({"json", "Print JSON."});
    parser.addOption({"format", "export: markdown or json.", "FORMAT", "markdown"});
    parser.addOption({"answer", "export: only this answer (its id, as 'show' prints).", "ID"});
    parser.addOption({"output", "export: write to this file instead of standard output.", "FILE"});
    parser.addPositionalArgument("action", "list, show, export or remove.");
    parser.addPositionalArgument("DOC", "The document (not for list).", "[DOC]");
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    const QStringList rest = parser.positionalArguments();
    const QString action = rest.value(0);
    const int wanted = action == "list" ? 1 : 2;
    if (!QStringList{"list", "show", "export", "remove"}.contains(action) ||
        rest.size() != wanted) {
        std::fprintf(stderr, "%s", LL_TEXT(parser.helpText()));
        return 2;
    }
    std::unique_ptr<LibraryStore> store = open_library(parser);
    if (action == "list") return list(*store, parser.isSet("json"));
    const LibraryDocument d = find_document(*store, rest[1]);
    if (action == "show") return show(*store, d, parser.isSet("json"));
    if (action == "export") return export_conversation(*store, d, parser);
    if (!store->remove(d.id)) refuse(store->error());
    std::printf(
        "Removed %s from the library (its conversation is kept: opening it again brings "
        "it back).\n",
        LL_TEXT(d.title));
    return 0;
}

}  // namespace ll::cli
