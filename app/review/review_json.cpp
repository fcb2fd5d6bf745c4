#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include "app_error.h"
#include "review_export.h"
#include "review_pdf.h"
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

AnswerCitation citation_from_json(const QJsonObject& o) {
    AnswerCitation c;
    c.start = o["start"].toInteger();
    c.end = o["end"].toInteger();
    c.page = o["page"].toInt(-1);
    c.label = o["label"].toString();
    c.text = o["text"].toString();
    c.score = o["score"].toDouble();
    for (const QJsonValue& v : o["rects"].toArray()) {
        const QJsonObject r = v.toObject();
        c.rects << PageRect{r["page"].toInt(),
                            QRectF(r["x"].toDouble(), r["y"].toDouble(), r["width"].toDouble(),
                                   r["height"].toDouble())};
    }
    return c;
}

ReviewPart part_from_json(const QJsonObject& o) {
    ReviewPart p;
    p.id = o["id"].toString();
    p.title = o["title"].toString();
    p.side = o["document"].toInt();
    p.status = status_from_name(o["status"].toString());
    p.text = o["text"].toString();
    p.context = o["context"].toString();
    p.prompt_source = o["prompt"].toString();
    p.error = o["error"].toString();
    for (const QJsonValue& v : o["citations"].toArray())
        p.citations << citation_from_json(v.toObject());
    for (const QJsonValue& v : o["sentences"].toArray()) {
        const QJsonObject so = v.toObject();
        ReviewSentence sentence{so["start"].toInteger(), so["end"].toInteger(), {}};
        // Only what indexes this part's text and citations: a hand-edited library stays safe.
        if (sentence.start < 0 || sentence.end > p.text.size() || sentence.start > sentence.end)
            continue;
        for (const QJsonValue& c : so["citations"].toArray())
            if (c.toInt(-1) >= 0 && c.toInt() < p.citations.size()) sentence.cites << c.toInt();
        p.sentences << sentence;
    }
    return p;
}

}  // namespace

Review review_from_json(const QJsonObject& o) {
    Review review;
    for (const QJsonValue& v : o["documents"].toArray())
        review.documents << ReviewDocument{v["path"].toString(), v["title"].toString()};
    review.model = o["model"].toString();
    for (const QJsonValue& v : o["parts"].toArray()) {
        ReviewPart p = part_from_json(v.toObject());
        if (p.side >= 0 && p.side < review.documents.size()) review.parts << p;
    }
    return review;
}

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

QList<std::pair<QString, int>> export_review(const Review& review, const QString& file) {
    const QString format = export_format(file);
    if (format == "md") {
        write_text_file(file, review_markdown(review));
        return {{file, 0}};
    }
    if (format == "html") {
        write_text_file(file, review_html(review));
        return {{file, 0}};
    }
    // Every paper is checked before any file is written: no half-done export.
    for (const ReviewDocument& d : review.documents)
        if (!d.path.endsWith(".pdf", Qt::CaseInsensitive))
            throw AppError(d.path, "is not a PDF: only a PDF can be exported with highlights");
    QList<std::pair<QString, int>> written;
    for (int side = 0; side < review.documents.size(); ++side) {
        const QString source = review.documents[side].path;
        const QFileInfo out(file);
        const QString path = review.comparison() ? out.path() + "/" + out.completeBaseName() + "-" +
                                                       QChar('A' + side) + ".pdf"
                                                 : file;
        written << std::pair{path, write_annotated_pdf(review, source, path, side)};
    }
    return written;
}

QString export_format(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "md" || suffix == "markdown") return "md";
    if (suffix == "html" || suffix == "htm" || suffix == "xhtml") return "html";
    if (suffix == "pdf") return "pdf";
    throw AppError(path, "unknown export format (use .md, .html or .pdf)");
}

}  // namespace ll
