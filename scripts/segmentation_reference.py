#!/usr/bin/env python3
"""PyTorch counterpart of zoorun's segmentation run with the residual U-Net (zoobot-3d's shape).

Reads a catalog exported by
    zoorun simulate --n 600 --catalog DIR --mask-volunteers 15 --masks bar,spiral,bar_volunteers,spiral_volunteers
adds a deterministic split column (rows i % 5 in 0-2 train, 3 val, 4 test) as DIR/catalog_split.csv
(`--prepare`), then trains the same network as `decoder: {kind: residual-unet}` with the same
optimizer (AdamW, constant rate), loss (BCE + soft Dice per galaxy and mask, summed over masks),
epochs and batch size on the volunteer masks, and scores the test split against the binary
masks: IoU and Dice at 0.5 with pixels pooled over galaxies, per mask. Prints one JSON line.

    python3 scripts/segmentation_reference.py DIR --prepare
    python3 scripts/segmentation_reference.py DIR --epochs 8 --base-filters 16
"""
import argparse, csv, json, math, os, time

import numpy as np
import torch
from torch import nn
from PIL import Image

MASKS = ["bar_volunteers", "spiral_volunteers"]
TRUTH = ["bar", "spiral"]


def prepare(folder):
    with open(os.path.join(folder, "catalog.csv")) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    with open(os.path.join(folder, "catalog_split.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header + ["split"])
        for i, r in enumerate(body):
            w.writerow(r + [["train", "train", "train", "val", "test"][i % 5]])


def load(folder):
    with open(os.path.join(folder, "catalog_split.csv")) as f:
        rows = list(csv.DictReader(f))
    def png(rel, grey):
        a = np.asarray(Image.open(os.path.join(folder, rel)).convert("L" if grey else "RGB"), dtype=np.float32) / 255
        return a[None] if grey else a.transpose(2, 0, 1)
    out = {}
    for part in ["train", "val", "test"]:
        rs = [r for r in rows if r["split"] == part]
        x = np.stack([png(r["file_loc"], False) for r in rs])
        y = np.stack([np.concatenate([png(r[f"{m}_mask_loc"], True) for m in MASKS]) for r in rs])
        t = np.stack([np.concatenate([png(r[f"{m}_mask_loc"], True) for m in TRUTH]) for r in rs])
        out[part] = (torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(t))
    return out


class ConvNorm(nn.Module):
    def __init__(self, cin, cout, act):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = act

    def forward(self, x):
        y = self.bn(self.conv(x))
        return nn.functional.mish(y) if self.act else y


class Residual(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a, self.b = ConvNorm(cin, cout, True), ConvNorm(cout, cout, False)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x):
        return nn.functional.mish(self.b(self.a(x)) + self.skip(x))


class ResidualUNet(nn.Module):
    def __init__(self, cin, classes, base, mults=(1, 2, 4, 8), drops=(0, 0, 0.3, 0.3)):
        super().__init__()
        w = [base * m for m in mults]
        ins = [cin] + w[:-1]
        self.downs = nn.ModuleList()
        for i in range(len(w)):
            last = i == len(w) - 1
            self.downs.append(nn.ModuleList([Residual(ins[i], w[i]), Residual(w[i], w[i]),
                                             nn.Dropout(drops[i]) if drops[i] > 0 else nn.Identity(),
                                             nn.Identity() if last else nn.Conv2d(w[i], w[i], 3, stride=2, padding=1)]))
        self.mid = nn.Sequential(Residual(w[-1], w[-1]), Residual(w[-1], w[-1]))
        self.ups = nn.ModuleList([nn.ModuleList([Residual(2 * w[i], w[i - 1]), Residual(w[i - 1], w[i - 1]),
                                                 nn.ConvTranspose2d(w[i - 1], w[i - 1], 4, stride=2, padding=1)])
                                  for i in range(len(w) - 1, 0, -1)])
        self.final = ConvNorm(w[0], cin, True)
        self.out = nn.Conv2d(cin, classes, 1)
        nn.init.constant_(self.out.bias, math.log(0.05 / 0.95))   # as zoorun: start at 5 % foreground

    def forward(self, x):
        skips = []
        for r1, r2, drop, down in self.downs:
            x = drop(r2(r1(x)))
            skips.append(x)
            x = down(x)
        x = self.mid(x)
        for r1, r2, up in self.ups:
            x = up(r2(r1(torch.cat([x, skips.pop()], 1))))
        return self.out(self.final(x))


def loss_fn(z, y):
    """BCE averaged over pixels + soft Dice (ε = 1), per galaxy and mask; batch mean, summed over masks."""
    bce = nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none").mean((2, 3))
    p = torch.sigmoid(z)
    dice = 1 - (2 * (p * y).sum((2, 3)) + 1) / (p.sum((2, 3)) + y.sum((2, 3)) + 1)
    return (bce + dice).mean(0).sum()


def scores(p, t):
    out = {}
    for k, name in enumerate(TRUTH):
        pred, truth = p[:, k] >= 0.5, t[:, k] >= 0.5
        inter, ps, ts = (pred & truth).sum().item(), pred.sum().item(), truth.sum().item()
        out[f"iou_50_{name}"] = inter / (ps + ts - inter) if ps + ts - inter else float("nan")
        out[f"dice_50_{name}"] = 2 * inter / (ps + ts) if ps + ts else float("nan")
    out["iou_50"] = float(np.mean([out[f"iou_50_{n}"] for n in TRUTH]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--prepare", action="store_true")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--base-filters", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.prepare:
        prepare(a.folder)
        return
    torch.manual_seed(a.seed)
    data = load(a.folder)
    x, y, _ = data["train"]
    model = ResidualUNet(3, len(MASKS), a.base_filters)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    start = time.time()
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(x))
        for i in range(0, len(x), a.batch_size):
            idx = order[i:i + a.batch_size]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    seconds = time.time() - start
    model.eval()
    xt, _, tt = data["test"]
    with torch.no_grad():
        p = torch.cat([torch.sigmoid(model(xt[i:i + 64])) for i in range(0, len(xt), 64)])
    result = scores(p, tt)
    result.update(train_seconds=round(seconds, 1), epochs=a.epochs, train=len(x), test=len(xt), threads=torch.get_num_threads())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
