#include "attribution.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>

#include "passage_chunker.h"
#include "text_terms.h"

namespace ll {

namespace {

using Range = std::pair<qsizetype, qsizetype>;

// The short article (or amendment) containing `pos`, if any.
const OutlineNode* short_article_at(const Document& doc, qsizetype pos, qsizetype max_chars) {
    for (const OutlineNode& n : doc.outline) {
        const bool article = n.kind == StructureKind::Article || n.kind == StructureKind::Amendment;
        if (article && n.start <= pos && pos < n.end && n.end - n.start <= max_chars) return &n;
    }
    return nullptr;
}

// Index of the unit holding character `pos` (units sorted, non-overlapping); -1 if none.
int unit_of(const std::vector<Range>& units, qsizetype pos) {
    auto it = std::upper_bound(units.begin(), units.end(), pos,
                               [](qsizetype p, const Range& r) { return p < r.first; });
    if (it == units.begin()) return -1;
    --it;
    return pos < it->second ? static_cast<int>(it - units.begin()) : -1;
}

// IDF-weighted share of the answer's distinct terms that each unit contains.
std::vector<double> lexical_overlap(const Document& doc, const std::vector<Range>& units,
                                    QStringView answer) {
    std::vector<QSet<QString>> unit_terms;
    QHash<QString, int> df;
    for (const Range& u : units) {
        const QStringList t = terms_of(QStringView(doc.text).sliced(u.first, u.second - u.first));
        unit_terms.emplace_back(t.begin(), t.end());
        for (const QString& term : unit_terms.back()) ++df[term];
    }
    QStringList answer_terms = terms_of(answer);
    answer_terms.removeDuplicates();
    const double n = static_cast<double>(units.size());
    std::vector<double> out(units.size(), 0.0);
    for (const QString& term : answer_terms) {
        const int d = df.value(term);
        if (d == 0) continue;
        const double idf = std::log(1.0 + n / d);
        for (size_t i = 0; i < units.size(); ++i)
            if (unit_terms[i].contains(term)) out[i] += idf;
    }
    return out;
}

// The longest run of the answer's characters that occurs in `unit`, as a share of the
// answer's length (whitespace runs count as one space on both sides).
double verbatim_share(QStringView unit, const QString& answer) {
    const QString u = unit.toString().simplified();
    const qsizetype n = answer.size(), m = u.size();
    if (n == 0 || m == 0) return 0;
    std::vector<int> prev(static_cast<size_t>(m) + 1, 0), row(prev.size(), 0);
    int longest = 0;
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            row[j] = answer[i - 1] == u[j - 1] ? prev[j - 1] + 1 : 0;
            longest = std::max(longest, row[j]);
        }
        std::swap(prev, row);
    }
    return double(longest) / double(n);
}

bool has_word_character(const QString& text, const CharSpan& span) {
    for (qsizetype i = span.start; i < span.end; ++i)
        if (text[i].isLetterOrNumber() || text[i].isSurrogate()) return true;
    return false;
}

void normalise_to_max(std::vector<double>& v) {
    const double top = v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    if (top > 0)
        for (double& x : v) x /= top;
}

// Attention per unit: the sum of its kMostAttended word tokens' masses. A plain sum
// would favour long sentences, which collect a little from everywhere; a source shows as a
// few tokens the answer looked at hard.
std::vector<double> unit_attention(const Document& doc, const PromptTokens& prompt,
                                   const std::vector<double>& mass,
                                   const std::vector<Range>& units) {
    constexpr size_t kMostAttended = 4;
    std::vector<std::vector<double>> per_unit(units.size());
    for (size_t k = 0; k < mass.size(); ++k) {
        if (mass[k] <= 0 || prompt.spans[k].start < 0) continue;
        // Punctuation and spaces collect attention as resting places (sinks) whatever the
        // answer says; only words speak for a source.
        if (!has_word_character(doc.text, prompt.spans[k])) continue;
        const int u = unit_of(units, prompt.spans[k].start);
        if (u >= 0) per_unit[static_cast<size_t>(u)].push_back(mass[k]);
    }
    std::vector<double> out(units.size(), 0.0);
    for (size_t u = 0; u < units.size(); ++u) {
        auto& m = per_unit[u];
        const size_t n = std::min(kMostAttended, m.size());
        std::partial_sort(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(n), m.end(),
                          std::greater<>());
        for (size_t i = 0; i < n; ++i) out[u] += m[i];
    }
    return out;
}

