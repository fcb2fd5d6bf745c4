// Reader for Hugging Face safetensors files: an 8-byte header length, a JSON header of
// tensor names -> {dtype, shape, data_offsets}, then the raw data. Tensors are used in
// place from the memory map.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mapped_file.h"
#include "tensor.h"

namespace ll {

class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::string& path);  // throws EngineError

    const std::vector<Tensor>& tensors() const { return tensors_; }
    const Tensor* tensor(std::string_view name) const;
    const std::string& path() const { return file_->path(); }

private:
    std::unique_ptr<MappedFile> file_;
    std::vector<Tensor> tensors_;
};

}  // namespace ll
