// The Positions view of the Diagnostics dock: for the loaded model, each rotary pair's
// wavelength under the scaling in force beside every other method, at a context length the
// reader picks, with the facts (method, windows, base, attention factor) and the engine's
// warnings. Recomputed when the model or its configuration changes; cheap (no forward pass).
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace ll {

class ChartView;
class ModelService;

class PositionsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit PositionsPanel(ModelService* service, QWidget* parent = nullptr);

    ChartView* chart_view() const { return chart_; }
    QSpinBox* context_box() const { return context_; }
    QString facts_text() const;
    // Writes the chart as .svg, .png or .csv (by the suffix); false with *error otherwise.
    bool export_to(const QString& path, QString* error) const;

  public slots:
    void refresh();

  private:
    void export_requested();

    ModelService* service_;
    QSpinBox* context_;
    QPushButton* export_;
    ChartView* chart_;
    QLabel* facts_;
};

}  // namespace ll
