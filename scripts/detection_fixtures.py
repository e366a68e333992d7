#!/usr/bin/env python3
"""Exports torchvision's detection semantics as fixtures for the Detection plugin's tests.

Run by hand (CI has no PyTorch; the JSON it writes is committed):
    python3 -m venv /tmp/torch-ref && /tmp/torch-ref/bin/pip install torch torchvision
    /tmp/torch-ref/bin/python scripts/detection_fixtures.py
Writes Tests/DetectionTests/Fixtures/torchvision.json. Every input is written beside its
outputs, so the Swift side needs no matching random generator; random inputs are float32.
Samplers are given batches larger than the anchors, so every label is drawn and the losses
are deterministic.
"""
import json
import math
import pathlib

import torch
import torchvision
from torchvision.models.detection import _utils as det_utils
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.roi_heads import RoIHeads, fastrcnn_loss
from torchvision.models.detection.rpn import RegionProposalNetwork, RPNHead
from torchvision.ops import MultiScaleRoIAlign, batched_nms, box_iou, nms, roi_align

torch.manual_seed(5)
out = {"torch": torch.__version__, "torchvision": torchvision.__version__}


def flat(t):
    # Nine significant digits round-trip a float32 exactly.
    return [float(f"{v:.9g}") for v in t.detach().float().reshape(-1).tolist()]


def random_boxes(n, size, min_side=1.0, max_side=12.0):
    xy = torch.rand(n, 2) * (size - max_side)
    wh = min_side + torch.rand(n, 2) * (max_side - min_side)
    return torch.cat([xy, xy + wh], dim=1)


# Anchors: two levels of a 48×40 image (feature maps 12×10 and 6×5), three ratios (h / w).
# Sizes 5 and 12 put base corners on exact halves, where torch.round goes to even.
sizes, ratios = ((5, 8), (12, 20)), (0.5, 1.0, 2.0)
gen = AnchorGenerator(sizes=sizes, aspect_ratios=(ratios,) * 2)
images = ImageList(torch.zeros(1, 3, 48, 40), [(48, 40)])
maps = [torch.zeros(1, 4, 12, 10), torch.zeros(1, 4, 6, 5)]
anchors = gen(images, maps)[0]
out["anchors"] = {"sizes": [list(s) for s in sizes], "ratios": list(ratios), "image": [48, 40],
                  "features": [[12, 10], [6, 5]], "anchors": flat(anchors)}

# Box coder: encode targets against references, decode deltas (some past the clamp).
for name, weights in [("rpn", (1.0, 1.0, 1.0, 1.0)), ("roi", (10.0, 10.0, 5.0, 5.0))]:
    coder = det_utils.BoxCoder(weights)
    refs, targets = random_boxes(20, 64), random_boxes(20, 64)
    deltas = torch.randn(20, 8) * 2
    deltas[3, 2] = 9.0   # dw past log(1000/16) × weight
    deltas[7, 7] = 40.0  # dh past the clamp, second class
    out[f"coder_{name}"] = {"weights": list(weights), "references": flat(refs), "targets": flat(targets),
                            "encoded": flat(coder.encode_single(targets, refs)),
                            "deltas": flat(deltas), "decoded": flat(coder.decode_single(deltas, refs))}

# Matchers on IoU of random truths and boxes, and a crafted low-quality case: a 3-pixel
# clump overlapping no anchor by 0.3, two anchors tying for it, one of them nearer another truth.
truth, boxes = random_boxes(5, 48, 2, 10), random_boxes(60, 48, 2, 12)
q = box_iou(truth, boxes)
matchers = {}
for key, m in [("rpn", det_utils.Matcher(0.7, 0.3, allow_low_quality_matches=True)),
               ("roi", det_utils.Matcher(0.5, 0.5, allow_low_quality_matches=False))]:
    matchers[key] = m(q).tolist()
