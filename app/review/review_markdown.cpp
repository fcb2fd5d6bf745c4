#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include "review_export.h"

namespace ll {

namespace {

// "p. 4" linked to the PDF's page (paper.pdf#page=4); text documents: the character range.
QString md_where(const Review& review, const ReviewPart& part, const AnswerCitation& c) {
    if (c.page < 0) return QString("chars %1–%2").arg(c.start).arg(c.end);
    const QString file = QFileInfo(review.documents.value(part.side).path).fileName();
    return QString("[p. %1](%2#page=%1)")
        .arg(c.page + 1)
        .arg(QString::fromUtf8(QUrl::toPercentEncoding(file)));
}

QString md_part(const Review& review, const ReviewPart& p) {
    QString md;
    if (p.status != PartStatus::Done)
        md += QString("*%1%2*\n\n")
                  .arg(status_name(p.status), p.error.isEmpty() ? "" : ": " + p.error);
    QStringList sentences;
    for (const ReviewSentence& s : p.sentences) {
        QString t = p.text.mid(s.start, s.end - s.start);
        for (int i : s.cites) t += QString(" [%1]").arg(i + 1);
        sentences << t;
    }
    if (!sentences.isEmpty()) md += sentences.join(' ') + "\n\n";
    if (!p.context.isEmpty()) md += "*Read: " + p.context + "*\n\n";
    for (qsizetype i = 0; i < p.citations.size(); ++i) {
        const AnswerCitation& c = p.citations[i];
        md +=
            QString("%1. %2 · %3\n   > “%4”\n")
                .arg(i + 1)
                .arg(md_where(review, p, c), without_page(c.label), c.text.simplified().left(400));
    }
    return md + (p.citations.isEmpty() ? "" : "\n");
}

}  // namespace

// The chip's label without its page ("¶ 3 of § 2 · p. 5" → "¶ 3 of § 2"): the anchor says it.
QString without_page(QString label) {
    static const QRegularExpression page(QStringLiteral("( · )?p\\. \\d+$"));
    label.remove(page);
    return label.isEmpty() ? QStringLiteral("page") : label;
}

QString review_markdown(const Review& review) {
    QString md;
    if (review.comparison()) {
        md += "# Comparison: " + review.documents[0].title + " / " + review.documents[1].title +
              "\n\n";
        for (int i = 0; i < review.documents.size(); ++i)
            md += QString("- Paper %1: %2 (`%3`)\n")
                      .arg(QChar('A' + i))
                      .arg(review.documents[i].title, review.documents[i].path);
    } else {
        const ReviewDocument d = review.documents.value(0);
        md += "# Review: " + d.title + "\n\n- Paper: `" + d.path + "`\n";
    }
    md += "- Written by: `" + review.model + "` (LongLens; every sentence cites the paper)\n\n";
    QString last;
    for (const ReviewPart& p : review.parts) {
        if (p.id != last) md += "## " + p.title + "\n\n";
        last = p.id;
        if (review.comparison())
            md += QString("### Paper %1: %2\n\n")
                      .arg(QChar('A' + p.side))
                      .arg(review.documents.value(p.side).title);
        md += md_part(review, p);
    }
    return md;
}

}  // namespace ll
