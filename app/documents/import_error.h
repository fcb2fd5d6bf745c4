// What importers throw: the app's one error type, AppError, whose message starts with the
// file it is about, so the CLI and the GUI can show it as is and the user knows which file
// to fix. The name stays for the importers' signatures and the tests that expect it.
#pragma once

#include "app_error.h"

namespace ll {

using ImportError = AppError;

}  // namespace ll
