// Question answering through the QA pipeline (app/qa): the context plan (whole document or
// retrieved passages), the model's chat template, the document prefilled once and reused
// for later questions, streamed generation and citations attributed from the model's
// attention. Runs as jobs on ModelService, so it shares its thread, busy state and cancel.
#pragma once

#include <memory>

#include "model_service.h"
#include "qa/prefix_cache.h"
#include "question_answerer.h"

namespace ll {

class GroundedAnswerer : public QuestionAnswerer {
    Q_OBJECT
  public:
    GroundedAnswerer(ModelService* service, QObject* parent = nullptr);
    ~GroundedAnswerer() override;
    void ask(const QuestionRequest& request) override;
    void cancel() override;
    QString description() const override;

    int max_answer_tokens = 128;
    // The document KV cache on disk (empty: none). Set before asking; read by the jobs.
    QString cache_dir = default_prefix_cache_dir();
    // Where the models' attribution calibrations are (default_calibration_dir()).
    QString calibration_dir;

  private:
    struct Prepared;  // the DocumentAnswerer for one (model, scaling, document), kept between jobs
    // The job (worker thread): prepares the document when `prepared` does not fit, asks.
    std::function<void()> run(const QuestionRequest& request, std::shared_ptr<Prepared> prepared,
                              const ModelJobContext& context);

    ModelService* service_;
    std::shared_ptr<Prepared> prepared_;
};

}  // namespace ll
