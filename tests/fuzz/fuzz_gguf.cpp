// GGUF reader: any bytes give a parsed file or an EngineError, never a crash, a hang or an
// allocation the file cannot back; what parses is read as the model loader reads it
// (metadata getters, tensors, the vocabulary and a tokenizer rebuilt from it).
#include <cstdint>

#include "error.h"
#include "fuzz_input.h"
#include "gguf_reader.h"
#include "gguf_vocab.h"
#include "tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static lltest::FuzzInput input;
    const std::string path = input.set(data, size);
    try {
        const ll::GgufFile file(path);
        for (const std::string& key : file.keys()) {
            (void)file.get_string(key);
            (void)file.get_int(key);
            (void)file.get_float_array(key);
            (void)file.get_string_array(key);
        }
        for (const ll::Tensor& t : file.tensors()) (void)file.tensor(t.name);
        const ll::Vocab vocab = ll::read_gguf_vocab(file);
        const auto tokenizer = ll::Tokenizer::from_vocab(vocab, path);
        const std::vector<int32_t> ids = tokenizer->encode("Hello world, 你好 123");
        (void)tokenizer->decode(ids);
    } catch (const ll::EngineError&) {
    }
    return 0;
}
