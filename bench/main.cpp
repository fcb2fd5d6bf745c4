// longlens-bench: engine speed studies and the grounding benchmark. See bench/README.md.
#include <exception>
#include <iostream>
#include <string>

#include "bench.h"

namespace {

constexpr const char* kUsage = R"(usage: longlens-bench STUDY [options]
  speed      --model M [--prompt-tokens 512] [--gen-tokens 128] [--threads 2] [--kv f32|f16|q8_0] [--capture N] [--chunk 512]
             [--simd scalar|avx2|avx512|avx512-vnni] [--no-gemv] [--no-gemm|--gemm-always] [--bandwidth] [--json]
  sweep      --model M [--contexts 512,4096,16384,32768] [--gen-tokens 16] [--threads 2]
             [--kv f32|f16|q8_0] [--json]
  second-question --model M [--prompt-tokens 4096] [--question-tokens 24] [--threads 2]
             [--kv f32|f16|q8_0] [--json]
  make-model --shape tinyllama|small|llama3-8b [--vocab VOCAB.gguf] --type f16|q8_0|q4_0|bf16|f32 --out FILE.gguf
             [--seed 1] [--vocab VOCAB.gguf]
  bandwidth  [--threads 2] [--mib 1024] [--json]
  scaling    --model M --file TEXT [--lengths W,4W,8W] [--methods "none;yarn_x4=yarn:factor=4;..."]
             [--reference reference.json --text-name NAME [--hf-history]] [--csv FILE] [--json]
  kernels    [--rows 5632] [--cols 2048] [--threads 2] [--reps 20] [--types q6_k,...] [--tokens N] [--json]
  tokenize   --tokenizer GGUF|HF_DIR|tokenizer.model --text FILE [--runs 3] [--json]
  grounding  --set civil-number|civil-content|needles|leval-sciqa|leval-quality|papers|all[,...]
             [--model M (bundled)] [--n 20] [--seed 1] [--max-tokens 64] [--k 1,3,5]
             [--mode auto|full|retrieve] [--window N] [--scaling SPEC] [--kv f16] [--threads 2]
             [--shared DIR] [--questions papers.json] [--attribution "qw=1,aw=0.5,cal=FILE"]
             [--variants "name:qw=0;name2:cal=FILE"] [--calibration FILE] [--verbose] [--json]
)";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string study = argv[1];
    try {
        const llbench::Args args(argc, argv, 2);
        if (study == "speed") return llbench::run_speed(args);
        if (study == "sweep") return llbench::run_sweep(args);
        if (study == "second-question") return llbench::run_second_question(args);
        if (study == "make-model") return llbench::run_make_model(args);
        if (study == "bandwidth") return llbench::run_bandwidth(args);
        if (study == "kernels") return llbench::run_kernels(args);
        if (study == "scaling") return llbench::run_scaling(args);
        if (study == "tokenize") return llbench::run_tokenize(args);
        if (study == "grounding") return llbench::run_grounding(args);
    } catch (const std::exception& e) {
        std::cerr << "longlens-bench " << study << ": " << e.what() << "\n";
        return 1;
    }
    std::cerr << kUsage;
    return 2;
}
