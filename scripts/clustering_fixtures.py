#!/usr/bin/env python3
"""Exports the scikit-learn / NumPy reference numbers the Clustering plugin's tests compare against.

Run once; the JSON is committed (Tests/ClusteringTests/Fixtures/clustering.json):
    /tmp/torch-ref/bin/python scripts/clustering_fixtures.py      # any venv with numpy + scikit-learn
Inputs are written beside the outputs (rounded to float32), so Swift needs no matching random
generator. k-means and the mixtures are compared up to a relabelling of the clusters.
"""
import json
import pathlib

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

rng = np.random.default_rng(11)
f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)
out = {}

# k-means: four blobs in 5-d, overlapping enough that the optimum is not trivial.
x, _ = make_blobs(n_samples=300, n_features=5, centers=4, cluster_std=1.6, random_state=3)
x = f32(x)
km = KMeans(n_clusters=4, n_init=10, random_state=0).fit(x)
out["kmeans"] = {"x": x.tolist(), "k": 4, "inertia": float(km.inertia_), "labels": km.labels_.tolist(),
                 "centres": km.cluster_centers_.tolist()}

# Gaussian mixtures: three anisotropic, differently sized groups in 3-d.
parts = []
for mean, cov, n in [([0, 0, 0], [[1.0, 0.6, 0], [0.6, 1.0, 0.2], [0, 0.2, 0.5]], 160),
                     ([5, 1, -2], [[0.4, 0, 0], [0, 2.0, -0.5], [0, -0.5, 0.8]], 120),
                     ([-3, 6, 2], [[1.5, 0.3, 0.3], [0.3, 0.5, 0], [0.3, 0, 1.0]], 80)]:
    parts.append(rng.multivariate_normal(mean, cov, size=n))
g = f32(np.concatenate(parts))
out["gmm"] = {"x": g.tolist()}
for cov in ["full", "diag"]:
    m = GaussianMixture(n_components=3, covariance_type=cov, random_state=0).fit(g)
    out["gmm"][cov] = {"weights": m.weights_.tolist(), "means": m.means_.tolist(), "bic": float(m.bic(g)),
                       "mean_log_likelihood": float(m.score(g)), "labels": m.predict(g).tolist()}
# BIC over k = 1…5 with full covariance: the minimum should be at 3.
out["gmm"]["bic_by_k"] = {str(k): float(GaussianMixture(n_components=k, random_state=0).fit(g).bic(g)) for k in range(1, 6)}

# Agglomerative clustering of 40 points into 4 groups.
a = f32(np.concatenate([rng.normal(c, 0.7, size=(10, 2)) for c in [(0, 0), (4, 0), (0, 4), (4, 5)]]))
out["agglomerative"] = {"x": a.tolist(), "groups": 4}
for link in ["ward", "average"]:
    out["agglomerative"][link] = AgglomerativeClustering(n_clusters=4, linkage=link).fit(a).labels_.tolist()

# Radially averaged power spectrum: mean |FFT|^2 per rounded radius 0..p//2 of signed frequencies.
def radial_power(patch):
    p = patch.shape[0]
    power = np.abs(np.fft.fft2(patch)) ** 2
    f = np.fft.fftfreq(p) * p
    r = np.rint(np.sqrt(f[:, None] ** 2 + f[None, :] ** 2)).astype(int)
    return [float(power[r == b].mean()) for b in range(p // 2 + 1)]

out["power_spectrum"] = []
for p in [8, 7, 16]:
    patch = f32(rng.normal(size=(p, p)) + np.outer(np.hanning(p), np.hanning(p)) * 3)
    out["power_spectrum"].append({"patch": patch.tolist(), "power": radial_power(patch)})

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/ClusteringTests/Fixtures/clustering.json"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(out))
print(f"wrote {path} ({path.stat().st_size} bytes)")