low_truth = torch.tensor([[10.0, 10.0, 13.0, 13.0], [20.0, 20.0, 28.0, 28.0]])
low_boxes = torch.tensor([[8.0, 8.0, 16.0, 16.0], [9.0, 9.0, 17.0, 17.0], [11, 11, 19, 19], [20, 20, 28, 29],
                          [40, 40, 48, 48], [7.0, 7.0, 15.0, 15.0]])
low_q = box_iou(low_truth, low_boxes)
out["matcher"] = {"truth": flat(truth), "boxes": flat(boxes), "rpn": matchers["rpn"], "roi": matchers["roi"],
                  "low_truth": flat(low_truth), "low_boxes": flat(low_boxes),
                  "low_quality": det_utils.Matcher(0.7, 0.3, True)(low_q).tolist(),
                  "without_low_quality": det_utils.Matcher(0.7, 0.3, False)(low_q).tolist()}

# NMS keep lists, plain and per class.
nb = random_boxes(80, 48, 3, 14)
scores = torch.rand(80)
classes = torch.randint(1, 4, (80,))
out["nms"] = {"boxes": flat(nb), "scores": flat(scores), "classes": classes.tolist(),
              "keep_0.5": nms(nb, scores, 0.5).tolist(), "keep_0.3": nms(nb, scores, 0.3).tolist(),
              "batched_0.5": batched_nms(nb, scores, classes, 0.5).tolist()}

# RoIAlign at stride 4 (output 7, sampling ratio 2, aligned false) and MultiScaleRoIAlign over
# stride-4 and stride-8 maps, with boxes large enough to reach the coarser level.
feat4, feat8 = torch.randn(2, 3, 16, 16), torch.randn(2, 3, 8, 8)
rois = torch.cat([torch.tensor([[0.0], [1], [0], [1], [0]]),
                  torch.tensor([[3.0, 4, 11, 9], [0.5, 0.5, 2, 2.5], [20, 30, 63, 63], [-3, 5, 12, 70], [10, 10, 60, 40]])], dim=1)
pooled = roi_align(feat4, rois, output_size=7, spatial_scale=0.25, sampling_ratio=2, aligned=False)
# MultiScaleRoIAlign maps a box of side s to level ⌊4 + log2(s / 224)⌋: on a 128 px image, sides
# of 112 px and more go to the stride-8 map, smaller ones to the stride-4 map.
msra = MultiScaleRoIAlign(["a", "b"], output_size=7, sampling_ratio=2)
ms_maps = {"a": torch.randn(2, 1, 32, 32), "b": torch.randn(2, 1, 16, 16)}
ms_boxes = [torch.tensor([[0.0, 0, 127, 127], [2, 2, 40, 40]]), torch.tensor([[5.0, 5, 120, 125], [0, 0, 100, 90], [1, 1, 3, 3]])]
ms_pooled = msra(ms_maps, ms_boxes, [(128, 128), (128, 128)])
out["roi_align"] = {"features": flat(feat4), "shape": list(feat4.shape), "boxes": flat(rois), "pooled": flat(pooled),
                    "ms_features": [flat(ms_maps["a"]), flat(ms_maps["b"])], "ms_shapes": [list(ms_maps["a"].shape), list(ms_maps["b"].shape)],
                    "ms_boxes": [flat(b) for b in ms_boxes], "ms_pooled": flat(ms_pooled), "ms_strides": [4, 8]}

# fastrcnn_loss for fixed head outputs: 12 sampled proposals over 3 classes (0 = background).
logits = torch.randn(12, 3)
box_regression = torch.randn(12, 12)
labels = torch.tensor([0, 1, 2, 0, 0, 1, 1, 0, 2, 0, 0, 1])
targets = torch.randn(12, 4)
cls_loss, box_loss = fastrcnn_loss(logits, box_regression, [labels], [targets])
out["fastrcnn_loss"] = {"logits": flat(logits), "box_regression": flat(box_regression), "labels": labels.tolist(),
                        "targets": flat(targets), "classification": float(cls_loss), "box_regression_loss": float(box_loss)}

