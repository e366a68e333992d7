#!/usr/bin/env python3
"""Interleaved zoorun-vs-PyTorch ratios for a few networks, to judge a bar on a noisy host.

A full sitting runs every zoorun workload and then every PyTorch one, minutes apart, so a
slow spell on the host lands on one side only. This alternates the two sides workload by
workload, for several rounds, and reports each round's ratio and their median:

    python3 scripts/bench_pairs.py --rounds 3 infer-resnet18-64 train-zoobot_like-64
    (options: --zoorun .build/release/zoorun --python /tmp/torch-ref/bin/python
              --reference ../shared/bench/torch_reference.py --threads 2)

The ratio is zoorun's median images/s over the better of PyTorch's NCHW and channels-last
medians, as scripts/bench_table.py computes it."""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

MODELS = {"resnet18": "tv_resnet18", "efficientnet_b0": "timm_efficientnet_b0",
          "convnext_nano": "timm_convnext_nano", "zoobot_like": "zoobot_like"}


def zoorun(args, workload):
    env = dict(os.environ, ZOO_THREADS=str(args.threads))
    out = subprocess.run([args.zoorun, "bench", "--worker", workload], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["median"]


def pytorch(args, kind, model, res):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run([args.python, args.reference, "--only", "models", "--models", MODELS[model],
                        "--kinds", kind, "--json", f.name], check=True, capture_output=True, text=True)
        rows = json.load(open(f.name))["models"]
    medians = [r["img_per_s"]["median"] for r in rows if r["res"] == res]
    if not medians:
        raise SystemExit(f"the PyTorch reference measured no {kind} {model} at {res} px")
    return max(medians)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workloads", nargs="+", help="zoorun workload names, e.g. infer-resnet18-64")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--zoorun", default=".build/release/zoorun")
    p.add_argument("--python", default="/tmp/torch-ref/bin/python")
    p.add_argument("--reference", default="../shared/bench/torch_reference.py")
    args = p.parse_args()
    print("| workload | round | zoorun img/s | PyTorch better layout img/s | ratio |")
    print("|---|---|---|---|---|")
    summary = []
    for workload in args.workloads:
        kind, rest = workload.split("-", 1)
        model, res = rest.rsplit("-", 1)
        if kind not in ("train", "infer") or model not in MODELS or not res.isdigit():
            raise SystemExit(f"'{workload}' is not a network workload (train|infer-MODEL-RES, MODEL one of {', '.join(MODELS)})")
        ratios = []
        for r in range(1, args.rounds + 1):
            ours = zoorun(args, workload)
            theirs = pytorch(args, kind, model, int(res))
            ratios.append(ours / theirs)
            print(f"| {workload} | {r} | {ours:.0f} | {theirs:.0f} | {ours / theirs:.2f}× |", flush=True)
        summary.append((workload, statistics.median(ratios), min(ratios), max(ratios)))
    print()
    print("| workload | median ratio | range |")
    print("|---|---|---|")
    for workload, med, lo, hi in summary:
        print(f"| {workload} | {med:.2f}× | {lo:.2f}–{hi:.2f}× |")


if __name__ == "__main__":
    main()
