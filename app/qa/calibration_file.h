// A model's attribution calibration on disk: one JSON file per model file, named after the
// model's path, in the app's data folder (<AppDataLocation>/calibration), written atomically.
// The file names the model by path, size and modification time; a file made for another
// model file (or an older copy of this one), or one that is damaged, is refused with a
// message naming it, and attribution falls back to the heuristic.
#pragma once

#include <QString>

#include <memory>

#include "attribution_calibration.h"

namespace ll {

// <AppDataLocation>/calibration (the GUI's and the CLI's: both run as LongLens/LongLens).
QString default_calibration_dir();
// The file for the model at `model_path` in `dir`: <dir>/<SHA-1 of the canonical path>.json.
QString calibration_file(const QString& dir, const QString& model_path);

// Writes it (creating `dir`'s folders). Throws AppError naming the file.
void save_calibration(const QString& file, const AttributionCalibration& calibration);

struct CalibrationLoad {
    std::shared_ptr<const AttributionCalibration> calibration;  // null: none in force
    QString problem;  // "FILE: why" when one was there but refused; "" otherwise
};

// Reads `file` for the model at `model_path`. No file: nothing, no problem.
CalibrationLoad load_calibration(const QString& file, const QString& model_path);
// The calibration in force for a model: its file in `dir`.
CalibrationLoad load_model_calibration(const QString& model_path,
                                       const QString& dir = default_calibration_dir());

}  // namespace ll
