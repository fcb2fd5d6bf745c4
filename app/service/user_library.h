// The user's library as both front ends open it: default_library_file(), with the stores of
// older LongLens versions imported the first time. What the user must be told (a damaged
// database set aside, an old file that could not be read) comes back in `notices`: the GUI
// shows them in its notice banner, the CLI prints them on stderr.
#pragma once

#include <QStringList>

#include <memory>

#include "library_store.h"

namespace ll {

std::unique_ptr<LibraryStore> open_user_library(QStringList* notices);

}  // namespace ll
