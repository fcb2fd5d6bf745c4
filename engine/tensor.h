// A view of one tensor inside a mapped model file. Shapes are in row-major order
// (numpy/PyTorch): a weight of nn.Linear(in, out) has shape {out, in}. The GGUF
// reader reverses ggml's ne[] order to match.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dtype.h"

namespace ll {

struct Tensor {
    std::string name;
    DType type = DType::F32;
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;  // points into a MappedFile or an owned buffer
    size_t bytes = 0;

    int64_t elements() const {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        return n;
    }
    int64_t rows() const { return shape.size() < 2 ? 1 : elements() / shape.back(); }
    int64_t cols() const { return shape.empty() ? 1 : shape.back(); }
};

}  // namespace ll
