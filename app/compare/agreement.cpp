#include "agreement.h"

#include <QJsonArray>

#include <algorithm>
#include <tuple>

namespace ll {

Agreement agree(const std::vector<std::vector<Citation>>& cited) {
    Agreement a;
    a.runs = static_cast<int>(cited.size());
    std::vector<std::tuple<qsizetype, qsizetype, int>> spans;
    for (int run = 0; run < a.runs; ++run)
        for (const Citation& c : cited[run])
            if (c.end > c.start) spans.emplace_back(c.start, c.end, run);
    std::sort(spans.begin(), spans.end());
    // A sweep in document order: a span that starts before the current passage ends joins it.
    for (const auto& [start, end, run] : spans) {
        if (a.passages.empty() || start >= a.passages.back().end)
            a.passages.push_back({start, end, {}});
        AgreedPassage& p = a.passages.back();
        p.end = std::max(p.end, end);
        if (std::find(p.runs.begin(), p.runs.end(), run) == p.runs.end()) p.runs.push_back(run);
    }
    for (AgreedPassage& p : a.passages) std::sort(p.runs.begin(), p.runs.end());
    a.shared.assign(a.runs, std::vector<double>(a.runs, -1.0));
    for (int i = 0; i < a.runs; ++i)
        for (int j = 0; j < a.runs; ++j) {
            int both = 0, either = 0;
            for (const AgreedPassage& p : a.passages) {
                const bool in_i = std::binary_search(p.runs.begin(), p.runs.end(), i);
                const bool in_j = std::binary_search(p.runs.begin(), p.runs.end(), j);
                both += in_i && in_j;
                either += in_i || in_j;
            }
            if (either) a.shared[i][j] = double(both) / either;
        }
    return a;
}

QString agreement_summary(const Agreement& a) {
    if (a.passages.empty()) return QStringLiteral("no run cites a passage");
    const auto by_all = std::count_if(a.passages.begin(), a.passages.end(), [&](const auto& p) {
        return static_cast<int>(p.runs.size()) == a.runs;
    });
    return QStringLiteral("%1 of %2 cited passage(s) are cited by every run")
        .arg(by_all)
        .arg(a.passages.size());
}

QJsonObject to_json(const Agreement& a) {
    QJsonArray passages;
    for (const AgreedPassage& p : a.passages) {
        QJsonArray runs;
        for (int r : p.runs) runs.append(r);
        passages.append(QJsonObject{{"start", p.start}, {"end", p.end}, {"runs", runs}});
    }
    QJsonArray shared;
    for (const auto& row : a.shared) {
        QJsonArray r;
        for (double v : row) r.append(v < 0 ? QJsonValue() : QJsonValue(v));
        shared.append(r);
    }
    return {{"summary", agreement_summary(a)}, {"passages", passages}, {"shared", shared}};
}

}  // namespace ll
