#!/usr/bin/env python3
"""The FIRST results table of docs/results.md from zoorun run folders.

Reads each RUN/test_metrics.json (accuracy, macro F1, one-vs-rest ROC AUC) and
RUN/confusion_matrix.csv (per-class recall = diagonal / row sum) and prints one markdown row
per run, then the mean ± sample standard deviation (n - 1) over the runs.

    python3 scripts/first_table.py runs/first-s0 runs/first-s1 runs/first-s2

Standard library only.
"""
import csv, json, os, statistics, sys


def row(run):
    with open(os.path.join(run, "test_metrics.json")) as f:
        m = json.load(f)
    with open(os.path.join(run, "confusion_matrix.csv"), newline="") as f:
        table = list(csv.reader(f))
    classes = table[0][1:]
    recall = [int(r[1 + i]) / max(1, sum(int(v) for v in r[1:])) for i, r in enumerate(table[1:])]
    return classes, [m["test_accuracy"], m["test_macro_f1"], m["test_roc_auc"]] + recall


def main():
    runs = sys.argv[1:]
    if not runs:
        sys.exit(__doc__)
    rows = [row(r) for r in runs]
    classes = rows[0][0]
    print("| run | accuracy | macro F1 | ROC AUC | " + " | ".join(f"recall {c}" for c in classes) + " |")
    print("|---" * (4 + len(classes)) + "|")
    for run, (_, values) in zip(runs, rows):
        print(f"| {os.path.basename(run.rstrip('/'))} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    if len(rows) > 1:
        columns = list(zip(*(values for _, values in rows)))
        cells = [f"{statistics.mean(c):.3f} ± {statistics.stdev(c):.3f}" for c in columns]
        print(f"| mean ± std ({len(rows)}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
