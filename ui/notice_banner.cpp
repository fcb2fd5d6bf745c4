#include "notice_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace ll {

NoticeBanner::NoticeBanner(QWidget* parent) : QFrame(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(10, 6, 6, 6);
    text_ = new QLabel(this);
    text_->setWordWrap(true);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    row->addWidget(text_, 1);
    row->addWidget(close, 0, Qt::AlignTop);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void NoticeBanner::show_message(Kind kind, const QString& title, const QString& detail) {
    const char* colour = kind == Kind::Error     ? "192, 57, 43"
                         : kind == Kind::Warning ? "240, 173, 78"
                                                 : "52, 152, 219";
    setStyleSheet(QStringLiteral("ll--NoticeBanner { background: rgba(%1, 0.16);"
                                 " border: 1px solid rgba(%1, 0.7); border-radius: 4px; }")
                      .arg(colour));
    text_->setText(detail.isEmpty() ? QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped())
                                    : QStringLiteral("<b>%1</b><br>%2")
                                          .arg(title.toHtmlEscaped(), detail.toHtmlEscaped()));
    show();
}

QString NoticeBanner::message() const { return isVisible() ? text_->text() : QString(); }

}  // namespace ll
