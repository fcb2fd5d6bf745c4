#include "attention_report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

#include "diagnostics/attention_chart.h"
#include "qa/answer.h"

namespace ll {

namespace {

// The first character of each page (pages with no characters start where the next does).
std::vector<qsizetype> page_starts(const Document& doc) {
    std::vector<qsizetype> starts(static_cast<size_t>(std::max(0, doc.page_count)), -1);
    for (qsizetype i = 0; i < doc.boxes.size(); ++i) {
        const int page = doc.boxes[i].page;
        if (page >= 0 && page < doc.page_count && starts[page] < 0) starts[page] = i;
    }
    qsizetype next = doc.text.size();
    for (size_t p = starts.size(); p-- > 0;) {
        if (starts[p] < 0) starts[p] = next;
        next = starts[p];
    }
    return starts;
}

QJsonArray numbers(const std::vector<double>& v) {
    QJsonArray a;
    for (double x : v) a.append(x);
    return a;
}

QString passage_label(const Document& doc, const Passage& p) {
    if (doc.page_count > 0) return QObject::tr("p. %1").arg(doc.page_label(doc.page_of(p.start)));
    QString words = doc.text.mid(p.start, 40).simplified();
    const qsizetype cut = words.lastIndexOf(' ', 18);
    return "«" + words.left(cut > 6 ? cut : 18) + "…»";
}

}  // namespace

struct AttentionReport::Data {
    QString question;
    AttentionAlong along;
    std::vector<Citation> citations;
    std::vector<qsizetype> page_starts;
    std::vector<double> conversation;
    int answers = 0;
    TokenMap tokens;
};

AttentionReport::AttentionReport(const Document& doc, const Answer& answer, const QString& question,
                                 const std::vector<double>& conversation, int answers)
    : d_(std::make_unique<Data>()) {
    d_->question = question;
    d_->along = answer.attention;
    d_->citations = answer.citations;
    d_->page_starts = page_starts(doc);
    d_->conversation = conversation;
    d_->answers = answers;
    const AttentionTokens& t = answer.attention.tokens;
    TokenMap& m = d_->tokens;
    m.title = QObject::tr("Each answer token's attention on the passages it looked at most");
    for (const QString& piece : t.tokens) m.rows << (piece.isEmpty() ? QString("·") : piece);
    for (const Passage& p : t.passages) {
        m.columns << passage_label(doc, p);
        m.column_tips
            << doc.text.mid(p.start, std::min<qsizetype>(p.end - p.start, 160)).simplified();
        m.column_starts << p.start;
    }
    for (double w : t.weights) {
        m.values << w;
        m.max = std::max(m.max, w);
    }
}

AttentionReport::~AttentionReport() = default;

QString AttentionReport::question() const {
    return d_->question;
}

QList<int> AttentionReport::layers() const {
    return QList<int>(d_->along.layers.begin(), d_->along.layers.end());
}

int AttentionReport::heads() const {
    return d_->along.n_heads;
}

Chart AttentionReport::along(int layer, int head) const {
    return attention_chart(d_->along, d_->citations,
                           QObject::tr("Where the answer to “%1” looked").arg(d_->question), layer,
                           head);
}

Chart AttentionReport::by_depth(int layer, int head) const {
    // The conversation's mean is over all layers and heads: shown with that selection only.
    const bool all = layer < 0 && head < 0;
    return depth_chart(d_->along, QObject::tr("By depth in the prompt"), layer, head,
                       all ? d_->conversation : std::vector<double>{}, all ? d_->answers : 0);
}

AttentionStrip AttentionReport::strip(int layer, int head) const {
    const AttentionAlong& a = d_->along;
    const AttentionProfile p = a.selected(layer, head);
    AttentionStrip s;
    s.document_chars = a.document_chars;
    s.pages = !p.by_page.empty();
    const std::vector<double>& v = s.pages ? p.by_page : p.raw;
    const double max = v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    for (size_t i = 0; i < v.size(); ++i) {
        s.starts << (s.pages ? d_->page_starts[i] : qsizetype(i) * a.bin_chars());
        s.values << (max > 0 ? v[i] / max : 0.0);
    }
    for (const Citation& c : d_->citations) s.cited << c.start;
    return s;
}

TokenMap AttentionReport::tokens() const {
    return d_->tokens;
}

QString AttentionReport::summary(int layer, int head) const {
    const AttentionProfile p = d_->along.selected(layer, head);
    return QObject::tr("%1 answer tokens; %2 % of their attention on the document (%3)")
        .arg(d_->along.answer_rows)
        .arg(100.0 * p.document_share, 0, 'f', 1)
        .arg(selection_name(d_->along, layer, head));
}

qsizetype AttentionReport::offset_at(double x) const {
    if (d_->page_starts.empty())
        return std::clamp<qsizetype>(qsizetype(x), 0, d_->along.document_chars);
    const auto page =
        std::clamp<qsizetype>(qsizetype(x + 0.5) - 1, 0, qsizetype(d_->page_starts.size()) - 1);
    return d_->page_starts[static_cast<size_t>(page)];
}

QByteArray AttentionReport::json(int layer, int head) const {
    const AttentionAlong& a = d_->along;
    const AttentionProfile p = a.selected(layer, head);
    QJsonObject o{{"question", d_->question},
                  {"selection", selection_name(a, layer, head)},
                  {"document_chars", a.document_chars},
                  {"bins", a.bins},
                  {"answer_rows", static_cast<double>(a.answer_rows)},
                  {"document_share", p.document_share},
                  {"raw", numbers(p.raw)},
                  {"by_depth", numbers(p.by_depth)}};
    if (!p.by_page.empty()) o["by_page"] = numbers(p.by_page);
    if (layer < 0 && head < 0) o["excess"] = numbers(a.excess);
    return QJsonDocument(o).toJson();
}

}  // namespace ll
