#!/usr/bin/env python3
"""Exports the reference numbers the metric tests compare against.

Run once; the JSON is committed (Tests/FrameworkTests/Fixtures/metrics/reference.json):
    python3 -m venv /tmp/metrics-ref
    /tmp/metrics-ref/bin/pip install numpy scipy scikit-learn pycocotools
    /tmp/metrics-ref/bin/python scripts/metric_fixtures.py
Inputs are written beside the outputs, so the Swift side needs no matching random generator.
Values that enter Swift as Float are rounded to float32 here first.
"""
import contextlib
import io
import json
import pathlib

import numpy as np
import scipy.linalg
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
from sklearn.metrics import adjusted_rand_score, f1_score, jaccard_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

rng = np.random.default_rng(7)
f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)
out = {}

# Segmentation: [N, C, H, W] probabilities and soft truths; example 2 has no mask of class 1.
n, c, h, w = 4, 2, 6, 6
pred = f32(rng.uniform(size=(n, c, h, w)))
truth = f32(np.clip(pred + rng.normal(scale=0.35, size=pred.shape), 0, 1))
present = np.ones((n, c), dtype=bool)
present[2, 1] = False
thresholds = [0.3, 0.5, 0.7]
seg = {"shape": [n, c, h, w], "predictions": pred.ravel().tolist(), "targets": truth.ravel().tolist(),
       "present": present.tolist(), "thresholds": thresholds, "iou": [], "dice": [], "softDice": []}
for t in thresholds:
    iou, dice = [], []
    for k in range(c):
        p = (pred[present[:, k], k] >= t).ravel()
        y = (truth[present[:, k], k] >= 0.5).ravel()
        iou.append(jaccard_score(y, p))
        dice.append(f1_score(y, p))
    seg["iou"].append(iou)
    seg["dice"].append(dice)
for k in range(c):
    p, y = pred[present[:, k], k], truth[present[:, k], k]
    seg["softDice"].append(float(2 * (p * y).sum() / (p.sum() + y.sum())))
out["segmentation"] = seg

# Clustering: 40 labels in 3 classes, 4 clusters that mostly follow them.
labels = rng.integers(0, 3, size=40)
clusters = np.where(rng.uniform(size=40) < 0.7, labels, rng.integers(0, 4, size=40))
cm = contingency_matrix(labels, clusters)
out["clustering"] = {"labels": labels.tolist(), "clusters": clusters.tolist(),
                     "purity": float(cm.max(axis=0).sum() / cm.sum()),
                     "nmi": normalized_mutual_info_score(labels, clusters),  # arithmetic, the default
                     "ari": adjusted_rand_score(labels, clusters)}

# Fréchet distance, as pytorch-fid's calculate_frechet_distance (scipy sqrtm of Σ1Σ2).
fa = f32(rng.normal(size=(50, 4)) @ rng.normal(size=(4, 4)))
fb = f32(rng.normal(size=(60, 4)) @ rng.normal(size=(4, 4)) + 0.5)
mu1, mu2 = fa.mean(0), fb.mean(0)
s1, s2 = np.cov(fa, rowvar=False), np.cov(fb, rowvar=False)
covmean = np.real(scipy.linalg.sqrtm(s1 @ s2))
fid = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


# Kernel inception distance: k(x, y) = (xᵀy/d + 1)³ and the unbiased MMD² exactly as
# torchmetrics' maximum_mean_discrepancy (and clean-fid's kernel_distance); over one "subset"
# of all rows the random draw is a permutation, which the statistic does not see.
def mmd2(x, y):
    d = x.shape[1]
    kxx, kyy, kxy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3
    m = x.shape[0]
    return float(((kxx.sum() - np.trace(kxx)) + (kyy.sum() - np.trace(kyy))) / (m * (m - 1)) - 2 * kxy.sum() / m**2)


ka, kb = fa[:30], fb[:30]
out["frechet"] = {"a": fa.tolist(), "b": fb.tolist(), "fid": fid, "kidA": ka.tolist(), "kidB": kb.tolist(),
                  "kid": mmd2(ka, kb)}

