#!/usr/bin/env python3
"""Tiny models of every architecture LongLens reads, and their ground truth.

For each architecture: a small model built with Hugging Face transformers 5.17 (fixed seed,
a few hundred training steps on a slice of Pride and Prejudice, then the final norm scaled
until most next-token distributions are peaked), saved as HF safetensors (bf16) and
converted to GGUF (bf16) by llama.cpp's own convert_hf_to_gguf.py (c392e50) with its gguf-py;
then per-position NLL and probe logits from transformers (float32, eager attention, CPU) on
texts of 1x and 4x the trained window.

Baichuan and XVERSE have no transformers class: their reference is transformers' Llama
with the weights mapped (W_pack split), and for the ALiBi (13B-style, 40 layers) Baichuan a
plain torch model. Qwen3 postdates the converter: its GGUF is written the way later llama.cpp
writes Qwen3 files (the Qwen2 converter under the name `qwen3`, with attn_q_norm/attn_k_norm).

Run where torch + transformers are installed (not part of the build):
  python3 make_arch_fixtures.py --devdata DIR --out OUTDIR
DIR holds convert_hf_to_gguf.py, gguf-py/, corpus/ and tok512.model. Patches the converter
needs are applied at run time (see convert()); nothing of llama.cpp is copied here.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

W = 64          # trained window of every tiny model
LENGTHS = [W, 4 * W]
N_PROBES = 8
SEED = 1234

# name -> what to build. "tok": sp (tok512.model) or bpe-qwen / bpe-llama3 (trained here).
ARCHS = {
    "llama3": dict(cls="LlamaForCausalLM", tok="bpe-llama3", dim=64, layers=2, heads=4, kv=2,
                   ffn=128, max_pos=4 * W, tied=False,
                   rope=dict(rope_type="llama3", rope_theta=500000.0, factor=4.0,
                             low_freq_factor=1.0, high_freq_factor=4.0,
                             original_max_position_embeddings=W)),
    "qwen2": dict(cls="Qwen2ForCausalLM", tok="bpe-qwen", dim=64, layers=2, heads=4, kv=2,
                  ffn=128, max_pos=4 * W, tied=True,
                  rope=dict(rope_type="yarn", rope_theta=1000000.0, factor=4.0,
                            original_max_position_embeddings=W)),
    "qwen3": dict(cls="Qwen3ForCausalLM", tok="bpe-qwen", dim=64, layers=2, heads=4, kv=2,
                  head_dim=32, ffn=128, max_pos=W, tied=True,
                  rope=dict(rope_type="default", rope_theta=1000000.0)),
    "phi3": dict(cls="Phi3ForCausalLM", tok="sp", dim=64, layers=2, heads=4, kv=4, ffn=128,
                 max_pos=4 * W, tied=False, sliding_window=48,
                 rope=dict(rope_type="longrope", rope_theta=10000.0,
                           short_factor=[1.0, 1.02, 1.05, 1.1, 1.3, 1.6, 2.0, 2.4],
                           long_factor=[1.0, 1.1, 1.4, 2.0, 3.0, 4.5, 6.0, 8.0])),
    "baichuan": dict(cls="BaichuanForCausalLM", tok="sp", dim=32, layers=32, heads=4, kv=4,
                     ffn=64, max_pos=W, tied=False, rope=dict(rope_type="default", rope_theta=10000.0)),
    "baichuan-alibi": dict(cls="BaichuanForCausalLM", tok="sp", dim=32, layers=40, heads=4, kv=4,
                           ffn=64, max_pos=W, tied=False, alibi=True),
    "xverse": dict(cls="XverseForCausalLM", tok="tokjson", dim=64, layers=2, heads=4, kv=4,
                   ffn=128, max_pos=W, tied=False, rope=dict(rope_type="default", rope_theta=10000.0)),
}
HF_STORED = {"llama3", "qwen2", "qwen3", "phi3"}  # the others: GGUF alone

QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
                   "<|end_header_id|>", "<|eot_id|>"]
QWEN_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
              r"|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def log(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------- texts and tokenizers

def read_texts(devdata):
    pride = (devdata / "corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt").read_text(encoding="utf-8")
    alice = (devdata / "corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt").read_text(encoding="utf-8")
    start = pride.find("It is a truth universally")
    return {"train": pride[start:start + 14000], "heldout": alice[8000:12000],
            "bpe_corpus": pride[:300000] + alice}


def make_bpe(kind, corpus, out_dir):
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    specials = QWEN_SPECIALS if kind == "bpe-qwen" else LLAMA3_SPECIALS
    split = QWEN_SPLIT if kind == "bpe-qwen" else LLAMA3_SPLIT
    tok = Tokenizer(models.BPE(ignore_merges=(kind == "bpe-llama3")))  # as Llama 3's tokenizer.json
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(split), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512 - len(specials), show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator([corpus], trainer=trainer)
    tok.add_special_tokens(specials)
    kw = dict(tokenizer_object=tok)
    if kind == "bpe-qwen":
        kw.update(eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    else:  # Llama 3 adds <|begin_of_text|> (its tokenizer.json's TemplateProcessing)
        kw.update(bos_token="<|begin_of_text|>", eos_token="<|end_of_text|>", add_bos_token=True)
    fast = PreTrainedTokenizerFast(**kw)
    fast.save_pretrained(out_dir)
    return fast


def make_tokjson_from_sp(sp_model, out_dir):
    """tok512's pieces and scores as a tokenizers Unigram model (XVERSE's converter reads tokenizer.json)."""
    import sentencepiece as spm
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    vocab = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    tok = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=False)
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse()])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", bos_token="<s>", eos_token="</s>")
    fast.save_pretrained(out_dir)


def encode(spec, texts, sp_model, tok_dir):
    """Token ids of the train and held-out texts (with the BOS the model's format adds)."""
    out = {}
    if spec["tok"] in ("sp", "tokjson"):
        import sentencepiece as spm
        sp = spm.SentencePieceProcessor(model_file=str(sp_model))
        for k in ("train", "heldout"):
            out[k] = [1] + sp.encode(texts[k])
    else:
        from transformers import PreTrainedTokenizerFast
        fast = PreTrainedTokenizerFast.from_pretrained(tok_dir)
        for k in ("train", "heldout"):
            ids = fast(texts[k], add_special_tokens=False)["input_ids"]
            if spec["tok"] == "bpe-llama3":
                ids = [fast.convert_tokens_to_ids("<|begin_of_text|>")] + ids
            out[k] = ids
    return out


# ---------------------------------------------------------------- models

def hf_config(name, spec, vocab):
    import transformers
    common = dict(vocab_size=vocab, hidden_size=spec["dim"], intermediate_size=spec["ffn"],
                  num_hidden_layers=spec["layers"], num_attention_heads=spec["heads"],
                  num_key_value_heads=spec["kv"], max_position_embeddings=spec["max_pos"],
                  rms_norm_eps=1e-6, tie_word_embeddings=spec["tied"])
    rope = dict(spec.get("rope", {}))
    if name == "phi3":
        cfg = transformers.Phi3Config(**common, original_max_position_embeddings=W,
                                      rope_parameters=rope, sliding_window=spec["sliding_window"],
                                      pad_token_id=0, bos_token_id=1, eos_token_id=2)
    elif name == "qwen2":
        cfg = transformers.Qwen2Config(**common, rope_parameters=rope, use_sliding_window=False,
                                       bos_token_id=None, eos_token_id=vocab - 3)
    elif name == "qwen3":
        cfg = transformers.Qwen3Config(**common, head_dim=spec["head_dim"], rope_parameters=rope,
                                       use_sliding_window=False, attention_bias=False,
                                       bos_token_id=None, eos_token_id=vocab - 3)
    else:  # llama3, and the Llama stand-in for baichuan (7B-style) and xverse
        kw = dict(bos_token_id=1, eos_token_id=2)
        if name == "llama3":
            kw = dict(bos_token_id=vocab - 5, eos_token_id=vocab - 4)
        cfg = transformers.LlamaConfig(**common, rope_parameters=rope, attention_bias=False, **kw)
    return cfg


def hf_class(name):
    import transformers
    return {"phi3": transformers.Phi3ForCausalLM, "qwen2": transformers.Qwen2ForCausalLM,
            "qwen3": transformers.Qwen3ForCausalLM}.get(name, transformers.LlamaForCausalLM)


def alibi_slopes(n_heads):
    # ALiBi's geometric slopes for a power-of-two head count (Baichuan-13B, llama.cpp max_bias 8)
    start = 2 ** (-8.0 / n_heads)
    return [start ** (i + 1) for i in range(n_heads)]


def make_alibi_model(spec, vocab):
    """Baichuan-13B's layer in plain torch: W_pack, no rotary, ALiBi bias slope*(j - i)."""
    import torch
    from torch import nn

    class RMSNorm(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(d))

        def forward(self, x):
            v = x.float().pow(2).mean(-1, keepdim=True)
            return self.weight * (x.float() * torch.rsqrt(v + 1e-6))

    class Layer(nn.Module):
        def __init__(self, d, f):
            super().__init__()
            self.input_layernorm = RMSNorm(d)
            self.W_pack = nn.Linear(d, 3 * d, bias=False)
            self.o_proj = nn.Linear(d, d, bias=False)
            self.post_attention_layernorm = RMSNorm(d)
            self.gate_proj = nn.Linear(d, f, bias=False)
            self.up_proj = nn.Linear(d, f, bias=False)
            self.down_proj = nn.Linear(f, d, bias=False)

    class AlibiLM(nn.Module):
        def __init__(self):
            super().__init__()
            d, f, h = spec["dim"], spec["ffn"], spec["heads"]
            self.h, self.hd = h, d // h
            self.embed_tokens = nn.Embedding(vocab, d)
            self.layers = nn.ModuleList([Layer(d, f) for _ in range(spec["layers"])])
            self.norm = RMSNorm(d)
            self.lm_head = nn.Linear(d, vocab, bias=False)
            self.register_buffer("slopes", torch.tensor(alibi_slopes(h)), persistent=False)
            for p in self.parameters():
                if p.dim() == 2:
                    nn.init.normal_(p, std=0.02)

        def forward(self, ids):
            B, T = ids.shape
            x = self.embed_tokens(ids)
            pos = torch.arange(T, device=ids.device)
            rel = (pos[None, :] - pos[:, None]).float()  # j - i
            bias = self.slopes[:, None, None] * rel[None]
            causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=ids.device), 1)
            bias = bias.masked_fill(causal[None], float("-inf"))
            for l in self.layers:
                hdn = l.input_layernorm(x)
                q, k, v = l.W_pack(hdn).split(x.shape[-1], dim=-1)
                q, k, v = (t.view(B, T, self.h, self.hd).transpose(1, 2) for t in (q, k, v))
                s = q @ k.transpose(-1, -2) / math.sqrt(self.hd) + bias[None]
                a = torch.softmax(s.float(), dim=-1) @ v
                x = x + l.o_proj(a.transpose(1, 2).reshape(B, T, -1))
                hdn = l.post_attention_layernorm(x)
                x = x + l.down_proj(torch.nn.functional.silu(l.gate_proj(hdn)) * l.up_proj(hdn))
            return self.lm_head(self.norm(x))

    return AlibiLM()


