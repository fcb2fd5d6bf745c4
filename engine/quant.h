// Dequantisation of GGUF tensor rows to float32. The results match ggml's reference
// dequantisers bit for bit (same formulas, same float operation order), so a quantised
// model computes exactly what llama.cpp computes from the same weights.
#pragma once

#include <cstdint>

#include "dtype.h"

namespace ll {

// The 16 values an IQ4_NL / IQ4_XS nibble stands for (before the block scale): a
// non-linear grid, denser near zero where most weights lie.
inline constexpr int8_t kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                            1,    13,   25,  38,  53,  69,  89,  113};

// IEEE binary16 -> float32; exact for every input (subnormals, inf, NaN payloads).
float fp16_to_f32(uint16_t h);
// bfloat16 -> float32; exact (bf16 is the top half of a float32).
float bf16_to_f32(uint16_t h);

// Converts n consecutive elements of `type` at `src` (the raw bytes as stored in the
// file, any alignment) to float32 at `dst`. n must be a multiple of the type's block
// size; throws EngineError otherwise.
void dequantize_row(DType type, const void* src, float* dst, int64_t n);

}  // namespace ll
