#include "conversation_export.h"

#include <QFileInfo>
#include <QJsonArray>

#include "bundled.h"
#include "run_config.h"

namespace ll {
namespace {

// A quote as one Markdown blockquote paragraph: its own line breaks would end it.
QString quoted(const QString& text) {
    return "> " + text.simplified();
}

QString where(const CitedPassage& c) {
    QString place = c.label;
    if (c.page >= 0 && !place.contains(QStringLiteral("p. %1").arg(c.page + 1)))
        place += (place.isEmpty() ? "" : " · ") + QStringLiteral("p. %1").arg(c.page + 1);
    if (place.isEmpty()) place = QStringLiteral("characters %1–%2").arg(c.start).arg(c.end);
    return place;
}

QString document_name(const Conversation& c) {
    return c.title.isEmpty() ? QFileInfo(c.document_path).fileName() : c.title;
}

QString answer_section(const AnswerRecord& a, const QString& document) {
    QString md = "## " + a.question.simplified() + "\n\n";
    QStringList about{a.asked.toUTC().toString(Qt::ISODate)};
    const QString config = run_config_summary(a.run_config);
    if (!config.isEmpty()) about << config;
    if (!a.complete) about << QStringLiteral("incomplete");
    md += "*" + about.join(" · ") + "*\n\n";
    md += (a.answer.trimmed().isEmpty() ? QStringLiteral("(no answer)") : a.answer.trimmed()) +
          "\n\n";
    if (!a.note.isEmpty() && !a.complete) md += "*" + a.note + "*\n\n";
    if (a.citations.isEmpty()) return md;
    md += "Sources:\n\n";
    int i = 0;
    for (const CitedPassage& c : a.citations) {
        md += QStringLiteral("%1. %2, %3\n\n").arg(++i).arg(document, where(c));
        md += "   " + quoted(c.text) + "\n\n";
    }
    return md;
}

QJsonObject document_json(const Conversation& c) {
    return {{"path", c.document_path}, {"title", c.title}, {"fingerprint", c.fingerprint}};
}

QJsonObject with_answers(const Conversation& c, const QJsonArray& answers) {
    return {{"format", "longlens-conversation"},
            {"version", 2},
            {"document", document_json(c)},
            {"answers", answers}};
}

}  // namespace

QString run_config_summary(const QJsonObject& run_config) {
    QStringList parts;
    const QString model = run_config.value("model").toString();
    if (!model.isEmpty()) parts << bundled::model_name(model);
    // The method and its first parameter ("yarn:factor=8"); the rest is in the JSON.
    const QString scaling = run_config.value("scaling").toString().section(',', 0, 0);
    if (!scaling.isEmpty() && scaling != "none") parts << scaling;
    const QString attention = run_config.value("attention").toString();
    if (!attention.isEmpty() && attention != "full") parts << attention;
    // The KV type only when it is not the default: the card names what differs.
    const QString kv = run_config.value("kv").toString();
    if (!kv.isEmpty() && kv != kv_name(kDefaultKvType)) parts << "kv " + kv;
    return parts.join(" · ");
}

QString conversation_markdown(const Conversation& c) {
    const QString name = document_name(c);
    QString md = "# Questions about " + name + "\n\n";
    md += "Document: `" + c.document_path + "`\n\n";
    for (const AnswerRecord& a : c.answers) md += answer_section(a, name);
    return md;
}

QString answer_markdown(const Conversation& c, const AnswerRecord& a) {
    return answer_section(a, document_name(c)) + "Document: `" + c.document_path + "`\n";
}

QJsonObject conversation_json(const Conversation& c) {
    QJsonArray answers;
    for (const AnswerRecord& a : c.answers) answers.append(to_json(a));
    return with_answers(c, answers);
}

QJsonObject answer_json(const Conversation& c, const AnswerRecord& a) {
    return with_answers(c, QJsonArray{to_json(a)});
}

}  // namespace ll
