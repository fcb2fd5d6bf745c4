#include "stop_scanner.h"

#include <algorithm>

namespace ll {

StopScanner::StopScanner(QStringList stops) : stops_(std::move(stops)) {
    stops_.removeAll(QString());
}

QString StopScanner::push(const QString& piece) {
    if (stopped_) return {};
    all_ += piece;
    if (emitted_ == 0) {  // nothing shown yet: drop leading whitespace
        qsizetype lead = 0;
        while (lead < all_.size() && all_[lead].isSpace()) ++lead;
        all_.remove(0, lead);
        if (all_.isEmpty()) return {};
    }
    qsizetype cut = -1;
    for (const QString& stop : stops_) {
        const qsizetype from = std::max<qsizetype>(0, emitted_ - stop.size());
        const qsizetype at = all_.indexOf(stop, from);
        if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
        stopped_ = true;
        all_.truncate(cut);
        const QString out = all_.mid(emitted_);
        emitted_ = all_.size();
        return out;
    }
    const qsizetype final_end = all_.size() - held_back();
    const QString out = all_.mid(emitted_, final_end - emitted_);
    emitted_ = std::max(emitted_, final_end);
    return out;
}

QString StopScanner::finish() {
    if (stopped_) return {};
    const QString out = all_.mid(emitted_);
    emitted_ = all_.size();
    return out;
}

qsizetype StopScanner::held_back() const {
    qsizetype best = 0;
    for (const QString& stop : stops_)
        for (qsizetype len = std::min(stop.size() - 1, all_.size()); len > best; --len)
            if (QStringView(all_).right(len) == QStringView(stop).left(len)) {
                best = len;
                break;
            }
    return best;
}

}  // namespace ll
