#include "comparison_markdown.h"

#include <QStringList>

#include "agreement.h"
#include "answer_diff.h"

namespace ll {
namespace {

// Table cells and inline text: a '|' or a newline would break the row.
QString cell(QString s) {
    return s.replace('|', "\\|").replace('\n', ' ').simplified();
}

QString spec_of(const RunConfig& config) {
    const QString text = config.to_text();
    return text.isEmpty() ? QStringLiteral("(defaults)") : text;
}

QString mib(qint64 bytes) {
    return bytes > 0 ? QString::number(double(bytes) / (1 << 20), 'f', 1) + " MiB" : "–";
}

QString fixed(double v, int digits = 2) {
    return QString::number(v, 'f', digits);
}

QString citation_line(int n, const Citation& c) {
    const QString where = c.page >= 0 ? QStringLiteral("p. %1").arg(c.page + 1)
                                      : QStringLiteral("chars %1–%2").arg(c.start).arg(c.end);
    return QStringLiteral("%1. %2 (score %3): “%4”")
        .arg(n)
        .arg(where, fixed(c.score), cell(c.text.left(300)));
}

}  // namespace

QString comparison_markdown(const Comparison& c) {
    QStringList md;
    md << "# Comparison: " + cell(c.question) << "";
    md << "Document: `" + c.document_path + "`  " << "Fingerprint: `" + c.fingerprint.left(16) + "`  ";
    md << QStringLiteral("Answer limit: %1 tokens").arg(c.max_answer_tokens) << "";
    const auto result = [&](size_t i) {
        return i < c.results.size() ? c.results[i] : RunResult{};
    };
    for (size_t i = 0; i < c.runs.size(); ++i) {
        const RunResult r = result(i);
        md << QStringLiteral("## Run %1: `%2`").arg(i + 1).arg(spec_of(c.runs[i])) << "";
        if (r.status != RunStatus::Done) md << "**" + status_name(r.status) + "**: " + r.error << "";
        if (!r.answer.isEmpty()) md << "> " + cell(r.answer) << "";
        if (!r.citations.empty()) {
            md << "Citations:" << "";
            int n = 0;
            for (const Citation& cit : r.citations) md << citation_line(++n, cit);
            md << "";
        }
    }
    // The numbers, one column per run.
    QStringList header{QString()}, rule{"---"};
    for (size_t i = 0; i < c.runs.size(); ++i) {
        header << QStringLiteral("Run %1").arg(i + 1);
        rule << "---:";
    }
    md << "## Numbers" << "" << "| " + header.join(" | ") + " |" << "| " + rule.join(" | ") + " |";
    const auto row = [&](const QString& name, auto value) {
        QStringList cells{name};
        for (size_t i = 0; i < c.runs.size(); ++i) cells << cell(value(result(i)));
        md << "| " + cells.join(" | ") + " |";
    };
    row("status", [](const RunResult& r) { return status_name(r.status); });
    row("scaling in force", [](const RunResult& r) { return r.scaling_in_force; });
    row("context", [](const RunResult& r) { return plan_summary(r.plan); });
    row("prefill tok/s", [](const RunResult& r) { return fixed(r.timing.prefill_tok_s, 1); });
    row("decode tok/s", [](const RunResult& r) { return fixed(r.timing.decode_tok_s, 1); });
    row("first token (s)", [](const RunResult& r) { return fixed(r.timing.first_token_s); });
    row("model load (s)", [](const RunResult& r) {
        return r.timing.model_kept ? QStringLiteral("kept") : fixed(r.timing.load_s);
    });
    row("document cache", [](const RunResult& r) { return cache_use_name(r.timing.answer.cache); });
    row("memory estimate", [](const RunResult& r) { return mib(r.timing.memory_estimate_bytes); });
    row("process peak RSS", [](const RunResult& r) { return mib(r.timing.peak_rss_bytes); });
    md << "";
    if (c.runs.size() > 1 && result(0).status == RunStatus::Done) {
        md << "## Differences from run 1" << "";
        for (size_t i = 1; i < c.runs.size(); ++i)
            if (result(i).status == RunStatus::Done)
                md << QStringLiteral("- Run %1: %2")
                          .arg(i + 1)
                          .arg(cell(diff_text(diff_answers(result(0).answer, result(i).answer))));
        md << "";
    }
    std::vector<std::vector<Citation>> cited;
    for (size_t i = 0; i < c.runs.size(); ++i)
        cited.push_back(result(i).status == RunStatus::Done ? result(i).citations
                                                            : std::vector<Citation>{});
    const Agreement agreement = agree(cited);
    md << "## Agreement" << "" << agreement_summary(agreement) << "";
    for (const AgreedPassage& p : agreement.passages) {
        QStringList runs;
        for (int r : p.runs) runs << QString::number(r + 1);
        md << QStringLiteral("- chars %1–%2: runs %3").arg(p.start).arg(p.end).arg(runs.join(", "));
    }
    md << "";
    return md.join('\n');
}

}  // namespace ll
