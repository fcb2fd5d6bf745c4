#include <QFileInfo>
#include <QUrl>

#include "review_export.h"

namespace ll {

namespace {

// Escaped for XML, without the characters XML 1.0 forbids (control characters a PDF's
// text layer may hold, lone surrogates), so the page always parses.
QString esc(const QString& s) {
    QString clean;
    clean.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c.isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate()) {
            clean += c;
            clean += s[++i];
        } else if (!c.isSurrogate() && (c.unicode() >= 0x20 || c == '\n' || c == '\t') &&
                   c.unicode() != 0xFFFE && c.unicode() != 0xFFFF) {
            clean += c;
        }
    }
    return clean.toHtmlEscaped();
}

// An id for a part's element: "summary", "compare_method-b".
QString anchor(const ReviewPart& p) {
    return p.side == 0 ? p.id : p.id + "-" + QChar('a' + p.side);
}

QString html_where(const Review& review, const ReviewPart& part, const AnswerCitation& c) {
    if (c.page < 0) return esc(QString("chars %1–%2").arg(c.start).arg(c.end));
    const QString file = QFileInfo(review.documents.value(part.side).path).fileName();
    const QString href =
        QString::fromUtf8(QUrl::toPercentEncoding(file)) + QString("#page=%1").arg(c.page + 1);
    return QString("<a class=\"page\" href=\"%1\">p. %2</a>").arg(esc(href)).arg(c.page + 1);
}

QString html_part(const Review& review, const ReviewPart& p) {
    const QString id = anchor(p);
    QString html = QString("<section id=\"%1\">").arg(esc(id));
    if (review.comparison())
        html += QString("<h3>Paper %1: %2</h3>")
                    .arg(QChar('A' + p.side))
                    .arg(esc(review.documents.value(p.side).title));
    if (p.status != PartStatus::Done)
        html += QString("<p class=\"status\">%1%2</p>")
                    .arg(esc(status_name(p.status)), esc(p.error.isEmpty() ? "" : ": " + p.error));
    html += "<p>";
    for (const ReviewSentence& s : p.sentences) {
        html += esc(p.text.mid(s.start, s.end - s.start));
        for (int i : s.cites)
            html += QString("<sup><a href=\"#%1-c%2\">[%2]</a></sup>").arg(esc(id)).arg(i + 1);
        html += " ";
    }
    html += "</p>";
    if (!p.context.isEmpty()) html += "<p class=\"context\">Read: " + esc(p.context) + "</p>";
    if (!p.citations.isEmpty()) {
        html += "<ol class=\"sources\">";
        for (qsizetype i = 0; i < p.citations.size(); ++i) {
            const AnswerCitation& c = p.citations[i];
            html += QString("<li id=\"%1-c%2\">%3 · %4<blockquote>%5</blockquote></li>")
                        .arg(esc(id))
                        .arg(i + 1)
                        .arg(html_where(review, p, c), esc(without_page(c.label)),
                             esc(c.text.simplified().left(400)));
        }
        html += "</ol>";
    }
    return html + "</section>\n";
}

const char* kStyle =
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
    "sup a{text-decoration:none;color:#0072B2}"
    "blockquote{margin:.2em 0 .6em 1em;color:#444;border-left:3px solid #E69F00;padding-left:.6em}"
    ".context,.status{color:#666;font-size:90%}";

}  // namespace

QString review_html(const Review& review) {
    QStringList titles;
    for (const ReviewDocument& d : review.documents) titles << d.title;
    const QString heading =
        (review.comparison() ? "Comparison: " : "Review: ") + titles.join(" / ");
    QString html =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"UTF-8\"/><title>" +
        esc(heading) + "</title><style>" + kStyle + "</style></head><body>\n<h1>" + esc(heading) +
        "</h1><ul>";
    for (int i = 0; i < review.documents.size(); ++i)
        html += QString("<li>%1: %2 <code>%3</code></li>")
                    .arg(review.comparison() ? QString("Paper %1").arg(QChar('A' + i)) : "Paper")
                    .arg(esc(review.documents[i].title), esc(review.documents[i].path));
    html += "<li>Written by <code>" + esc(review.model) + "</code></li></ul>\n";
    QString last;
    for (const ReviewPart& p : review.parts) {
        if (p.id != last) html += "<h2>" + esc(p.title) + "</h2>\n";
        last = p.id;
        html += html_part(review, p);
    }
    return html + "</body></html>\n";
}

}  // namespace ll
