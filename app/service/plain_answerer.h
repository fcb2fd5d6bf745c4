// Question answering without the QA pipeline: the model continues a prompt made of the
// passage the reader is looking at and the question. No retrieval and no attribution; the
// only "citation" is the passage the model was given, so the panel says so.
#pragma once

#include <QMetaObject>

#include "model_service.h"
#include "question_answerer.h"

namespace ll {

class PlainAnswerer : public QuestionAnswerer {
    Q_OBJECT
  public:
    PlainAnswerer(ModelService* service, QObject* parent = nullptr);
    void ask(const QuestionRequest& request) override;
    void cancel() override;
    QString description() const override;

    int max_new_tokens = 96;

  private:
    void connect_job();
    void disconnect_job();

    ModelService* service_;
    std::shared_ptr<const Document> document_;
    qsizetype context_start_ = 0;
    QList<QMetaObject::Connection> job_connections_;
};

// Where the passage for `focus` starts: the beginning of its paragraph.
qsizetype passage_start(const QString& text, qsizetype focus);

}  // namespace ll
