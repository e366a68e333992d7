#!/usr/bin/env python3
"""Exports the reference values LinearAlgebraTests compare against (NumPy, SciPy, scikit-learn).

Run once; the JSON is committed (Tests/FrameworkTests/Fixtures/linalg/reference.json):
    python3 -m venv /tmp/metrics-ref && /tmp/metrics-ref/bin/pip install numpy scipy scikit-learn
    /tmp/metrics-ref/bin/python scripts/linalg_fixtures.py
Inputs are written beside the outputs, so the Swift side needs no matching random generator.
"""
import json
import pathlib

import numpy as np
import scipy.linalg
from sklearn.decomposition import PCA

rng = np.random.default_rng(12)
out = {}

a = rng.normal(size=(5, 5))
spd = a @ a.T + 5 * np.eye(5)
b = rng.normal(size=5)
out["cholesky"] = {"a": spd.ravel().tolist(), "lower": np.linalg.cholesky(spd).ravel().tolist(),
                   "b": b.tolist(), "x": np.linalg.solve(spd, b).tolist()}

s = rng.normal(size=(6, 6))
sym = (s + s.T) / 2
w, v = np.linalg.eigh(sym)
# eigh's eigenvectors are columns; the Swift API returns them as rows.
out["eigen"] = {"a": sym.ravel().tolist(), "values": w.tolist(), "vectors": v.T.ravel().tolist()}

for name, shape in (("svdTall", (7, 4)), ("svdWide", (3, 6))):
    m = rng.normal(size=shape)
    u, sv, vt = np.linalg.svd(m, full_matrices=False)
    out[name] = {"rows": shape[0], "cols": shape[1], "a": m.ravel().tolist(),
                 "u": u.ravel().tolist(), "s": sv.tolist(), "vt": vt.ravel().tolist()}

x = rng.normal(size=(30, 5)) @ rng.normal(size=(5, 5)) + rng.normal(size=5)
pca = PCA(n_components=3, svd_solver="full").fit(x)
out["pca"] = {"rows": x.tolist(), "components": pca.components_.tolist(),
              "explainedVariance": pca.explained_variance_.tolist(),
              "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
              "transformed": pca.transform(x[:4]).tolist()}

f = rng.normal(size=(4, 9))
psd = f @ f.T  # rank 4 of 4: positive definite; also a rank-deficient one below
g = rng.normal(size=(5, 2))
out["sqrt"] = {"a": psd.ravel().tolist(), "root": np.real(scipy.linalg.sqrtm(psd)).ravel().tolist(),
               "singular": (g @ g.T).ravel().tolist(),
               "singularRoot": np.real(scipy.linalg.sqrtm(g @ g.T)).ravel().tolist()}

# Gaussian process as GaussianProcess.swift defines it: RBF kernel, noise + 1e-10·σ² jitter on
# the diagonal, the training mean as prior mean; solved with SciPy's Cholesky.
pts = rng.uniform(-2, 2, size=(8, 2))
vals = np.sin(pts[:, 0]) + 0.3 * pts[:, 1]
ell, sig, noise = 0.7, 1.3, 0.01
def kern(p, q):
    d = ((p[:, None, :] - q[None, :, :]) ** 2).sum(-1)
    return sig * np.exp(-d / (2 * ell * ell))
k = kern(pts, pts) + (noise + 1e-10 * sig) * np.eye(len(pts))
c = scipy.linalg.cho_factor(k, lower=True)
alpha = scipy.linalg.cho_solve(c, vals - vals.mean())
test = rng.uniform(-2, 2, size=(5, 2))
ks = kern(test, pts)
mean = vals.mean() + ks @ alpha
var = sig - np.einsum("ij,ji->i", ks, scipy.linalg.cho_solve(c, ks.T))
out["gaussianProcess"] = {"points": pts.tolist(), "values": vals.tolist(), "lengthScale": ell,
                          "signalVariance": sig, "noiseVariance": noise, "test": test.tolist(),
                          "mean": mean.tolist(), "variance": np.maximum(var, 0).tolist()}

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/FrameworkTests/Fixtures/linalg/reference.json"
path.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
