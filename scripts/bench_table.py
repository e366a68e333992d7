#!/usr/bin/env python3
"""Side-by-side table of `zoorun bench --json` and ../shared/bench/torch_reference.py --json.

    python3 scripts/bench_table.py bench/zoorun.json bench/torch.json

Ratios are zoorun / the better of PyTorch's NCHW and channels-last medians (images/s)."""
import json
import sys

ours = {r["name"]: r for r in json.load(open(sys.argv[1]))}
ref = json.load(open(sys.argv[2]))["models"]
names = {"tv_resnet18": "resnet18", "timm_efficientnet_b0": "efficientnet_b0",
         "timm_convnext_nano": "convnext_nano", "zoobot_like": "zoobot_like"}
best = {}
for r in ref:
    key = (r["kind"], names.get(r["model"], r["model"]), r["res"])
    entry = best.setdefault(key, {})
    entry[r["memfmt"]] = r["img_per_s"]["median"]
    entry["rss"] = max(entry.get("rss", 0), r.get("peak_rss_mb", 0))
print("| mode | model | input | zoorun img/s | PyTorch NCHW / channels-last img/s | ratio vs better | zoorun peak RSS | PyTorch peak RSS |")
print("|---|---|---|---|---|---|---|---|")
for (kind, model, res), e in sorted(best.items()):
    name = f"{kind}-{model}-{res}"
    if name not in ours:
        continue
    o = ours[name]
    better = max(e.get("nchw", 0), e.get("cl", 0))
    print(f"| {kind} | {model} | {res}² | {o['median']:.0f} | {e.get('nchw', 0):.0f} / {e.get('cl', 0):.0f} | "
          f"{o['median'] / better:.2f}× | {o.get('peakRSSMB', 0):.0f} MB | {e['rss']:.0f} MB |")
