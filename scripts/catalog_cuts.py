#!/usr/bin/env python3
"""How a model-only Galaxy Zoo catalog's accuracy depends on a confidence cut.

Reads a `zoorun predict` catalog of a vote-tree run (`<q>_<a>_fraction`,
`<q>_<a>_concentration`) and a catalog with the volunteers' vote counts for the same ids
(`<q>_<a>` columns, e.g. one written by `zoorun simulate --catalog`). For each question it
keeps the galaxies the volunteers answered confidently (one answer > 0.8 of the votes, the
question asked of >= half the volunteers, as the GZ DECaLS/DESI papers score) and reports
the model's accuracy on them with no cut and when the model's own top fraction is above
each threshold, with the share of those galaxies kept.

    python3 scripts/catalog_cuts.py predictions.csv catalog.csv [--json out.json]
"""
import csv, json, sys

TREE = [  # question, answers, asked after (question_answer) — GZ DECaLS, as zoorun's gz-decals tree
    ("smooth-or-featured", ["smooth", "featured-or-disk", "artifact"], None),
    ("disk-edge-on", ["yes", "no"], "smooth-or-featured_featured-or-disk"),
    ("has-spiral-arms", ["yes", "no"], "disk-edge-on_no"),
    ("bar", ["strong", "weak", "no"], "disk-edge-on_no"),
    ("bulge-size", ["dominant", "large", "moderate", "small", "none"], "disk-edge-on_no"),
    ("how-rounded", ["round", "in-between", "cigar-shaped"], "smooth-or-featured_smooth"),
    ("edge-on-bulge", ["boxy", "none", "rounded"], "disk-edge-on_yes"),
    ("spiral-winding", ["tight", "medium", "loose"], "has-spiral-arms_yes"),
    ("spiral-arm-count", ["1", "2", "3", "4", "more-than-4", "cant-tell"], "has-spiral-arms_yes"),
    ("merging", ["none", "minor-disturbance", "major-disturbance", "merger"], None),
]
CUTS = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9]


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    predictions = {r["id_str"]: r for r in csv.DictReader(open(argv[1], newline=""))}
    votes = {r["id_str"]: r for r in csv.DictReader(open(argv[2], newline=""))}
    missing = [q for q, answers, _ in TREE if f"{q}_{answers[0]}_fraction" not in next(iter(predictions.values()))]
    if missing:
        sys.exit(f"{argv[1]}: not a vote-tree catalog (no {missing[0]}_…_fraction column)")
    after = {q: a for q, _, a in TREE}
    def parent(q):  # the question whose answer leads to q
        return next((p for p, answers, _ in TREE for a in answers if f"{p}_{a}" == after[q]), None)
    roots = {}
    for q, _, _ in TREE:
        r = q
        while after[r] is not None:
            r = parent(r)
        roots[q] = r
    out = {}
    for q, answers, _ in TREE:
        rows = []
        for gid, p in predictions.items():
            v = votes.get(gid)
            if v is None:
                continue
            counts = [float(v[f"{q}_{a}"]) for a in answers]
            total = sum(counts)
            root_answers = next(ans for name, ans, _ in TREE if name == roots[q])
            root_total = sum(float(v[f"{roots[q]}_{a}"]) for a in root_answers)
            if total <= 0 or root_total <= 0:
                continue
            best = max(range(len(answers)), key=lambda k: counts[k])
            if counts[best] / total <= 0.8 or total / root_total < 0.5:
                continue
            fractions = [float(p[f"{q}_{a}_fraction"]) for a in answers]
            top = max(range(len(answers)), key=lambda k: fractions[k])
            rows.append((fractions[top], top == best))
        result = []
        for cut in CUTS:
            kept = [ok for f, ok in rows if f > cut or cut == 0.0]
            result.append({"cut": cut, "kept": len(kept), "share": len(kept) / len(rows) if rows else 0.0,
                           "accuracy": sum(kept) / len(kept) if kept else None})
        out[q] = {"confident": len(rows), "by_cut": result}
        line = "  ".join(f">{c['cut']:.1f}: {c['accuracy']:.3f} ({100 * c['share']:.0f} %)" if c["accuracy"] is not None else f">{c['cut']:.1f}: –"
                         for c in result)
        print(f"{q:20s} {len(rows):6d} confident  {line}")
    if "--json" in argv:
        path = argv[argv.index("--json") + 1]
        with open(path + ".tmp", "w") as f:
            json.dump(out, f, indent=1)
        import os
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv)
