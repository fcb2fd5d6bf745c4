#include "calibration_file.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QStandardPaths>

#include <cmath>

#include "app_error.h"
#include "save_file.h"

namespace ll {

namespace {

constexpr int kVersion = 1;
const char* const kFormat = "longlens-attribution-calibration";

QJsonObject to_json(const ModelIdentity& m) {
    return {{"path", m.path},
            {"size", m.size},
            {"modified",
             QDateTime::fromMSecsSinceEpoch(m.modified_ms, Qt::UTC).toString(Qt::ISODateWithMs)}};
}

ModelIdentity identity_from_json(const QJsonObject& o) {
    ModelIdentity m;
    m.path = o["path"].toString();
    m.size = o["size"].toInteger(-1);
    m.modified_ms =
        QDateTime::fromString(o["modified"].toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
    return m;
}

// The calibration in `o`, or the first thing wrong with it.
QString parse(const QJsonObject& o, AttributionCalibration& c) {
    if (o["format"].toString() != kFormat) return "not an attribution calibration";
    if (o["version"].toInt() != kVersion)
        return QString("version %1, this LongLens reads %2")
            .arg(o["version"].toInt())
            .arg(kVersion);
    c.model = identity_from_json(o["model"].toObject());
    c.n_layers = o["n_layers"].toInt();
    c.n_heads = o["n_heads"].toInt();
    if (c.n_layers <= 0 || c.n_heads <= 0) return "no layer or head count";
    for (const QJsonValue& v : o["weights"].toArray()) {
        const QJsonArray w = v.toArray();
        HeadWeight h{w.at(0).toInt(-1), w.at(1).toInt(-1), w.at(2).toDouble(-1)};
        if (w.size() != 3 || h.layer < 0 || h.layer >= c.n_layers || h.head < 0 ||
            h.head >= c.n_heads || !(h.weight > 0) || !std::isfinite(h.weight))
            return "a head weight out of range";
        c.heads.push_back(h);
    }
    if (c.heads.empty()) return "no head weights";
    const QJsonObject fit = o["fit"].toObject();
    c.examples = fit["examples"].toInt();
    c.ablations = fit["ablations"].toInt();
    c.held_out_correlation = fit["held_out_correlation"].toDouble();
    c.head_average_correlation = fit["head_average_correlation"].toDouble();
    c.method = fit["method"].toString();
    for (const QJsonValue& d : o["documents"].toArray()) c.documents << d.toString();
    c.created = o["created"].toString();
    return {};
}

}  // namespace

QString default_calibration_dir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/calibration";
}

QString calibration_file(const QString& dir, const QString& model_path) {
    const QByteArray key =
        QCryptographicHash::hash(identify_model(model_path).path.toUtf8(), QCryptographicHash::Sha1)
            .toHex();
    return dir + "/" + QString::fromLatin1(key) + ".json";
}

void save_calibration(const QString& file, const AttributionCalibration& c) {
    QJsonArray weights;
    for (const HeadWeight& h : c.heads) weights.append(QJsonArray{h.layer, h.head, h.weight});
    QJsonArray documents;
    for (const QString& d : c.documents) documents.append(d);
    const QJsonObject o{
        {"format", kFormat},
        {"version", kVersion},
        {"model", to_json(c.model)},
        {"n_layers", c.n_layers},
        {"n_heads", c.n_heads},
        {"weights", weights},
        {"fit", QJsonObject{{"method", c.method},
                            {"examples", c.examples},
                            {"ablations", c.ablations},
                            {"held_out_correlation", c.held_out_correlation},
                            {"head_average_correlation", c.head_average_correlation}}},
        {"documents", documents},
        {"created", c.created}};
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        throw AppError(file, QObject::tr("cannot create its folder"));
    save_file_or_throw(file, QJsonDocument(o).toJson(QJsonDocument::Indented));
}

CalibrationLoad load_calibration(const QString& file, const QString& model_path) {
    CalibrationLoad out;
    QFile f(file);
    if (!f.exists()) return out;
    if (!f.open(QIODevice::ReadOnly)) {
        out.problem = file + ": " + f.errorString();
        return out;
    }
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(f.read(1 << 20), &error);
    if (!json.isObject()) {
        out.problem = file + ": damaged (" + error.errorString() + "); citations use the heuristic";
        return out;
    }
    auto c = std::make_shared<AttributionCalibration>();
    if (const QString why = parse(json.object(), *c); !why.isEmpty()) {
        out.problem = file + ": damaged (" + why + "); citations use the heuristic";
        return out;
    }
    const ModelIdentity now = identify_model(model_path);
    if (!(c->model == now)) {
        out.problem = file + ": made for " + c->model.path + " (" + QString::number(c->model.size) +
                      " bytes), not this model file (" + now.path + ", " +
                      QString::number(now.size) + " bytes, or changed since); calibrate again";
        return out;
    }
    out.calibration = std::move(c);
    return out;
}

CalibrationLoad load_model_calibration(const QString& model_path, const QString& dir) {
    return load_calibration(calibration_file(dir, model_path), model_path);
}

}  // namespace ll
