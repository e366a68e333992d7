#!/usr/bin/env python3
"""COCO AP by box size on the detection fixture of metric_fixtures.py, from pycocotools.

Reads the ground truth and detections stored in Tests/FrameworkTests/Fixtures/metrics/
reference.json, scores them with COCOeval over area ranges chosen to split the fixture's
boxes (areas 160-700 pixels²) into thirds, and writes Fixtures/metrics/detection_area.json for
DetectionMetricsTests.

    /tmp/coco/bin/pip install pycocotools && /tmp/coco/bin/python scripts/detection_area_fixture.py
"""
import contextlib, io, json, os, pathlib

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

RANGES = [("small", 0, 300), ("medium", 300, 400), ("large", 400, 1e10)]

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Tests/FrameworkTests/Fixtures/metrics"
ref = json.loads((fixtures / "reference.json").read_text())["detection"]
images, annotations, detections = [], [], []
for i, (gts, dts) in enumerate(zip(ref["groundTruth"], ref["detections"])):
    images.append({"id": i + 1})
    for g in gts:
        x1, y1, x2, y2 = g["box"]
        annotations.append({"id": len(annotations) + 1, "image_id": i + 1, "category_id": g["label"],
                            "bbox": [x1, y1, x2 - x1, y2 - y1], "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
    for d in dts:
        x1, y1, x2, y2 = d["box"]
        detections.append({"image_id": i + 1, "category_id": d["label"], "bbox": [x1, y1, x2 - x1, y2 - y1], "score": d["score"]})
coco = COCO()
coco.dataset = {"images": images, "annotations": annotations, "categories": [{"id": 1}, {"id": 2}]}
with contextlib.redirect_stdout(io.StringIO()):
    coco.createIndex()
    ev = COCOeval(coco, coco.loadRes(detections), "bbox")
    ev.params.areaRng = [[0, 1e10]] + [[lo, hi] for _, lo, hi in RANGES]
    ev.params.areaRngLbl = ["all"] + [name for name, _, _ in RANGES]
    ev.evaluate()
    ev.accumulate()
out = {"ranges": [], "all": None}
for a, (name, lo, hi) in enumerate([("all", 0, 1e10)] + RANGES):
    p = ev.eval["precision"][:, :, :, a, 2]  # [IoU, recall, class], 100 detections
    valid = p[p > -1]
    value = float(valid.mean()) if valid.size else None
    counts = int(sum(1 for g in annotations if lo <= g["area"] <= hi))
    entry = {"name": name, "min": lo, "max": hi, "ap": value, "truths": counts}
    if name == "all":
        out["all"] = entry
    else:
        out["ranges"].append(entry)
path = fixtures / "detection_area.json"
tmp = path.with_suffix(".tmp")
tmp.write_text(json.dumps(out, indent=1) + "\n")
os.replace(tmp, path)
print(f"wrote {path}: {out}")