def logits_of(model, ids, alibi):
    import torch
    x = torch.tensor([ids], dtype=torch.long, device=next(model.parameters()).device)
    return model(x) if alibi else model(input_ids=x).logits


def train(model, stream, alibi, steps=300, batch=32, lr=3e-3):
    import torch
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(dev).train()
    data = torch.tensor(stream, dtype=torch.long, device=dev)
    g = torch.Generator(device="cpu").manual_seed(SEED)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    for step in range(steps):
        starts = torch.randint(0, len(stream) - W - 1, (batch,), generator=g)
        x = torch.stack([data[s:s + W + 1] for s in starts.tolist()])
        out = model(x[:, :-1]) if alibi else model(input_ids=x[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]).float(), x[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"  step {step} loss {loss.item():.3f}")
    model.to("cpu").eval()


def round_bf16(model):
    import torch
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(torch.bfloat16).to(torch.float32))


def peaked_fraction(model, ids, alibi):
    import torch
    with torch.no_grad():
        p = torch.softmax(logits_of(model, ids[:W], alibi)[0].float(), -1)
    return (p.max(-1).values > 0.5).float().mean().item()


def sharpen(model, ids, alibi, norm):
    """Scale the final norm until most positions of the trained text have top probability > 0.5."""
    import torch
    frac = peaked_fraction(model, ids, alibi)
    for _ in range(12):
        if frac >= 0.6:
            break
        with torch.no_grad():
            norm.weight.mul_(1.25)
            norm.weight.copy_(norm.weight.to(torch.bfloat16).float())
        frac = peaked_fraction(model, ids, alibi)
    return frac


