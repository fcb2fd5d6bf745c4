// Where the model looked: a caller asks the forward pass to keep, for selected layers,
// the attention weights of query positions at or after `from_position` over all keys,
// averaged over heads. Question answering uses it to attribute an answer to the
// document passages it came from; diagnostics plot it.
#pragma once

#include <cstdint>
#include <vector>

namespace ll {

struct AttentionCapture {
    std::vector<int> layers;    // which layers to capture (empty: none)
    int64_t from_position = 0;  // capture queries at absolute positions >= this

    // Filled by the forward pass: one row per captured query position (in order), each
    // `keys` long = the query's position + 1, the head- and layer-averaged attention
    // weights (summing to 1). rows[i] belongs to position positions[i].
    std::vector<int64_t> positions;
    std::vector<std::vector<float>> rows;

    void clear() {
        positions.clear();
        rows.clear();
    }
};

}  // namespace ll
