// The attention variants as the attention editor presents them, from the engine's own
// description (AttentionVariant::describe_all): names, explanations, the sizes each takes,
// and validation of what the user chose. Qt types only, so the GUI never includes engine
// headers.
#pragma once

#include <QList>
#include <QString>

namespace ll {

struct AttentionSize {
    QString key;  // as the spec writes it
    QString label;
    QString meaning;
    qint64 initial = 1;
    qint64 step = 1;
};

struct AttentionKind {
    QString name;  // the spec's name: full, window, sinks, s2
    QString label;
    QString explanation;
    QList<AttentionSize> sizes;
};

QList<AttentionKind> attention_kinds();
// Empty when `spec` parses; otherwise the engine's message.
QString check_attention_spec(const QString& spec);

}  // namespace ll
