"""Trains (phase 1) or fine-tunes (phase 2) LongLens's default Llama model.

Phase 1: a fresh LlamaForCausalLM at window 512, plain rope (theta 10000).
Phase 2: continues from phase 1's weights with YaRN x8 (original window 512) written in the
         config, on a mix of windows up to --max-len; the saved config keeps that scaling so
         the engine applies it by default.

    python3 train.py --phase 1 --corpus DIR --tokenizer tokenizer.model --out DIR --steps N
    python3 train.py --phase 2 --corpus DIR --tokenizer tokenizer.model --init DIR --out DIR --steps N

--steps auto times 20 steps, then takes as many as fit in --budget-min (the number is
printed and logged; pass it back as --steps to reproduce). Everything is seeded (--seed);
batches are generated deterministically from (seed, phase, step) by worker processes.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F

import tasks

ARCH = dict(hidden_size=384, intermediate_size=1024, num_hidden_layers=8,
            num_attention_heads=6, num_key_value_heads=2, head_dim=64,
            rms_norm_eps=1e-5, tie_word_embeddings=True, hidden_act="silu",
            attention_bias=False, mlp_bias=False, initializer_range=0.02)
TRAINED_WINDOW = 512
YARN = {"rope_type": "yarn", "factor": 8.0, "original_max_position_embeddings": TRAINED_WINDOW,
        "rope_theta": 10000.0}

MIX = {1: {"lm": 0.40, "passkey": 0.20, "kv": 0.15, "article": 0.10, "span": 0.15},
       2: {"lm": 0.25, "passkey": 0.30, "kv": 0.20, "article": 0.10, "span": 0.15},
       3: {"lm": 0.15, "passkey": 0.20, "kv": 0.15, "article": 0.30, "span": 0.20}}
# share of task samples written in the app's Plain prompt frame ("Document:" ... "Answer:")
PLAIN_SHARE = {1: 0.0, 2: 0.0, 3: 0.6}
# phase 2: windows and their shares; tokens per batch stay constant
LENGTHS_2 = {512: 0.2, 1024: 0.2, 2048: 0.4, 4096: 0.2}

_corpus = None


def _init_worker(tok_path, corpus_dir):
    global _corpus
    sp = spm.SentencePieceProcessor(model_file=tok_path)
    _corpus = tasks.Corpus(sp, corpus_dir)


def _batch(job):
    seed, phase, step, batch, length = job
    return tasks.make_batch(_corpus, seed, phase, step, batch, length, MIX[phase], PLAIN_SHARE[phase])


def plan(args, step):
    """(batch, length) of a step."""
    if args.phase == 1:
        return args.batch_tokens // TRAINED_WINDOW, TRAINED_WINDOW
    rng = np.random.default_rng([args.seed, 99, step])
    ls = list(LENGTHS_2)
    length = ls[rng.choice(len(ls), p=np.array([LENGTHS_2[k] for k in ls]))]
    length = min(length, args.max_len)
    return max(1, args.batch_tokens // length), length


def make_config(phase, vocab, sp):
    from transformers import LlamaConfig
    kw = dict(ARCH, vocab_size=vocab, bos_token_id=sp.bos_id(), eos_token_id=sp.eos_id())
    if phase == 1:  # phases 2 and 3: YaRN x8
        kw.update(max_position_embeddings=TRAINED_WINDOW, rope_theta=10000.0)
        try:
            return LlamaConfig(**kw, rope_parameters={"rope_type": "default", "rope_theta": 10000.0})
        except TypeError:
            return LlamaConfig(**kw)
    kw.update(max_position_embeddings=int(TRAINED_WINDOW * YARN["factor"]), rope_theta=10000.0)
    cfg = LlamaConfig(**kw, rope_scaling=dict(YARN))
    if getattr(cfg, "rope_parameters", None) is not None and cfg.rope_parameters.get("rope_type") != "yarn":
        cfg.rope_parameters = dict(YARN)
    return cfg


def lr_at(args, step):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    t = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


@torch.no_grad()
def passkey_check(model, corpus, lengths, n, seed, device):
    """Greedy pass-key retrieval in PyTorch (a cross-check; the engine numbers are the real ones)."""
    model.eval()
    out = {}
    for L in lengths:
        ok = 0
        for i in range(n):
            rng = np.random.default_rng([seed, 7, L, i])
            ids, w = corpus.passkey(rng, L, plain=False)
            ans_pos = np.nonzero(w >= tasks.W_ANSWER)[0]
            a0, a1 = ans_pos[0], ans_pos[-1]  # answer tokens then EOS
            x = torch.tensor(ids[:a0], device=device)[None]
            want = ids[a0:a1 + 1].tolist()
            got = []
            for _ in range(len(want)):
                with torch.autocast("cuda", dtype=torch.bfloat16):
                    logits = model(x).logits[0, -1]
                t = int(logits.argmax())
                got.append(t)
                x = torch.cat([x, torch.tensor([[t]], device=device)], 1)
            ok += got == want
        out[L] = ok / n
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phase", type=int, choices=(1, 2, 3), required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", help="the previous phase's model directory (phases 2 and 3)")
    ap.add_argument("--steps", default="auto")
    ap.add_argument("--budget-min", type=float, default=7.0)
    ap.add_argument("--batch-tokens", type=int, default=64 * 512)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--max-len", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 4) - 2))
    ap.add_argument("--log", default=None)
    args = ap.parse_args()
    args.lr = args.lr or {1: 1.5e-3, 2: 5e-4, 3: 2e-4}[args.phase]
    args.warmup = args.warmup if args.warmup is not None else {1: 200, 2: 50, 3: 30}[args.phase]
    t_start = time.time()
    os.makedirs(args.out, exist_ok=True)
    logf = open(args.log or os.path.join(args.out, f"train_phase{args.phase}.log"), "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    sp = spm.SentencePieceProcessor(model_file=args.tokenizer)
    # the corpus is encoded once; workers fork (inheriting it) before CUDA is touched
    _init_worker(args.tokenizer, args.corpus)
    corpus = _corpus
    pool = mp.get_context("fork").Pool(args.workers)

    from transformers import LlamaForCausalLM
    device = "cuda"
    cfg = make_config(args.phase, sp.get_piece_size(), sp)
    if args.phase == 1:
        model = LlamaForCausalLM(cfg)
    else:
        try:
            model = LlamaForCausalLM.from_pretrained(args.init, config=cfg, dtype=torch.float32)
        except TypeError:
            model = LlamaForCausalLM.from_pretrained(args.init, config=cfg, torch_dtype=torch.float32)
    model.to(device).train()
    rot = model.model.rotary_emb
    log(f"phase {args.phase}: params {sum(p.numel() for p in model.parameters())/1e6:.2f} M, "
        f"rope {getattr(cfg, 'rope_parameters', None) or getattr(cfg, 'rope_scaling', None)}, "
        f"attention_scaling {getattr(rot, 'attention_scaling', None)}, "
        f"inv_freq[0,-1] {rot.inv_freq[0].item():.4g} {rot.inv_freq[-1].item():.4g}")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=True)

    auto = args.steps == "auto"
    args.steps = 10 ** 9 if auto else int(args.steps)
    prefetch = 24

    def job(step):
        b, L = plan(args, step)
        return (args.seed, args.phase, step, b, L)

    pending = {}

    def submit(step):
        pending[step] = pool.apply_async(_batch, (job(step),))

    for s in range(prefetch):
        submit(s)
    t0 = time.time()
    step, ema, hist = 0, None, []
    while step < args.steps:
        ids, ws = pending.pop(step).get()
        submit(step + prefetch)
        ids = torch.from_numpy(ids).to(device, non_blocking=True).long()
        ws = torch.from_numpy(ws).to(device, non_blocking=True)
        for g in opt.param_groups:
            g["lr"] = lr_at(args, step)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = model(ids[:, :-1]).logits
        ce = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1),
                             reduction="none")
        w = ws[:, 1:].reshape(-1)
        loss = (ce * w).sum() / w.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if auto and step == 20:
            torch.cuda.synchronize()
            per = (time.time() - t0) / 20
            left = args.budget_min * 60 - (time.time() - t_start)
            args.steps = int(left / per) + 20
            log(f"auto: {per*1000:.1f} ms/step -> --steps {args.steps}")
        if step % 50 == 0 or step == args.steps:
            lv = loss.item()
            ema = lv if ema is None else 0.9 * ema + 0.1 * lv
            hist.append((step, round(lv, 4)))
            log(f"step {step}/{args.steps} len {ids.shape[1]-1} loss {lv:.4f} ema {ema:.4f} "
                f"lr {opt.param_groups[0]['lr']:.2e} gnorm {gn:.2f} {time.time()-t0:.0f}s")
    pool.terminate()
    train_s = time.time() - t0

    # held-out loss (plain LM on the last 5 % of each text) at the trained window
    model.eval()
    held = {}
    from corpus_split import load_split
    with torch.no_grad():
        for name, _lang, _tr, ho in load_split(args.corpus):
            toks = [sp.bos_id()] + [t for line in sp.encode(ho.split("\n")) for t in line + [corpus.nl]]
            toks = torch.tensor(toks[: 1 + (len(toks) - 1) // TRAINED_WINDOW * TRAINED_WINDOW], device=device)
            if len(toks) <= TRAINED_WINDOW:
                continue
            xs = toks[:-1].reshape(-1, TRAINED_WINDOW)[:64]
            ys = toks[1:].reshape(-1, TRAINED_WINDOW)[:64]
            with torch.autocast("cuda", dtype=torch.bfloat16):
                lg = model(xs).logits.float()
            held[name] = round(math.exp(F.cross_entropy(lg.reshape(-1, lg.size(-1)), ys.reshape(-1)).item()), 2)
    log(f"held-out perplexity at {TRAINED_WINDOW}: {held}")
    lengths = [512, 2048] if args.phase == 1 else [512, 2048, 4096]
    pk = passkey_check(model, corpus, lengths, 20, args.seed, device)
    log(f"pytorch passkey (train-split filler, 20 each): {pk}")

    model.to(torch.bfloat16)
    model.save_pretrained(args.out, safe_serialization=True, max_shard_size="15MB")
    gc = os.path.join(args.out, "generation_config.json")
    if os.path.exists(gc):
        os.remove(gc)
    with open(os.path.join(args.out, f"summary_phase{args.phase}.json"), "w") as f:
        json.dump({"phase": args.phase, "steps": args.steps, "batch_tokens": args.batch_tokens,
                   "lr": args.lr, "warmup": args.warmup, "seed": args.seed, "train_seconds": round(train_s),
                   "loss_history": hist, "heldout_ppl_512": held, "pytorch_passkey": pk,
                   "mix": MIX[args.phase], "plain_share": PLAIN_SHARE[args.phase],
                   "lengths": LENGTHS_2 if args.phase > 1 else {512: 1.0},
                   "device": torch.cuda.get_device_name()}, f, indent=1)
    log(f"saved {args.out}: {sorted(os.listdir(args.out))} after {time.time()-t_start:.0f}s")


if __name__ == "__main__":
    main()
