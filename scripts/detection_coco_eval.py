#!/usr/bin/env python3
"""Scores a detection run's COCO files with pycocotools, to check them against report.html.

    /tmp/torch-ref/bin/python scripts/detection_coco_eval.py runs/clumps

Prints COCOeval's AP@[.50:.95] and AP50 (101-point) over all detections (maxDets 100).
"""
import sys

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

run = sys.argv[1]
gt = COCO(f"{run}/ground_truth_coco.json")
dt = gt.loadRes(f"{run}/detections_coco.json")
e = COCOeval(gt, dt, "bbox")
e.params.maxDets = [1, 10, 100]
e.evaluate()
e.accumulate()
e.summarize()
print(f"pycocotools: AP {e.stats[0]:.4f}, AP50 {e.stats[1]:.4f}")
