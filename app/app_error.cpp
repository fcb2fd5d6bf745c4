#include "app_error.h"

#include "error.h"

namespace ll {

AppError AppError::from_engine(const EngineError& e, const QString& hint) {
    return AppError(QString::fromStdString(e.where()), QString::fromStdString(e.problem()), hint);
}

}  // namespace ll
