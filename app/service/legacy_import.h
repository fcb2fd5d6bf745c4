// Brings what older LongLens versions kept outside the library database into it, once: the
// GUI's library list (QSettings "library") and the conversation files of both older kinds
// (<data>/conversations/*.json: the GUI's "exchanges" keyed by path, the CLI's "turns" keyed
// by the document's text). The old files are left where they are.
#pragma once

#include <QSettings>
#include <QString>
#include <QStringList>

#include "library_store.h"

namespace ll {

struct LegacyImport {
    bool ran = false;  // false: done before, or the library is not open
    int documents = 0;
    int answers = 0;
    QStringList problems;  // files that could not be read (left in place)
};

LegacyImport import_legacy_stores(LibraryStore& store, QSettings& settings,
                                  const QString& conversations_dir);

}  // namespace ll