// Calibrated attention per unit: the sum of its tokens' scores (the heads' weights were
// fitted on such sums, so no word filter or top-k here).
std::vector<double> unit_calibrated(const PromptTokens& prompt, const std::vector<double>& scores,
                                    const std::vector<Range>& units) {
    std::vector<double> out(units.size(), 0.0);
    for (size_t k = 0; k < scores.size() && k < prompt.spans.size(); ++k) {
        if (scores[k] <= 0) continue;
        // The same rule as calibration_run counted the fit's features with.
        const int u = unit_of_token(prompt.spans[k], units);
        if (u >= 0) out[static_cast<size_t>(u)] += scores[k];
    }
    return out;
}

// Words in a unit, a CJK character counting half.
double word_count(QStringView text) {
    double words = 0;
    bool in_word = false;
    for (const QChar c : text) {
        if (is_cjk(c.unicode()) || c.isHighSurrogate()) {
            words += 0.5;
            in_word = false;
        } else if (c.isLetterOrNumber()) {
            if (!in_word) words += 1;
            in_word = true;
        } else {
            in_word = false;
        }
    }
    return words;
}

// A heading line alone in the unit, of a node that has text after it ("CHAPTER XVII.",
// "第三章 监护"); an article whose one line is all its text is not bare.
bool bare_heading(const Document& doc, const Range& u) {
    const QString text = doc.text.mid(u.first, u.second - u.first).simplified();
    for (const OutlineNode& n : doc.outline) {
        if (n.start > u.first || u.first >= n.start + n.title.size() + 4) continue;
        if (n.title.simplified() != text) continue;
        const QString body = doc.text.mid(n.start, n.end - n.start).simplified();
        if (body.size() > text.size()) return true;
    }
    return false;
}

// The passages `question` puts in quotation marks, whitespace runs as one space.
QStringList question_quotes(QStringView question, qsizetype min_chars) {
    static const std::pair<QChar, QChar> marks[] = {
        {u'\u201C', u'\u201D'}, {u'"', u'"'}, {u'\u300C', u'\u300D'}, {u'\u300E', u'\u300F'}};
    QStringList out;
    for (const auto& [open, close] : marks) {
        for (qsizetype at = question.indexOf(open); at >= 0;) {
            const qsizetype end = question.indexOf(close, at + 1);
            if (end < 0) break;
            const QString quote = question.sliced(at + 1, end - at - 1).toString().simplified();
            if (quote.size() >= min_chars) out << quote;
            at = question.indexOf(open, end + 1);
        }
    }
    return out;
}

}  // namespace

std::vector<Range> citation_units(const Document& doc, const ContextPlan& plan,
                                  qsizetype max_article_chars) {
    std::vector<Range> units;
    for (const Passage& p : plan.passages) {
        for (const Range& s : sentence_ranges(doc.text, p.start, p.end)) {
            Range unit = s;
            if (const OutlineNode* a = short_article_at(doc, s.first, max_article_chars))
                unit = {std::max(a->start, p.start), std::min(a->end, p.end)};
            if (!units.empty() && units.back().second > unit.first) {
                units.back().second = std::max(units.back().second, unit.second);
                continue;  // the same article again
            }
            units.push_back(unit);
        }
    }
    // Trim merged articles' trailing blank lines.
    for (Range& u : units)
        while (u.second > u.first && doc.text[u.second - 1].isSpace()) --u.second;
    return units;
}

std::vector<double> document_attention(const PromptTokens& prompt,
                                       const AttentionCapture& capture) {
    const auto first = static_cast<size_t>(prompt.document_begin);
    const auto last = static_cast<size_t>(prompt.document_end);
    // Attention falls off with distance whatever the text says; what marks a source is
    // attention above what its distance alone earns. The baseline is the mean share at each
    // distance (quarter-octave bins) over all captured rows.
    auto bin = [](int64_t distance) {
        return static_cast<size_t>(4.0 * std::log2(double(std::max<int64_t>(1, distance))));
    };
    std::vector<std::vector<double>> shares;
    std::vector<double> sum(256, 0.0), count(256, 0.0);
    for (size_t r = 0; r < capture.rows.size(); ++r) {
        const std::vector<float>& row = capture.rows[r];
        const size_t end = std::min(last, row.size());
        double total = 0;
        for (size_t k = first; k < end; ++k) total += row[k];
        shares.emplace_back();
        if (total <= 0) continue;
        for (size_t k = first; k < end; ++k) {
            const double share = row[k] / total;
            shares.back().push_back(share);
            const size_t b = std::min<size_t>(255, bin(capture.positions[r] - int64_t(k)));
            sum[b] += share;
            count[b] += 1;
        }
    }
    std::vector<double> mass(prompt.ids.size(), 0.0);
    const double uniform = 1.0 / double(std::max<size_t>(1, last - first));
    for (size_t r = 0; r < shares.size(); ++r) {
        for (size_t i = 0; i < shares[r].size(); ++i) {
            const size_t k = first + i;
            const size_t b = std::min<size_t>(255, bin(capture.positions[r] - int64_t(k)));
            const double base = sum[b] / count[b];
            mass[k] += std::max(0.0, shares[r][i] - base) / (base + uniform);
        }
    }
    return mass;
}

