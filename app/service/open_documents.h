// The documents imported in this session, kept so that switching back to one is instant
// (importing a book is not free): at most `capacity`, the least recently used dropped first.
#pragma once

#include <QString>
#include <QStringList>

#include <list>
#include <memory>
#include <utility>

#include "documents/document.h"

namespace ll {

class OpenDocuments {
  public:
    explicit OpenDocuments(int capacity) : capacity_(capacity) {}

    // The document imported from `path` (absolute), now the most recently used; null when
    // it is not kept.
    std::shared_ptr<const Document> use(const QString& path);
    // Keeps `document` as the most recently used, dropping the least recently used beyond
    // the capacity.
    void put(const QString& path, std::shared_ptr<const Document> document);
    // Most recently used first.
    QStringList paths() const;
    int capacity() const { return capacity_; }

  private:
    using Entry = std::pair<QString, std::shared_ptr<const Document>>;
    int capacity_;
    std::list<Entry> entries_;  // most recently used first; a handful, so a list suffices
};

}  // namespace ll
