#!/usr/bin/env python3
"""Markdown table of `longlens-bench grounding --json` output (one JSON object per line).

    bench/grounding/table.py before.jsonl [after.jsonl ...]

One row per (file, set, variant): questions, recall@1/@5, in context, top-1 / top-3 citation hit,
citation precision, answer contains gold, seconds per question, thin contexts; then the
position histograms (top citation vs gold span, 5 bins from the context's start to its end)."""
import json
import sys


def pct(v):
    return "-" if v is None else f"{100 * v:.0f} %"


rows, hist = [], []
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        s = r["summary"]
        rec = s["recall_at"]
        parts = path.rsplit(".", 1)[0].split("/")
        label = "/".join(parts[-2:])  # before/ref-mini
        if r.get("variant"):  # --variants: the same answers, other attribution
            label += " · " + r["variant"]
        rows.append(
            f'| {label} | {r["model"]} | {r["set"]} | {s["n"]} | {pct(rec.get("1"))} | '
            f'{pct(rec.get("5"))} | {pct(s["in_context"])} | {pct(s["top1_hit"])} | '
            f'{pct(s["top3_hit"])} | {pct(s["citation_precision"])} | '
            f'{pct(s.get("answer_contains_gold"))} | {s["seconds_per_question"]:.2f} | '
            f'{s.get("thin_context", 0)} |')
        hist.append(
            f'| {label} | {r["model"]} | {r["set"]} | '
            f'{" ".join(str(v) for v in s["top_citation_position_histogram"])} | '
            f'{" ".join(str(v) for v in s["gold_position_histogram"])} | '
            f'{s["top_citation_in_first_two_passages"]}/{s["multi_passage"]} | '
            f'{s["gold_in_first_two_passages"]}/{s["multi_passage"]} |')

print("| run | model | set | n | recall@1 | recall@5 | in context | top-1 hit | top-3 hit "
      "| citation precision | answer has gold | s/question | thin |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print("\n".join(rows))
print()
print("| run | model | set | top citation position (5 bins) | gold position (5 bins) "
      "| top citation in 1st/2nd passage | gold in 1st/2nd passage |")
print("| --- | --- | --- | --- | --- | ---: | ---: |")
print("\n".join(hist))
