// Model ▸ Document Cache…: what the document cache on disk holds (every document's prompt
// prefix as a model read it), its size limit — kept for the GUI and the CLI alike — and a
// way to empty it. The numbers and the limit live in app/ (ReadingSession); this only shows
// them and sends the user's choices.
#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace ll {

class ReadingSession;

class DocumentCacheDialog : public QDialog {
    Q_OBJECT
  public:
    explicit DocumentCacheDialog(ReadingSession* session, QWidget* parent = nullptr);

    // The limit the spin box shows, in bytes; setting it applies it like the user would.
    qint64 limit() const;
    void set_limit(qint64 bytes);
    // Empties the cache after asking (`confirm` false: without asking, for scripts and tests);
    // returns the number of readings deleted, or -1 when the user said no.
    int clear(bool confirm = true);
    QString usage_text() const;

  signals:
    void message(const QString& text);

  private:
    void refresh();
    void apply_limit();

    ReadingSession* session_;
    QLabel* where_;
    QLabel* usage_;
    QProgressBar* fill_;
    QDoubleSpinBox* limit_;
    QLabel* limit_note_;
    QPushButton* clear_;
};

}  // namespace ll
