// sentencepiece tokenizer.model loader: any bytes give a tokenizer (then used to encode and
// decode, with every token's bytes read) or an EngineError naming the file, never a crash, a
// hang or an allocation the file cannot back. The bytes go through our own protobuf walk
// (sentencepiece_proto) before libsentencepiece sees them.
#include <cstdint>

#include "error.h"
#include "fuzz_input.h"
#include "tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static lltest::FuzzInput input;
    const std::string path = input.set(data, size);
    try {
        const auto tokenizer = ll::Tokenizer::from_file(path);
        const std::vector<int32_t> ids =
            tokenizer->encode("Hello world, 你好 123 <s></s>", ll::SpecialTokens::Parse);
        (void)tokenizer->decode(ids, true);
        ll::TokenStreamDecoder stream(*tokenizer);
        const int32_t n = tokenizer->vocab_size();
        for (int32_t id = 0; id < n && id < 4096; ++id) {
            (void)tokenizer->token_bytes(id);
            (void)tokenizer->is_special(id);
            (void)stream.push(id);
        }
        (void)stream.finish();
        (void)tokenizer->find_token("</s>");
    } catch (const ll::EngineError&) {
    }
    return 0;
}