# ---------------------------------------------------------------- saving

def legacy_rope_keys(cfg_path, spec):
    """transformers 5 writes rope_parameters; published configs and the converter read top-level
    rope_theta / rope_scaling (with `type`). Write both so the converter keeps base and scaling."""
    cfg = json.loads(cfg_path.read_text())
    rope = spec.get("rope")
    if rope:
        cfg["rope_theta"] = rope["rope_theta"]
        if rope["rope_type"] != "default":
            old = {k: v for k, v in rope.items() if k != "rope_theta"}
            old["type"] = rope["rope_type"]
            cfg["rope_scaling"] = old
            if "original_max_position_embeddings" in old:
                cfg["original_max_position_embeddings"] = old["original_max_position_embeddings"]
        else:
            cfg["rope_scaling"] = None
    if spec["cls"] == "Phi3ForCausalLM":
        cfg["original_max_position_embeddings"] = W
    cfg_path.write_text(json.dumps(cfg, indent=2))


def save_foreign(name, spec, model, vocab, out_dir, alibi):
    """Baichuan / XVERSE HF layout (for the converter only): config + safetensors by their names."""
    import torch
    from safetensors.torch import save_file
    sd = {k: v.detach().to(torch.bfloat16).contiguous() for k, v in model.state_dict().items()}
    tensors = {}
    if alibi:
        for k, v in sd.items():
            k = k.replace("layers.", "model.layers.").replace("embed_tokens", "model.embed_tokens")
            k = k.replace("W_pack", "self_attn.W_pack").replace("o_proj", "self_attn.o_proj")
            for m in ("gate_proj", "up_proj", "down_proj"):
                k = k.replace(m, "mlp." + m)
            if k == "norm.weight":
                k = "model.norm.weight"
            tensors[k] = v
    else:
        tensors = dict(sd)
        if name == "baichuan":
            for i in range(spec["layers"]):
                p = f"model.layers.{i}.self_attn."
                tensors[p + "W_pack.weight"] = torch.cat(
                    [tensors.pop(p + "q_proj.weight"), tensors.pop(p + "k_proj.weight"),
                     tensors.pop(p + "v_proj.weight")], 0).contiguous()
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    cfg = dict(architectures=[spec["cls"]], model_type=name.split("-")[0], vocab_size=vocab,
               hidden_size=spec["dim"], intermediate_size=spec["ffn"],
               num_hidden_layers=spec["layers"], num_attention_heads=spec["heads"],
               num_key_value_heads=spec["kv"], rms_norm_eps=1e-6, hidden_act="silu",
               bos_token_id=1, eos_token_id=2, pad_token_id=0, tie_word_embeddings=False)
    if alibi:
        cfg["model_max_length"] = spec["max_pos"]  # Baichuan-13B states no max_position_embeddings
    else:
        cfg["max_position_embeddings"] = spec["max_pos"]
        cfg["rope_theta"] = spec["rope"]["rope_theta"]
    (out_dir / "config.json").write_text(json.dumps(cfg, indent=2))
    return sorted(tensors)


