// How much of the document the model reads for a question: all of it (full), the passages
// retrieval picks (retrieve), or all when it fits and passages otherwise (auto).
#pragma once

#include <QString>
#include <QStringView>

namespace ll {

enum class ContextMode { Auto, Full, Retrieve };

QString mode_name(ContextMode mode);
// "auto", "full", "retrieve"; throws AppError for anything else.
ContextMode parse_mode(QStringView name);

}  // namespace ll
