#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace ll {
namespace {

QPalette dark_palette() {
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(225, 225, 228);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(38, 38, 41));
    p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 155));
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(61, 132, 214));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(100, 160, 240));
    p.setColor(QPalette::Mid, QColor(80, 80, 85));
    p.setColor(QPalette::Dark, QColor(25, 25, 27));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(120, 120, 125));
    return p;
}

struct Original {
    QString style;
    QPalette palette;
};

Original& original() {
    static Original o{QApplication::style()->name(), QApplication::palette()};
    return o;
}

}  // namespace

Theme theme_from_name(const QString& name) {
    if (name == "light") return Theme::Light;
    if (name == "dark") return Theme::Dark;
    return Theme::System;
}

QString theme_name(Theme theme) {
    switch (theme) {
        case Theme::Light: return "light";
        case Theme::Dark: return "dark";
        default: return "system";
    }
}

void apply_theme(Theme theme) {
    const Original& o = original();  // remembered before the first change
    switch (theme) {
        case Theme::System:
            QApplication::setStyle(QStyleFactory::create(o.style));
            QApplication::setPalette(o.palette);
            break;
        case Theme::Light:
            QApplication::setStyle(QStyleFactory::create("Fusion"));
            QApplication::setPalette(QApplication::style()->standardPalette());
            break;
        case Theme::Dark:
            QApplication::setStyle(QStyleFactory::create("Fusion"));
            QApplication::setPalette(dark_palette());
            break;
    }
}

}  // namespace ll