# The RPN on two 32×32 images with fixed stride-4 head outputs: anchor labels (matcher with
# low-quality matches), the two losses with every anchor sampled, and the filtered proposals.
rpn_gen = AnchorGenerator(sizes=((6, 10),), aspect_ratios=((0.5, 1.0, 2.0),))
head = RPNHead(4, 6)
rpn = RegionProposalNetwork(rpn_gen, head, fg_iou_thresh=0.7, bg_iou_thresh=0.3, batch_size_per_image=100000,
                            positive_fraction=0.5, pre_nms_top_n=dict(training=40, testing=30),
                            post_nms_top_n=dict(training=20, testing=15), nms_thresh=0.7, score_thresh=0.0)
rpn_images = ImageList(torch.zeros(2, 3, 32, 32), [(32, 32), (32, 32)])
rpn_maps = [torch.zeros(2, 4, 8, 8)]
rpn_anchors = rpn_gen(rpn_images, rpn_maps)
gt = [{"boxes": torch.tensor([[4.0, 4, 9, 9], [20, 10, 24, 14], [14, 22, 26, 30]]), "labels": torch.tensor([1, 1, 1])},
      {"boxes": torch.tensor([[1.0, 1, 4, 4]]), "labels": torch.tensor([1])}]
objectness = torch.randn(2, 8 * 8 * 6)
deltas = torch.randn(2, 8 * 8 * 6, 4) * 0.3
rpn_labels, matched = rpn.assign_targets_to_anchors(rpn_anchors, gt)
reg = rpn.box_coder.encode(matched, rpn_anchors)
obj_loss, rpn_box_loss = rpn.compute_loss(objectness.reshape(-1, 1), deltas.reshape(-1, 4), rpn_labels, reg)
rpn.eval()
proposals = rpn.box_coder.decode(deltas.reshape(-1, 4), rpn_anchors).view(2, -1, 4)
kept, kept_scores = rpn.filter_proposals(proposals, objectness.reshape(-1, 1), rpn_images.image_sizes, [8 * 8 * 6])
out["rpn"] = {"image": [32, 32], "features": [8, 8], "sizes": [[6, 10]], "ratios": [0.5, 1.0, 2.0],
              "truth": [flat(t["boxes"]) for t in gt], "objectness": flat(objectness), "deltas": flat(deltas),
              "labels": [l.int().tolist() for l in rpn_labels], "objectness_loss": float(obj_loss),
              "box_loss": float(rpn_box_loss), "pre_nms_top_n": 30, "post_nms_top_n": 15,
              "proposals": [flat(p) for p in kept], "scores": [flat(s) for s in kept_scores]}

# The box head's post-processing for fixed outputs: 10 proposals on one 32×32 image, 3 classes.
roi = RoIHeads(None, None, None, 0.5, 0.5, 512, 0.25, None, score_thresh=0.05, nms_thresh=0.5, detections_per_img=6)
props = [random_boxes(10, 32, 3, 10)]
post_logits = torch.randn(10, 3) * 2
post_deltas = torch.randn(10, 12) * 0.5
dboxes, dscores, dlabels = roi.postprocess_detections(post_logits, post_deltas, props, [(32, 32)])
out["postprocess"] = {"image": [32, 32], "proposals": flat(props[0]), "logits": flat(post_logits), "deltas": flat(post_deltas),
                      "score_threshold": 0.05, "nms_threshold": 0.5, "detections_per_image": 6,
                      "boxes": flat(dboxes[0]), "scores": flat(dscores[0]), "labels": dlabels[0].tolist()}

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/DetectionTests/Fixtures/torchvision.json"
path.write_text(json.dumps(out, separators=(",", ":")))
print(f"wrote {path} ({path.stat().st_size} bytes)")
