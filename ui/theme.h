// Light, dark or the platform's own look. "System" leaves style and palette alone (so a
// desktop's dark theme applies); the explicit choices use Fusion with a matching palette.
#pragma once

#include <QString>

namespace ll {

enum class Theme { System, Light, Dark };

Theme theme_from_name(const QString& name);  // "system", "light", "dark"
QString theme_name(Theme theme);
// Applies to the whole application; call after the QApplication exists.
void apply_theme(Theme theme);

}  // namespace ll
