#!/usr/bin/env python3
"""Write the gz-rings catalog with the five cross-validation splits of ../shared/bench/rings_reference.py.

zoorun reads one split column per run (`data.split_column`), so each fold becomes a column
`fold0` … `fold4` whose values are train / val / test. The folds are the reference recipe's:
per class, a NumPy RandomState(seed) shuffle dealt round-robin into k folds; within the rest,
per class, RandomState(seed + fold) shuffle and round(0.15·n) galaxies of each class for
validation. file_loc becomes an absolute path, so the written catalog can live anywhere
(experiments set `allow_outside_catalog_folder: true`).

    python3 scripts/rings_folds.py ../shared/data/gz-rings/catalog.csv runs/rings-folds/catalog.csv

Needs only NumPy. The catalog is derived data: it is written under runs/, never committed.
"""
import csv, os, sys
import numpy as np


def stratified_folds(y, k, seed):
    rng = np.random.RandomState(seed)
    folds = [[] for _ in range(k)]
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rng.shuffle(members)
        for position, index in enumerate(members):
            folds[position % k].append(index)
    return [sorted(f) for f in folds]


def validation_part(rest, y, fraction, seed):
    rng = np.random.RandomState(seed)
    chosen = []
    for label in np.unique(y[rest]):
        members = rest[y[rest] == label].copy()
        rng.shuffle(members)
        chosen += members[:int(round(fraction * len(members)))].tolist()
    return set(chosen)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, target = sys.argv[1], sys.argv[2]
    k, seed, label = 5, 0, "ring"
    with open(source, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or label not in rows[0]:
        sys.exit(f"{source}: needs a '{label}' column")
    y = np.array([int(r[label]) for r in rows])
    folder = os.path.dirname(os.path.abspath(source))
    for i, test in enumerate(stratified_folds(y, k, seed)):
        rest = np.array(sorted(set(range(len(rows))) - set(test)))
        val = validation_part(rest, y, 0.15, seed + i)
        test = set(test)
        for j, r in enumerate(rows):
            r[f"fold{i}"] = "test" if j in test else "val" if j in val else "train"
    for r in rows:
        r["file_loc"] = os.path.join(folder, r["file_loc"])
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    temporary = target + ".tmp"
    with open(temporary, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    os.replace(temporary, target)
    counts = {s: sum(r["fold0"] == s for r in rows) for s in ("train", "val", "test")}
    print(f"{target}: {len(rows)} galaxies, {k} folds (fold0: {counts})")


if __name__ == "__main__":
    main()
