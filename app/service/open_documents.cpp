#include "open_documents.h"

#include <algorithm>

namespace ll {

std::shared_ptr<const Document> OpenDocuments::use(const QString& path) {
    const auto it = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const Entry& e) { return e.first == path; });
    if (it == entries_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().second;
}

void OpenDocuments::put(const QString& path, std::shared_ptr<const Document> document) {
    entries_.remove_if([&](const Entry& e) { return e.first == path; });
    entries_.emplace_front(path, std::move(document));
    while (static_cast<int>(entries_.size()) > std::max(1, capacity_)) entries_.pop_back();
}

QStringList OpenDocuments::paths() const {
    QStringList out;
    for (const Entry& e : entries_) out << e.first;
    return out;
}

}  // namespace ll
