#include "review.h"

#include <QRegularExpression>

#include <algorithm>

namespace ll {

QString status_name(PartStatus status) {
    switch (status) {
        case PartStatus::Pending:
            return "pending";
        case PartStatus::Running:
            return "running";
        case PartStatus::Done:
            return "done";
        case PartStatus::Cancelled:
            return "cancelled";
        case PartStatus::Failed:
            return "failed";
    }
    return "pending";
}

PartStatus status_from_name(const QString& name) {
    for (PartStatus s :
         {PartStatus::Running, PartStatus::Done, PartStatus::Cancelled, PartStatus::Failed})
        if (status_name(s) == name) return s;
    return PartStatus::Pending;
}

bool looks_like_a_paper(const PaperStructure& paper) {
    if (!paper.is_paper) return false;
    const auto sections = std::count_if(paper.sections.begin(), paper.sections.end(),
                                        [](const PaperSection& s) { return s.kind == "section"; });
    return sections >= 2 && (!paper.abstract.empty() || !paper.references.isEmpty());
}

ReviewPart* Review::find(const QString& id, int side) {
    for (ReviewPart& p : parts)
        if (p.id == id && p.side == side) return &p;
    return nullptr;
}

const ReviewPart* Review::find(const QString& id, int side) const {
    return const_cast<Review*>(this)->find(id, side);
}

QList<ReviewSentence> split_sentences(const QString& text) {
    static const QRegularExpression end(QStringLiteral("[.!?](?=\\s|$)|[。！？]"));
    QList<ReviewSentence> out;
    qsizetype from = 0;
    auto add = [&](qsizetype a, qsizetype b) {
        while (a < b && text[a].isSpace()) ++a;
        while (b > a && text[b - 1].isSpace()) --b;
        if (b > a) out << ReviewSentence{a, b, {}};
    };
    for (auto it = end.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        add(from, m.capturedEnd());
        from = m.capturedEnd();
    }
    add(from, text.size());
    return out;
}

}  // namespace ll
