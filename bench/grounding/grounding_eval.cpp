#include "grounding_eval.h"

#include "qa/calibration_file.h"

#include <QJsonArray>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "qa/calibration_file.h"
#include "qa/context_plan.h"

namespace llbench::grounding {

namespace {

bool overlaps(qsizetype s, qsizetype e, const std::vector<GoldSpan>& gold) {
    return std::any_of(gold.begin(), gold.end(),
                       [&](const GoldSpan& g) { return s < g.end && g.start < e; });
}

// Where `pos` sits in the planned context: its relative position by characters of the
// passages (in the order the model reads them) and the passage's index; {-1, -1} outside.
std::pair<double, int> context_position(const ll::ContextPlan& plan, qsizetype pos) {
    qsizetype total = 0;
    for (const ll::Passage& p : plan.passages) total += p.end - p.start;
    qsizetype before = 0;
    for (size_t i = 0; i < plan.passages.size(); ++i) {
        const ll::Passage& p = plan.passages[i];
        if (p.start <= pos && pos < p.end)
            return {double(before + pos - p.start) / double(std::max<qsizetype>(1, total)), int(i)};
        before += p.end - p.start;
    }
    return {-1.0, -1};
}

QString folded(const QString& s) {
    return s.simplified().toLower();
}

int bin_of(double position) {
    return std::clamp(int(position * kPositionBins), 0, kPositionBins - 1);
}

double share(double count, int n) {
    return n > 0 ? count / n : 0.0;
}

}  // namespace

Outcome evaluate(ll::DocumentAnswerer& answerer, const Case& c, const EvalOptions& options) {
    Outcome o;
    o.id = c.id;
    o.question = c.question;
    ll::AnswerOptions ask;
    ask.mode = options.mode;
    ask.max_answer_tokens = options.max_answer_tokens;
    ask.attribution = options.attribution;
    ask.forced_answer = options.forced_answer;
    const auto t0 = std::chrono::steady_clock::now();
    const ll::Answer a = answerer.ask(c.question, ask);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    o.answer = a.text;
    o.mode = a.plan.mode;
    o.context_passages = int(a.plan.passages.size());
    o.context_tokens = a.plan.tokens;

    o.thin = !a.plan.thin.isEmpty();
    o.thin_reason = a.plan.thin;
    o.match = a.plan.match;
    const std::vector<ll::PassageHit> ranking =
        ll::rank_passages(answerer.index(), c.question).hits;
    for (int k : options.ks) {
        bool hit = false;
        for (size_t i = 0; i < ranking.size() && i < size_t(k) && !hit; ++i) {
            const ll::Passage& p = answerer.index().passages()[size_t(ranking[i].passage)];
            hit = overlaps(p.start, p.end, c.gold);
        }
        o.recall[k] = hit;
    }
    for (const ll::Passage& p : a.plan.passages) o.in_context |= overlaps(p.start, p.end, c.gold);

    o.citations = int(a.citations.size());
    for (size_t i = 0; i < a.citations.size(); ++i) {
        const bool on = overlaps(a.citations[i].start, a.citations[i].end, c.gold);
        o.citations_on_gold += on;
        if (on && i == 0) o.top1 = true;
        if (on && i < 3) o.top3 = true;
    }
    if (!c.answer.isEmpty()) o.judged = folded(a.text).contains(folded(c.answer)) ? 1 : 0;
    if (!a.citations.empty()) {
        std::tie(o.top_position, o.top_passage) = context_position(a.plan, a.citations[0].start);
        o.top_label = a.citations[0].text.simplified().left(40);
    }
    for (const GoldSpan& g : c.gold) {
        // The gold span's first character in the context (a span may start before a passage).
        for (const ll::Passage& p : a.plan.passages) {
            if (!(g.start < p.end && p.start < g.end)) continue;
            std::tie(o.gold_position, o.gold_passage) =
                context_position(a.plan, std::max(g.start, p.start));
            break;
        }
        if (o.gold_passage >= 0) break;
    }
    return o;
}

ll::AttributionOptions parse_attribution(const QString& spec, const QString& model_path) {
    ll::AttributionOptions a;
    for (const QString& part : spec.split(',', Qt::SkipEmptyParts)) {
        const QString key = part.section('=', 0, 0).trimmed();
        if (key == "cal") {
            a.calibration = load_calibration_or_throw(part.section('=', 1).trimmed(), model_path);
            continue;
        }
        bool ok = false;
        const double v = part.section('=', 1).toDouble(&ok);
        if (!ok) throw std::runtime_error("bad attribution setting: " + part.toStdString());
        if (key == "qw")
            a.question_weight = v;
        else if (key == "words")
            a.min_unit_words = int(v);
        else if (key == "aw")
            a.attention_weight = v;
        else if (key == "qq")
            a.question_quotes_name = v != 0;
        else
            throw std::runtime_error("unknown attribution setting: " + key.toStdString());
    }
    return a;
}

std::shared_ptr<const ll::AttributionCalibration> load_calibration_or_throw(
    const QString& file, const QString& model_path) {
    const ll::CalibrationLoad load = ll::load_calibration(file, model_path);
    if (!load.calibration)
        throw std::runtime_error(
            (load.problem.isEmpty() ? file + ": no such calibration file" : load.problem)
                .toStdString());
    return load.calibration;
}

Summary summarise(const std::vector<Outcome>& outcomes) {
    Summary s;
    s.n = int(outcomes.size());
    s.top_histogram.assign(kPositionBins, 0);
    s.gold_histogram.assign(kPositionBins, 0);
    double seconds = 0;
    int on_gold = 0;
    int contains = 0;
    for (const Outcome& o : outcomes) {
        for (const auto& [k, hit] : o.recall) s.recall[k] += hit;
        s.in_context += o.in_context;
        s.top1 += o.top1;
        s.top3 += o.top3;
        s.citations += o.citations;
        on_gold += o.citations_on_gold;
        s.thin += o.thin;
        if (o.judged >= 0) {
            ++s.judged;
            contains += o.judged;
        }
        seconds += o.seconds;
        if (o.mode == ll::ContextMode::Retrieve) ++s.retrieved;
        if (o.top_position >= 0) ++s.top_histogram[size_t(bin_of(o.top_position))];
        if (o.gold_position >= 0) ++s.gold_histogram[size_t(bin_of(o.gold_position))];
        if (o.mode == ll::ContextMode::Retrieve && o.context_passages > 2) {
            ++s.multi_passage;
            s.top_first_two += o.top_passage >= 0 && o.top_passage < 2;
            s.gold_first_two += o.gold_passage >= 0 && o.gold_passage < 2;
        }
    }
    for (auto& [k, v] : s.recall) v = share(v, s.n);
    s.in_context = share(s.in_context, s.n);
    s.top1 = share(s.top1, s.n);
    s.top3 = share(s.top3, s.n);
    s.precision = share(on_gold, s.citations);
    s.answer_contains = share(contains, s.judged);
    s.seconds_per_question = share(seconds, s.n);
    return s;
}

QJsonObject to_json(const Outcome& o) {
    QJsonObject recall;
    for (const auto& [k, hit] : o.recall) recall[QString::number(k)] = hit;
    QJsonObject j{{"id", o.id},
                  {"question", o.question},
                  {"answer", o.answer},
                  {"mode", ll::mode_name(o.mode)},
                  {"context_passages", o.context_passages},
                  {"context_tokens", o.context_tokens},
                  {"thin", o.thin},
                  {"thin_reason", o.thin_reason},
                  {"match", o.match},
                  {"recall", recall},
                  {"in_context", o.in_context},
                  {"citations", o.citations},
                  {"citations_on_gold", o.citations_on_gold},
                  {"top1", o.top1},
                  {"top3", o.top3},
                  {"seconds", o.seconds},
                  {"top_position", o.top_position},
                  {"gold_position", o.gold_position},
                  {"top_passage", o.top_passage},
                  {"gold_passage", o.gold_passage},
                  {"top_citation", o.top_label}};
    j["answer_contains_gold"] = o.judged < 0 ? QJsonValue() : QJsonValue(o.judged == 1);
    return j;
}

QJsonObject to_json(const Summary& s) {
    QJsonObject recall;
    for (const auto& [k, v] : s.recall) recall[QString::number(k)] = v;
    auto histogram = [](const std::vector<int>& h) {
        QJsonArray a;
        for (int v : h) a.append(v);
        return a;
    };
    QJsonObject j{{"n", s.n},
                  {"recall_at", recall},
                  {"in_context", s.in_context},
                  {"top1_hit", s.top1},
                  {"top3_hit", s.top3},
                  {"citations", s.citations},
                  {"citation_precision", s.precision},
                  {"answer_judged", s.judged},
                  {"seconds_per_question", s.seconds_per_question},
                  {"retrieve_mode", s.retrieved},
                  {"thin_context", s.thin},
                  {"top_citation_position_histogram", histogram(s.top_histogram)},
                  {"gold_position_histogram", histogram(s.gold_histogram)},
                  {"multi_passage", s.multi_passage},
                  {"top_citation_in_first_two_passages", s.top_first_two},
                  {"gold_in_first_two_passages", s.gold_first_two}};
    j["answer_contains_gold"] = s.judged > 0 ? QJsonValue(s.answer_contains) : QJsonValue();
    return j;
}

QString table(const QString& title, const Summary& s) {
    auto pct = [](double v) { return QStringLiteral("%1 %").arg(100.0 * v, 0, 'f', 0); };
    QString out = title + QStringLiteral("\n  questions %1 (%2 retrieved, %3 thin)\n")
                              .arg(s.n)
                              .arg(s.retrieved)
                              .arg(s.thin);
    out += QStringLiteral("  recall@k   ");
    for (const auto& [k, v] : s.recall) out += QStringLiteral(" @%1 %2").arg(k).arg(pct(v));
    out += QStringLiteral("   in context %1\n").arg(pct(s.in_context));
    out += QStringLiteral("  citations   top-1 %1   top-3 %2   precision %3 (%4 citations)\n")
               .arg(pct(s.top1), pct(s.top3), pct(s.precision))
               .arg(s.citations);
    out += QStringLiteral("  answer contains gold %1 (%2 judged)   %3 s per question\n")
               .arg(s.judged > 0 ? pct(s.answer_contains) : QStringLiteral("-"))
               .arg(s.judged)
               .arg(s.seconds_per_question, 0, 'f', 2);
    auto bins = [](const std::vector<int>& h) {
        QStringList cells;
        for (int v : h) cells << QString::number(v).rightJustified(3);
        return cells.join(' ');
    };
    out += QStringLiteral("  position in context (%1 bins, start -> end)\n").arg(kPositionBins);
    out += QStringLiteral("    top citation %1\n").arg(bins(s.top_histogram));
    out += QStringLiteral("    gold span    %1\n").arg(bins(s.gold_histogram));
    out += QStringLiteral(
               "  first or second passage (of %1 multi-passage contexts): top citation "
               "%2, gold %3\n")
               .arg(s.multi_passage)
               .arg(s.top_first_two)
               .arg(s.gold_first_two);
    return out;
}

}  // namespace llbench::grounding
