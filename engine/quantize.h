// Float32 -> stored weight types, for writing GGUF files (longlens-bench make-model) and
// for tests. The inverse of quant.h's dequantize_row: dequantize_row(quantize_row(x))
// is within half a quantisation step of x (Q4_0: one step for the block's largest |x|).
#pragma once

#include <cstdint>

#include "dtype.h"

namespace ll {

// float32 -> IEEE binary16, round to nearest even; overflow gives inf, NaN stays NaN.
uint16_t f32_to_fp16(float f);
// float32 -> bfloat16, round to nearest even; NaN stays NaN.
uint16_t f32_to_bf16(float f);

// Writes n floats as `type` (F32, F16, BF16, Q8_0 or Q4_0) to dst, which must hold
// dtype_bytes(type, n) bytes. Throws EngineError for other types or a partial block.
//   Q8_0: d = max|x| / 127, q = round(x / d).
//   Q4_0: m = the x of largest magnitude (with its sign), d = m / -8,
//         q = clamp(round(x / d) + 8, 0, 15); m itself maps to 0, -m would be 16 -> 15.
void quantize_row(DType type, const float* src, void* dst, int64_t n);

}  // namespace ll