def convert(hf_dir, out_file, mode, devdata, logf):
    cmd = [sys.executable, __file__, "--convert", str(hf_dir), str(out_file), mode, "--devdata", str(devdata)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    logf.write(f"$ {' '.join(cmd)}\n{r.stdout[-4000:]}\n{r.stderr[-6000:]}\n")
    if r.returncode != 0:
        raise RuntimeError(f"converter failed for {hf_dir}: {r.stderr[-1500:]}")


def run_converter(hf_dir, out_file, mode, devdata):
    """In a subprocess: llama.cpp's converter with the run-time patches the tiny models need."""
    sys.path.insert(0, str(devdata / "gguf-py"))
    sys.path.insert(0, str(devdata))
    import convert_hf_to_gguf as c
    import gguf
    if mode in ("qwen2", "qwen3"):
        c.Model.get_vocab_base_pre = lambda self, tokenizer: "qwen2"  # our tiny BPE's hash is unknown
    if mode == "llama3":
        c.Model.get_vocab_base_pre = lambda self, tokenizer: "llama-bpe"
    if mode == "qwen3":
        # Later llama.cpp: Qwen3Model(Qwen2Model) under the name qwen3, plus per-head q/k norms.
        gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.QWEN2] = "qwen3"
        gguf.MODEL_TENSORS[gguf.MODEL_ARCH.QWEN2] += [gguf.MODEL_TENSOR.ATTN_Q_NORM, gguf.MODEL_TENSOR.ATTN_K_NORM]
        c.Model._model_classes["Qwen3ForCausalLM"] = c.Model._model_classes["Qwen2ForCausalLM"]
    if mode == "xverse":
        import transformers
        transformers.AutoTokenizer.from_pretrained = transformers.PreTrainedTokenizerFast.from_pretrained
    sys.argv = ["convert_hf_to_gguf.py", str(hf_dir), "--outfile", str(out_file), "--outtype", "bf16"]
    c.main()


