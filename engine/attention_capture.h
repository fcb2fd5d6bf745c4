// Where the model looked: a caller asks the forward pass to keep, for selected layers,
// the attention weights of query positions at or after `from_position` over all keys,
// averaged over heads (all, or the ones selected). Question answering uses it to attribute
// an answer to the document passages it came from; diagnostics plot it, per layer or head.
#pragma once

#include <cstdint>
#include <vector>

namespace ll {

struct AttentionCapture {
    std::vector<int> layers;    // which layers to capture (empty: none)
    std::vector<int> heads;     // which query heads to average (empty: all of them)
    int64_t from_position = 0;  // capture queries at absolute positions >= this

    // Filled by the forward pass: one row per captured query position (in order), each
    // `keys` long = the query's position + 1, the attention weights averaged over the
    // selected heads and layers (summing to 1). rows[i] belongs to position positions[i].
    std::vector<int64_t> positions;
    std::vector<std::vector<float>> rows;

    // Per head as well, for diagnostics that show one layer or one head: with per_head set,
    // head_sums[l * n_heads + h][key] is query head h's weight on that key in layers[l],
    // summed over the captured rows (every head, whatever `heads` selects). A cancelled
    // pass clears them.
    bool per_head = false;
    int n_heads = 0;  // filled by the forward pass
    std::vector<std::vector<float>> head_sums;

    void clear() {
        positions.clear();
        rows.clear();
        head_sums.clear();
    }
};

}  // namespace ll
