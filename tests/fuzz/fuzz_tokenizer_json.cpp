// HF tokenizer.json: any bytes give a tokenizer that encodes and decodes, or an EngineError.
#include <cstdint>

#include "error.h"
#include "fuzz_input.h"
#include "tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static lltest::FuzzInput input;
    const std::string path = input.set(data, size);
    try {
        const auto tokenizer =
            ll::Tokenizer::from_hf_json(path, "/nonexistent/tokenizer_config.json");
        const std::vector<int32_t> ids =
            tokenizer->encode("Hello world, 你好 123 <|endoftext|>", ll::SpecialTokens::Parse);
        (void)tokenizer->decode(ids);
    } catch (const ll::EngineError&) {
    }
    return 0;
}