std::vector<Citation> attribute(const Document& doc, const ContextPlan& plan,
                                const PromptTokens& prompt, const std::vector<double>& mass,
                                QStringView answer, const AttributionOptions& options,
                                QStringView question, const std::vector<double>* calibrated) {
    const std::vector<Range> units = citation_units(doc, plan, options.max_article_chars);
    if (units.empty()) return {};
    std::vector<double> attention = calibrated ? unit_calibrated(prompt, *calibrated, units)
                                               : unit_attention(doc, prompt, mass, units);
    std::vector<double> lexical = lexical_overlap(doc, units, answer);
    std::vector<double> asked = options.question_weight > 0 && !question.isEmpty()
                                    ? lexical_overlap(doc, units, question)
                                    : std::vector<double>(units.size(), 0.0);
    normalise_to_max(attention);
    normalise_to_max(lexical);
    normalise_to_max(asked);

    // An answer that copies a passage (a quoted article, a code, a date) was taken from it,
    // whatever a small model's diffuse attention says: such a unit ranks above the rest.
    const QString copied = answer.toString().simplified();
    const bool can_quote = copied.size() >= options.min_quote_chars;

    std::vector<Citation> out;
    QSet<qsizetype> named;  // starts of the units the question names
    const QStringList quotes = options.question_quotes_name
                                   ? question_quotes(question, options.min_quote_chars)
                                   : QStringList();
    for (size_t i = 0; i < units.size(); ++i) {
        Citation c = cite(doc, units[i].first, units[i].second);
        c.attention = attention[i];
        c.lexical = lexical[i];
        c.score = options.attention_weight * c.attention +
                  (1 - options.attention_weight) * c.lexical + options.question_weight * asked[i];
        if (can_quote && c.lexical > 0) {
            const QStringView text = QStringView(doc.text).sliced(c.start, c.end - c.start);
            c.verbatim = verbatim_share(text, copied);
            if (c.verbatim >= options.quote_share) c.score += c.verbatim;
        }
        // A heading or a few words are no source on their own, unless quoted.
        if (options.min_unit_words > 0 && c.verbatim < options.quote_share &&
            (word_count(QStringView(doc.text).sliced(c.start, c.end - c.start)) <
                 options.min_unit_words ||
             bare_heading(doc, units[i])))
            continue;
        // A unit the question names by number ("第十二条", "Section 3.1") is what the answer
        // is about: it ranks with quoted units, above what only drew attention.
        const bool quoted_by_question =
            !quotes.isEmpty() && std::any_of(quotes.begin(), quotes.end(), [&](const QString& q) {
                return QStringView(doc.text)
                    .sliced(c.start, c.end - c.start)
                    .toString()
                    .simplified()
                    .contains(q);
            });
        if (quoted_by_question ||
            std::any_of(plan.named.begin(), plan.named.end(),
                        [&](const NamedUnit& u) { return u.start < c.end && c.start < u.end; })) {
            c.score += 1.0;
            named.insert(c.start);
        }
        if (c.score > 0) out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Citation& a, const Citation& b) { return a.score > b.score; });
    // When the answer is a quote, the passages it was copied from are its sources; units
    // that merely drew attention would only be noise beside them.
    const bool quoted = !out.empty() && out.front().verbatim >= options.quote_share;
    const double floor = out.empty() ? 0.0 : quoted ? 1.0 : out.front().score * options.min_score;
    // A quoted answer keeps its quoted units (and a unit the question names), not what the
    // question or attention alone point at.
    std::erase_if(out, [&](const Citation& c) {
        return c.score < floor ||
               (quoted && c.verbatim < options.quote_share && !named.contains(c.start));
    });
    if (out.size() > static_cast<size_t>(options.max_citations))
        out.resize(static_cast<size_t>(options.max_citations));
    return out;
}

}  // namespace ll
