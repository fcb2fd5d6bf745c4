#!/usr/bin/env python3
"""transformers' attention probabilities on ref-mini: the ground truth for AttentionCapture.

Runs ref-mini (Hugging Face transformers, float32, eager attention, CPU) once over the first
N_TOKENS ids of the fixtures' Pride and Prejudice tokens (BOS first) with
output_attentions=True and keeps, for a few query positions, every layer's attention rows
over all keys: per head, and averaged over the heads. The ids are stored in reference.json,
so the C++ test needs no tokenizer. Format: README.md beside this file.

Run where torch + transformers are installed (not part of the build):
  python3 make_attention_reference.py --model SHARED/models/ref-mini \
      --tokens SHARED/fixtures/ref-mini/tokens_pride.i32 --out DIR
"""
import argparse
import json
import platform
from pathlib import Path

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM

N_TOKENS = 300
# Two rows inside the trained window (256), then the last 8 queries.
QUERIES = [127, 255] + list(range(N_TOKENS - 8, N_TOKENS))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, type=Path)
    ap.add_argument("--tokens", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    torch.set_grad_enabled(False)

    ids = np.fromfile(a.tokens, dtype="<i4")[:N_TOKENS].astype(np.int64)
    assert len(ids) == N_TOKENS and ids[0] == 1, "expected BOS followed by the text"
    try:
        model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32,
                                                     attn_implementation="eager")
    except TypeError:  # transformers before 4.56 names it torch_dtype
        model = AutoModelForCausalLM.from_pretrained(a.model, torch_dtype=torch.float32,
                                                     attn_implementation="eager")
    model = model.float().eval()
    cfg = model.config
    out = model(torch.tensor(ids)[None], output_attentions=True, use_cache=False)
    att = torch.stack(out.attentions)[:, 0]  # layers x heads x q x k, float32
    n_layers, n_heads = att.shape[0], att.shape[1]
    assert att.dtype == torch.float32 and att.shape[2:] == (N_TOKENS, N_TOKENS)

    heads, means = [], []
    for layer in range(n_layers):
        # transformers' own float32 rows; the head mean taken in float64, then rounded once.
        means += [att[layer, :, q, : q + 1].double().mean(0).float().numpy() for q in QUERIES]
        for head in range(n_heads):
            heads += [att[layer, head, q, : q + 1].numpy() for q in QUERIES]
    np.concatenate(means).astype("<f4").tofile(a.out / "attention_mean.f32")
    np.concatenate(heads).astype("<f4").tofile(a.out / "attention_heads.f32")

    text = None
    tok = a.model / "tokenizer.model"
    if tok.exists():
        import sentencepiece as spm
        text = spm.SentencePieceProcessor(model_file=str(tok)).decode(ids[1:].tolist())
    rope = getattr(cfg, "rope_parameters", None) or {"rope_type": "default", "rope_theta": cfg.rope_theta}
    ref = {
        "made_by": "make_attention_reference.py",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "device": "cpu",
        "dtype": "float32",
        "attn_implementation": "eager",
        "model": "models/ref-mini",
        "tokens_from": "fixtures/ref-mini/tokens_pride.i32 (first %d ids, BOS first)" % N_TOKENS,
        "n_layers": n_layers,
        "n_heads": n_heads,
        "n_kv_heads": cfg.num_key_value_heads,
        "rope_parameters": {k: v for k, v in dict(rope).items() if k != "type"},
        "queries": QUERIES,
        "files": {"attention_mean.f32": "layer, query: row of query+1 float32",
                  "attention_heads.f32": "layer, head, query: row of query+1 float32"},
        "ids": ids.tolist(),
        "text": text,
        # A few numbers to eyeball: each layer's head-averaged weight on BOS at the last query.
        "bos_weight_last_query": [float(att[l, :, -1, 0].double().mean()) for l in range(n_layers)],
        "next_token_last": int(out.logits[0, -1].argmax()),
    }
    (a.out / "reference.json").write_text(json.dumps(ref, indent=1, ensure_ascii=False, default=str) + "\n",
                                          encoding="utf-8")
    print("layers", n_layers, "heads", n_heads, "queries", QUERIES)
    print("rope", ref["rope_parameters"])
    print("bos weight at last query per layer", ref["bos_weight_last_query"])
    for f in sorted(a.out.iterdir()):
        print(f.name, f.stat().st_size)


if __name__ == "__main__":
    main()
