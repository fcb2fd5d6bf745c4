#include "review_prompts.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include <optional>

#include "app_error.h"

namespace ll {

namespace {

// The file's text without HTML comments; nullopt when it cannot be read.
std::optional<QString> read_prompt(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return std::nullopt;
    static const QRegularExpression comment(QStringLiteral("<!--.*?-->"),
                                            QRegularExpression::DotMatchesEverythingOption);
    return QString::fromUtf8(f.readAll()).remove(comment).trimmed();
}

}  // namespace

QString review_prompt_dir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + "/review";
}

ReviewPrompt load_review_prompt(const QString& id, const QString& override_dir) {
    const QString user = override_dir + "/" + id + ".md";
    if (!override_dir.isEmpty() && QFileInfo::exists(user)) {
        const std::optional<QString> text = read_prompt(user);
        if (!text) throw AppError(user, "the prompt override cannot be read");
        // An emptied override would ask nothing: the compiled-in prompt stays in force.
        if (!text->isEmpty()) return {*text, user};
    }
    const QString builtin = ":/review/" + id + ".md";
    const std::optional<QString> text = read_prompt(builtin);
    if (!text) throw AppError(builtin, "no such review prompt");
    return {*text, builtin};
}

QString fill_prompt(QString text, const QList<std::pair<QString, QString>>& values) {
    for (const auto& [key, value] : values) text.replace("{" + key + "}", value);
    return text;
}

}  // namespace ll