def gguf_summary(path, devdata):
    sys.path.insert(0, str(devdata / "gguf-py"))
    import gguf
    r = gguf.GGUFReader(str(path))
    kv = {}
    for name, f in r.fields.items():
        if name.startswith("tokenizer.ggml.") and name not in ("tokenizer.ggml.model", "tokenizer.ggml.pre"):
            continue
        if name.startswith("GGUF."):
            continue
        t = f.types[0]
        if t == gguf.GGUFValueType.STRING:
            kv[name] = bytes(f.parts[f.data[0]]).decode("utf-8", "replace")
        elif t == gguf.GGUFValueType.ARRAY:
            kv[name] = f"array of {len(f.data)}"
        else:
            kv[name] = f.parts[f.data[0]][0].item()
    tensors = {t.name: [list(map(int, t.shape)), t.tensor_type.name] for t in r.tensors}
    return kv, tensors


# ---------------------------------------------------------------- references

def reference_runs(name, model, ids, alibi, out_dir):
    import numpy as np
    import torch
    runs = {}
    lengths = list(LENGTHS) + ([W + 1] if name == "phi3" else [])
    for text in ("train", "heldout"):
        for L in lengths:
            seq = ids[text][:L]
            if len(seq) < L:
                raise RuntimeError(f"{text} has only {len(seq)} tokens")
            if not alibi and hasattr(model.model, "rotary_emb"):  # fresh rope state per run
                re = model.model.rotary_emb
                if hasattr(re, "original_inv_freq"):
                    re.inv_freq = re.original_inv_freq.clone()
            with torch.no_grad():
                lg = logits_of(model, seq, alibi)[0].float()
            lp = torch.log_softmax(lg, -1)
            tgt = torch.tensor(seq[1:])
            nll = -lp[:-1].gather(1, tgt[:, None])[:, 0]
            key = f"{text}_L{L}"
            nll.numpy().astype("<f4").tofile(out_dir / f"nll_{key}.f32")
            probes = sorted(set(int(round(x)) for x in np.linspace(0, L - 1, N_PROBES)))
            lg[probes].numpy().astype("<f4").tofile(out_dir / f"logits_{key}.f32")
            p = torch.softmax(lg, -1)
            run = dict(text=text, length=L, mean_nll=nll.mean().item(), ppl=math.exp(nll.mean().item()),
                       probe_positions=probes,
                       peaked_fraction=(p.max(-1).values > 0.5).float().mean().item())
            if not alibi and hasattr(model.model, "rotary_emb"):
                re = model.model.rotary_emb
                run["inv_freq"] = [float(v) for v in re.inv_freq.float()]
                run["attention_scaling"] = float(re.attention_scaling)
            runs[key] = run
    if name == "llama3":  # Gradient-style rope base 1e9 on the same weights (HF only: the GGUF carries rope_freqs)
        try:
            seq = ids["train"][:4 * W]
            model.config.rope_parameters = {"rope_type": "default", "rope_theta": 1e9}
            model.model.rotary_emb = type(model.model.rotary_emb)(config=model.config)
            with torch.no_grad():
                lg = logits_of(model, seq, alibi)[0].float()
            nll = -torch.log_softmax(lg, -1)[:-1].gather(1, torch.tensor(seq[1:])[:, None])[:, 0]
            nll.numpy().astype("<f4").tofile(out_dir / "nll_theta1e9_train_L256.f32")
            runs["theta1e9_train_L256"] = dict(text="train", length=4 * W, mean_nll=nll.mean().item(),
                                               inv_freq=[float(v) for v in model.model.rotary_emb.inv_freq])
        except Exception:
            log("  theta 1e9 run failed:", traceback.format_exc())
    return runs


