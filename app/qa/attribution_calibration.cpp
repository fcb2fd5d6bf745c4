#include "attribution_calibration.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <set>

namespace ll {

ModelIdentity identify_model(const QString& path) {
    const QFileInfo info(path);
    ModelIdentity id;
    id.path =
        info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    if (info.isDir()) {
        for (const QFileInfo& f : QDir(path).entryInfoList(QDir::Files, QDir::Name)) {
            id.size += f.size();
            id.modified_ms = std::max(id.modified_ms, f.lastModified().toMSecsSinceEpoch());
        }
    } else {
        id.size = info.size();
        id.modified_ms = info.lastModified().toMSecsSinceEpoch();
    }
    return id;
}

std::vector<int> AttributionCalibration::layers() const {
    std::set<int> s;
    for (const HeadWeight& h : heads) s.insert(h.layer);
    return {s.begin(), s.end()};
}

std::vector<std::vector<double>> head_document_shares(const PromptTokens& prompt,
                                                      const AttentionCapture& capture) {
    const auto first = static_cast<size_t>(prompt.document_begin);
    const auto last = static_cast<size_t>(prompt.document_end);
    std::vector<std::vector<double>> shares;
    for (const std::vector<float>& sums : capture.head_sums) {
        std::vector<double> share(prompt.ids.size(), 0.0);
        const size_t end = std::min(last, sums.size());
        double total = 0;
        for (size_t k = first; k < end; ++k) total += sums[k];
        if (total > 0)
            for (size_t k = first; k < end; ++k) share[k] = sums[k] / total;
        shares.push_back(std::move(share));
    }
    return shares;
}

std::vector<double> calibrated_token_scores(const PromptTokens& prompt,
                                            const AttentionCapture& capture,
                                            const AttributionCalibration& calibration) {
    const std::vector<std::vector<double>> shares = head_document_shares(prompt, capture);
    std::vector<double> scores(prompt.ids.size(), 0.0);
    for (const HeadWeight& h : calibration.heads) {
        const auto slot = std::find(capture.layers.begin(), capture.layers.end(), h.layer);
        if (slot == capture.layers.end() || h.head >= capture.n_heads) continue;
        const size_t i =
            size_t(slot - capture.layers.begin()) * size_t(capture.n_heads) + size_t(h.head);
        if (i >= shares.size()) continue;
        for (size_t k = 0; k < scores.size(); ++k) scores[k] += h.weight * shares[i][k];
    }
    return scores;
}

}  // namespace ll
