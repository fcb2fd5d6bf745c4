#include "context_mode.h"

#include "app_error.h"

namespace ll {

QString mode_name(ContextMode mode) {
    switch (mode) {
        case ContextMode::Auto:
            return "auto";
        case ContextMode::Full:
            return "full";
        case ContextMode::Retrieve:
            return "retrieve";
    }
    return "auto";
}

ContextMode parse_mode(QStringView name) {
    if (name == u"auto") return ContextMode::Auto;
    if (name == u"full") return ContextMode::Full;
    if (name == u"retrieve") return ContextMode::Retrieve;
    throw AppError(QStringLiteral("context mode"),
                   QStringLiteral("unknown mode '%1'").arg(name), "expected auto, full or retrieve");
}

}  // namespace ll
