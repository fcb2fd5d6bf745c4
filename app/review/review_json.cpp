#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include "app_error.h"
#include "review_export.h"
#include "save_file.h"

namespace ll {

namespace {

QJsonObject citation_json(const AnswerCitation& c) {
    QJsonArray rects;
    for (const PageRect& r : c.rects)
        rects.append(QJsonObject{{"page", r.page},
                                 {"x", r.rect.x()},
                                 {"y", r.rect.y()},
                                 {"width", r.rect.width()},
                                 {"height", r.rect.height()}});
    return {
        {"start", qint64(c.start)}, {"end", qint64(c.end)}, {"page", c.page}, {"label", c.label},
        {"text", c.text},           {"score", c.score},     {"rects", rects}};
}

QJsonObject part_json(const ReviewPart& p) {
    QJsonArray sentences, citations;
    for (const ReviewSentence& s : p.sentences) {
        QJsonArray cites;
        for (int i : s.cites) cites.append(i);
        sentences.append(QJsonObject{{"text", p.text.mid(s.start, s.end - s.start)},
                                     {"start", qint64(s.start)},
                                     {"end", qint64(s.end)},
                                     {"citations", cites}});
    }
    for (const AnswerCitation& c : p.citations) citations.append(citation_json(c));
    QJsonObject o{{"id", p.id},
                  {"title", p.title},
                  {"document", p.side},
                  {"status", status_name(p.status)},
                  {"text", p.text},
                  {"sentences", sentences},
                  {"citations", citations},
                  {"context", p.context},
                  {"prompt", p.prompt_source}};
    if (!p.error.isEmpty()) o["error"] = p.error;
    return o;
}

}  // namespace

QJsonObject to_json(const Review& review) {
    QJsonArray documents, parts;
    for (const ReviewDocument& d : review.documents)
        documents.append(QJsonObject{{"path", d.path}, {"title", d.title}});
    for (const ReviewPart& p : review.parts) parts.append(part_json(p));
    return {{"documents", documents}, {"model", review.model}, {"parts", parts}};
}

void write_text_file(const QString& path, const QString& text) {
    save_file_or_throw(path, text.toUtf8());  // whole or not at all (save_file.h)
}

QString export_format(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "md" || suffix == "markdown") return "md";
    if (suffix == "html" || suffix == "htm" || suffix == "xhtml") return "html";
    if (suffix == "pdf") return "pdf";
    throw AppError(path, "unknown export format (use .md, .html or .pdf)");
}

}  // namespace ll
