// safetensors header and data ranges: any bytes give the tensors (each within the file, none
// overlapping another) or an EngineError.
#include <cstdint>

#include "error.h"
#include "fuzz_input.h"
#include "safetensors_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static lltest::FuzzInput input;
    const std::string path = input.set(data, size);
    try {
        const ll::SafetensorsFile file(path);
        volatile uint8_t sum = 0;
        for (const ll::Tensor& t : file.tensors())
            if (t.bytes) sum = sum + t.data[0] + t.data[t.bytes - 1];  // ASan checks the range
    } catch (const ll::EngineError&) {
    }
    return 0;
}
