// The application's settings file (QSettings: ~/.config/LongLens/LongLens.conf). Qt reads
// what it can of a damaged file and, on the next change, writes back only that, losing the
// rest; so before anything writes to it, a file Qt reports as unreadable is moved aside as
// NAME.damaged-<time> (the library's naming) and the user told where it went.
#pragma once

#include <QString>

namespace ll {

// Checks the settings file once per process (later calls return the first one's answer):
// "" when it is readable or absent, else the message naming the file and where it went.
// Call it before anything else makes a QSettings (Qt reports a parse error only once).
QString check_settings_file();

// The same check for any INI file (tests): "" or the message.
QString set_aside_if_unreadable(const QString& ini_file);

}  // namespace ll
