#include "user_library.h"

#include <QFileInfo>
#include <QSettings>

#include "legacy_import.h"
#include "settings_file.h"

namespace ll {

std::unique_ptr<LibraryStore> open_user_library(QStringList* notices) {
    const QString file = default_library_file();
    auto store = std::make_unique<LibraryStore>(file);
    if (!store->open_problem().isEmpty()) notices->append(store->open_problem());
    if (const QString settings_problem = check_settings_file(); !settings_problem.isEmpty())
        notices->append(settings_problem);
    // The application's settings (the CLI runs under the GUI's names), where the old library
    // list lives; the old conversation files lie beside the database.
    QSettings settings;
    const LegacyImport legacy =
        import_legacy_stores(*store, settings, QFileInfo(file).absolutePath() + "/conversations");
    notices->append(legacy.problems);
    return store;
}

}  // namespace ll