def build_arch(name, spec, texts, devdata, sp_model, root, logf):
    import torch
    log(f"== {name}")
    d = root / name
    hf = d / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    if spec["tok"].startswith("bpe"):
        fast = make_bpe(spec["tok"], texts["bpe_corpus"], hf)
        vocab = len(fast)
    else:
        shutil.copy(sp_model, hf / "tokenizer.model")
        vocab = 512
        if spec["tok"] == "tokjson":
            make_tokjson_from_sp(sp_model, hf)
    ids = encode(spec, texts, sp_model, hf)
    import numpy as np
    for k, v in ids.items():  # the references use the first 4W tokens
        np.asarray(v[:4 * W], dtype="<i4").tofile(d / f"tokens_{k}.i32")
    alibi = spec.get("alibi", False)
    torch.manual_seed(SEED)
    if alibi:
        model = make_alibi_model(spec, vocab)
    else:
        cfg = hf_config(name, spec, vocab)
        model = hf_class(name)(cfg)
    train(model, ids["train"], alibi)
    round_bf16(model)
    norm = model.norm if alibi else model.model.norm
    frac = sharpen(model, ids["train"], alibi, norm)
    log(f"  peaked fraction at W: {frac:.2f}")

    if name in HF_STORED:
        model.to(torch.bfloat16).save_pretrained(hf)
        legacy_rope_keys(hf / "config.json", spec)
        model = hf_class(name).from_pretrained(hf, dtype=torch.float32, attn_implementation="eager")
        model.eval()
        log(f"  reloaded: rope_parameters={getattr(model.config, 'rope_parameters', None)}")
    else:
        names = save_foreign(name, spec, model, vocab, hf, alibi)
        logf.write(f"{name} tensors: {names[:12]}...\n")
        if not alibi:
            model.float()
            model.set_attn_implementation("eager")
    model.float()
    runs = reference_runs(name, model, ids, alibi, d)
    gguf_path = d / f"{name}.gguf"
    convert(hf, gguf_path, name, devdata, logf)
    kv, tensors = gguf_summary(gguf_path, devdata)
    rope_keys = {k: v for k, v in kv.items() if ".rope." in k or "context_length" in k or "sliding" in k}
    log(f"  gguf rope keys: {rope_keys}")
    ref = dict(architecture=name, hf_class=spec["cls"], window=W, vocab=vocab, tokenizer=spec["tok"],
               spec={k: v for k, v in spec.items() if k != "cls"}, runs=runs,
               gguf_kv=kv, gguf_tensors=tensors, peaked_fraction_train_W=frac,
               hf_config=json.loads((hf / "config.json").read_text()))
    if alibi:
        ref["alibi_slopes"] = alibi_slopes(spec["heads"])
    (d / "reference.json").write_text(json.dumps(ref, indent=1))
    if name not in HF_STORED:
        shutil.rmtree(hf)
    else:
        (hf / "generation_config.json").unlink(missing_ok=True)
    for k in ("train", "heldout"):  # one copy for all architectures
        (root / f"text_{k}.txt").write_text(texts[k], encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--devdata", type=Path, required=True)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--only", default="")
    ap.add_argument("--sp", type=Path, help="tok512.model (default: DEVDATA/tok512.model)")
    ap.add_argument("--convert", nargs=3)
    a = ap.parse_args()
    if a.convert:
        run_converter(Path(a.convert[0]), Path(a.convert[1]), a.convert[2], a.devdata)
        return
    import torch
    torch.use_deterministic_algorithms(False)
    texts = read_texts(a.devdata)
    sp_model = a.sp or a.devdata / "tok512.model"
    a.out.mkdir(parents=True, exist_ok=True)
    failed = []
    with open(a.out / "convert.log", "w") as logf:
        for name, spec in ARCHS.items():
            if a.only and name not in a.only.split(","):
                continue
            try:
                build_arch(name, spec, texts, a.devdata, sp_model, a.out, logf)
            except Exception:
                failed.append(name)
                log(f"!! {name} failed:\n{traceback.format_exc()}")
                logf.write(f"!! {name}\n{traceback.format_exc()}\n")
            logf.flush()
    log("failed:", failed or "none")


if __name__ == "__main__":
    main()
