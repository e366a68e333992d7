#!/usr/bin/env python3
"""Unpack the FIRST radio galaxies of the `firstgalaxydata` package into a zoorun catalog.

The package (PyPI, MIT; Griese et al. 2023, Data in Brief 47, 108974) ships galaxy_data.zip:
2,158 grey 300 × 300 PNGs of FIRST radio sources in four classes, filed as
galaxy_data/<split>/<class>/<RA>_<DEC>_<label>_<source>.png with the published split
train / valid / test (1,758 / 200 / 200). This script extracts those three splits (the zip's
`all/` folder repeats them) to OUT/images/<id>.png and writes OUT/catalog.csv with the columns

    id_str, file_loc, label (0 FRI, 1 FRII, 2 Compact, 3 Bent), class, split, ra, dec, source

`split` keeps the package's spelling (`valid`), which zoorun's `split_column` reads as val.

    data/first/.venv/bin/python scripts/first_catalog.py data/first

Run by `make first-data`, with the interpreter of the venv the package is installed in (it
finds the zip there without importing the package, whose import needs torch). Standard
library only. It checks the counts against the package's README, writes into a temporary
folder beside OUT and moves the result into place, so an interrupted run leaves nothing
half-written; a complete OUT is left alone. The data is never committed (/data/ is ignored).
"""
import csv, importlib.util, os, shutil, sys, tempfile, zipfile

CLASSES = ["FRI", "FRII", "Compact", "Bent"]
SPLITS = {"train": [395, 824, 291, 248], "valid": [50, 50, 50, 50], "test": [50, 50, 50, 50]}
TOTAL = sum(sum(n) for n in SPLITS.values())
COLUMNS = ["id_str", "file_loc", "label", "class", "split", "ra", "dec", "source"]


def package_zip():
    spec = importlib.util.find_spec("firstgalaxydata")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("first_catalog: the package firstgalaxydata is not installed for " + sys.executable)
    path = os.path.join(list(spec.submodule_search_locations)[0], "galaxy_data.zip")
    if not os.path.isfile(path):
        sys.exit(f"first_catalog: {path} not found; is this firstgalaxydata 0.2.1?")
    return path


def members(archive):
    """(zip member, row) for each PNG of the three splits, sorted by split then id."""
    rows = []
    for name in archive.namelist():
        parts = name.split("/")
        if len(parts) != 4 or parts[0] != "galaxy_data" or parts[1] not in SPLITS or not parts[3].endswith(".png"):
            continue
        split, cls, stem = parts[1], parts[2], parts[3][:-4]
        ra, dec, label, source = stem.split("_", 3)
        if cls not in CLASSES or int(label) != CLASSES.index(cls):
            sys.exit(f"first_catalog: {name}: label {label} in the name disagrees with the folder {cls}")
        rows.append((name, {"id_str": stem, "file_loc": f"images/{stem}.png", "label": label, "class": cls,
                            "split": split, "ra": ra, "dec": dec, "source": source}))
    rows.sort(key=lambda r: (list(SPLITS).index(r[1]["split"]), r[1]["id_str"]))
    return rows


def check_counts(rows):
    ids = [r["id_str"] for _, r in rows]
    if len(set(ids)) != len(ids):
        sys.exit("first_catalog: repeated galaxy ids in the zip")
    for split, expected in SPLITS.items():
        found = [sum(1 for _, r in rows if r["split"] == split and r["class"] == c) for c in CLASSES]
        if found != expected:
            sys.exit(f"first_catalog: {split} has {found} galaxies per class {CLASSES}, the package documents {expected}")


def complete(out):
    """Whether OUT already holds the whole catalog and every image it names."""
    catalog = os.path.join(out, "catalog.csv")
    if not os.path.isfile(catalog):
        return False
    with open(catalog, newline="") as f:
        rows = list(csv.DictReader(f))
    return len(rows) == TOTAL and all(os.path.isfile(os.path.join(out, r["file_loc"])) for r in rows)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    if complete(out):
        print(f"first_catalog: {out}/catalog.csv is complete ({TOTAL} galaxies); nothing to do")
        return
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(package_zip()) as archive:
        rows = members(archive)
        check_counts(rows)
        work = tempfile.mkdtemp(prefix=".first-", dir=out)
        try:
            os.makedirs(os.path.join(work, "images"))
            for name, row in rows:
                with archive.open(name) as src, open(os.path.join(work, row["file_loc"]), "wb") as dst:
                    shutil.copyfileobj(src, dst)
            with open(os.path.join(work, "catalog.csv"), "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(row for _, row in rows)
            # Images first, the catalog last: a catalog present means its images are.
            for leftover in ("catalog.csv", "images"):
                target = os.path.join(out, leftover)
                if os.path.isdir(target):
                    shutil.rmtree(target)
                elif os.path.exists(target):
                    os.remove(target)
            os.rename(os.path.join(work, "images"), os.path.join(out, "images"))
            os.rename(os.path.join(work, "catalog.csv"), os.path.join(out, "catalog.csv"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    counts = ", ".join(f"{s} {sum(1 for _, r in rows if r['split'] == s)}" for s in SPLITS)
    print(f"first_catalog: wrote {out}/catalog.csv: {len(rows)} galaxies ({counts})")


if __name__ == "__main__":
    main()
