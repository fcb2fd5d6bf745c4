// A message strip at the top of the window for errors and warnings the user should read
// (a model that would not load, a PDF that cannot be shown): visible, dismissable, never a
// modal dialog that blocks the work or a script.
#pragma once

#include <QFrame>

class QLabel;

namespace ll {

class NoticeBanner : public QFrame {
    Q_OBJECT
  public:
    explicit NoticeBanner(QWidget* parent = nullptr);
    enum class Kind { Error, Warning, Info };
    void show_message(Kind kind, const QString& title, const QString& detail = {});
    QString message() const;

  private:
    QLabel* text_;
};

}  // namespace ll
