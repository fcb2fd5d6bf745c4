#include "comparison_html.h"

#include <QStringList>

#include "agreement.h"
#include "answer_diff.h"

namespace ll {
namespace {

// The GUI's run colours (colour-blind-safe, Okabe-Ito), so an export reads like the view.
const char* const kRunColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7"};

QString esc(const QString& s) {
    return s.toHtmlEscaped();
}

QString fixed(double v, int digits = 2) {
    return QString::number(v, 'f', digits);
}

QString mib(qint64 bytes) {
    return bytes > 0 ? QString::number(double(bytes) / (1 << 20), 'f', 1) + " MiB" : "–";
}

QString citations_html(const RunResult& r) {
    if (r.citations.empty()) return {};
    QString html = "<ol class=cites>";
    for (const Citation& c : r.citations) {
        const QString where = c.page >= 0 ? QString("p. %1").arg(c.page + 1)
                                          : QString("chars %1–%2").arg(c.start).arg(c.end);
        html += QString("<li><span class=where>%1</span> “%2”</li>")
                    .arg(esc(where), esc(c.text.left(400).simplified()));
    }
    return html + "</ol>";
}

QString diff_html(const QString& first, const QString& second) {
    QString html;
    for (const DiffPiece& p : diff_answers(first, second)) {
        const char* tag = p.kind == DiffPiece::Kind::Same      ? "span"
                          : p.kind == DiffPiece::Kind::Removed ? "del"
                                                                : "ins";
        html += QString("<%1>%2</%1> ").arg(tag, esc(p.text));
    }
    return html.trimmed();
}

}  // namespace

QString comparison_html(const Comparison& c) {
    const auto result = [&](size_t i) { return i < c.results.size() ? c.results[i] : RunResult{}; };
    QStringList h;
    h << "<!DOCTYPE html><html><head><meta charset=utf-8>"
      << "<title>Comparison: " + esc(c.question) + "</title><style>"
      << "body{font-family:sans-serif;margin:2em;line-height:1.4}"
         "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.5em;"
         "vertical-align:top;text-align:left}th{background:#f4f4f4}"
         ".spec{font-family:monospace;font-size:90%}.where{color:#666}"
         "del{color:#c0392b}ins{color:#1e8449}.failed{color:#c0392b}ol.cites{padding-left:1.2em}"
      << "</style></head><body>";
    h << "<h1>" + esc(c.question) + "</h1>";
    h << QString("<p>Document: <code>%1</code> · answer limit %2 tokens · %3</p>")
             .arg(esc(c.document_path))
             .arg(c.max_answer_tokens)
             .arg(esc(c.created.toString(Qt::ISODate)));
    h << "<table><tr><th></th>";
    for (size_t i = 0; i < c.runs.size(); ++i) {
        const QString spec = c.runs[i].to_text();
        h << QString("<th style='border-top:4px solid %1'>Run %2<div class=spec>%3</div></th>")
                 .arg(kRunColours[i % 4])
                 .arg(i + 1)
                 .arg(esc(spec.isEmpty() ? QStringLiteral("(defaults)") : spec));
    }
    h << "</tr><tr><th>Answer</th>";
    for (size_t i = 0; i < c.runs.size(); ++i) {
        const RunResult r = result(i);
        QString cellhtml = esc(r.answer).replace('\n', "<br>");
        if (r.status != RunStatus::Done)
            cellhtml = QString("<p class=failed>%1: %2</p>")
                           .arg(esc(status_name(r.status)), esc(r.error)) + cellhtml;
        h << "<td>" + cellhtml + citations_html(r) + "</td>";
    }
    h << "</tr>";
    const auto row = [&](const QString& name, auto value) {
        h << "<tr><th>" + esc(name) + "</th>";
        for (size_t i = 0; i < c.runs.size(); ++i) h << "<td>" + esc(value(result(i))) + "</td>";
        h << "</tr>";
    };
    row("Scaling in force", [](const RunResult& r) { return r.scaling_in_force; });
    row("Context", [](const RunResult& r) { return plan_summary(r.plan); });
    row("Prefill tok/s", [](const RunResult& r) { return fixed(r.timing.prefill_tok_s, 1); });
    row("Decode tok/s", [](const RunResult& r) { return fixed(r.timing.decode_tok_s, 1); });
    row("First token (s)", [](const RunResult& r) { return fixed(r.timing.first_token_s); });
    row("Model load (s)", [](const RunResult& r) {
        return r.timing.model_kept ? QStringLiteral("kept") : fixed(r.timing.load_s);
    });
    row("Document cache", [](const RunResult& r) { return cache_use_name(r.timing.answer.cache); });
    row("Memory estimate", [](const RunResult& r) { return mib(r.timing.memory_estimate_bytes); });
    row("Process peak RSS", [](const RunResult& r) { return mib(r.timing.peak_rss_bytes); });
    h << "</table>";
    if (c.runs.size() > 1 && result(0).status == RunStatus::Done) {
        h << "<h2>Differences from run 1</h2><ul>";
        for (size_t i = 1; i < c.runs.size(); ++i)
            if (result(i).status == RunStatus::Done)
                h << QString("<li>Run %1: %2</li>")
                         .arg(i + 1)
                         .arg(diff_html(result(0).answer, result(i).answer));
        h << "</ul>";
    }
    std::vector<std::vector<Citation>> cited;
    for (size_t i = 0; i < c.runs.size(); ++i)
        cited.push_back(result(i).status == RunStatus::Done ? result(i).citations
                                                            : std::vector<Citation>{});
    h << "<h2>Agreement</h2><p>" + esc(agreement_summary(agree(cited))) + "</p>";
    h << "</body></html>";
    return h.join('\n');
}

}  // namespace ll