# Detection: 6 images, 2 classes; detections are jittered truths plus false positives.
images, annotations, detections = [], [], []
gts, dts = [], []
for img in range(6):
    g_img, d_img = [], []
    for _ in range(rng.integers(1, 4)):
        x, y = rng.uniform(0, 80, size=2)
        bw, bh = rng.uniform(8, 30, size=2)
        label = int(rng.integers(1, 3))
        g = f32([x, y, x + bw, y + bh])
        g_img.append({"box": g.tolist(), "label": label})
        if rng.uniform() < 0.85:
            d = f32(g + rng.normal(scale=1.5, size=4))
            d_img.append({"box": d.tolist(), "label": label, "score": float(f32(rng.uniform(0.3, 1)))})
    for _ in range(rng.integers(0, 3)):
        x, y = rng.uniform(0, 80, size=2)
        d = f32([x, y, x + rng.uniform(8, 30), y + rng.uniform(8, 30)])
        d_img.append({"box": d.tolist(), "label": int(rng.integers(1, 3)), "score": float(f32(rng.uniform(0, 0.8)))})
    gts.append(g_img)
    dts.append(d_img)
    images.append({"id": img + 1})
    for g in g_img:
        x1, y1, x2, y2 = g["box"]
        annotations.append({"id": len(annotations) + 1, "image_id": img + 1, "category_id": g["label"],
                            "bbox": [x1, y1, x2 - x1, y2 - y1], "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
    for d in d_img:
        x1, y1, x2, y2 = d["box"]
        detections.append({"image_id": img + 1, "category_id": d["label"], "bbox": [x1, y1, x2 - x1, y2 - y1],
                           "score": d["score"]})
coco = COCO()
coco.dataset = {"images": images, "annotations": annotations, "categories": [{"id": 1}, {"id": 2}]}
with contextlib.redirect_stdout(io.StringIO()):
    coco.createIndex()
    ev = COCOeval(coco, coco.loadRes(detections), "bbox")
    ev.evaluate()
    ev.accumulate()
    ev.summarize()
precision = ev.eval["precision"][:, :, :, 0, 2]  # [IoU, recall, class] at area all, 100 detections
per_class = [float(precision[:, :, k].mean()) for k in range(2)]


def voc_ap(rec, prec):
    """All-point interpolated AP (VOC2010 onwards): area under the precision envelope."""
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(((mrec[i + 1] - mrec[i]) * mpre[i + 1]).sum())


# VOC AP50 and completeness/purity from pycocotools' own matches at IoU 0.5 (evalImgs is
# ordered class, area range, image; area "all" comes first).
voc, matched_above, dets_above = [], 0, 0
n_img = len(images)
for k in range(2):
    scores, tp, npos = [], [], 0
    for e in ev.evalImgs[k * 4 * n_img:k * 4 * n_img + n_img]:
        if e is None:
            continue
        npos += int((np.asarray(e["gtIgnore"]) == 0).sum())
        scores += e["dtScores"]
        tp += [m > 0 for m in e["dtMatches"][0]]
    order = np.argsort(-np.asarray(scores), kind="mergesort")
    tp = np.asarray(tp, dtype=float)[order]
    ctp, cfp = np.cumsum(tp), np.cumsum(1 - tp)
    voc.append(voc_ap(ctp / npos, ctp / (ctp + cfp)))
    above = np.asarray(scores) >= 0.5
    dets_above += int(above.sum())
    matched_above += int(np.asarray(tp, dtype=float)[np.argsort(order)][above].sum())
out["detection"] = {"groundTruth": gts, "detections": dts, "cocoAP": float(ev.stats[0]), "cocoAP50": float(ev.stats[1]),
                    "cocoAPPerClass": per_class, "vocAP50PerClass": voc, "vocAP50": float(np.mean(voc)),
                    "scoreThreshold": 0.5, "completeness": matched_above / len(annotations),
                    "purity": matched_above / dets_above}

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/FrameworkTests/Fixtures/metrics/reference.json"
path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
print({k: v for k, v in out["detection"].items() if k not in ("groundTruth", "detections")})
