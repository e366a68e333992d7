#!/usr/bin/env python3
"""Times scikit-learn's KMeans and GaussianMixture on the data zoorun's clustering benchmarks use.

Writes /tmp/zoorun-clustering-bench.csv (20,000 points in 16-d from 8 Gaussian blobs, seeded),
then times the same fits as `zoorun bench --only kmeans-vs-sklearn,gmm-vs-sklearn`:
    /tmp/torch-ref/bin/python scripts/clustering_sklearn_timing.py
    .build/release/zoorun bench --only kmeans-vs-sklearn,gmm-vs-sklearn
Same settings on both sides: k-means k 8, 4 k-means++ restarts, Lloyd, max_iter 300, tol 1e-4;
mixture k 8, full covariance, reg_covar 1e-6, tol 1e-3, max_iter 100, k-means start.
"""
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

x, _ = make_blobs(n_samples=20_000, n_features=16, centers=8, cluster_std=2.0, random_state=0)
x = x.astype(np.float32)
np.savetxt("/tmp/zoorun-clustering-bench.csv", x, delimiter=",", header=",".join(f"f{i}" for i in range(16)),
           comments="", fmt="%.6g")


def median_time(fit, repeats):
    fit()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fit()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


km = median_time(lambda: KMeans(n_clusters=8, n_init=4, algorithm="lloyd", random_state=0).fit(x), 5)
gm = median_time(lambda: GaussianMixture(n_components=8, covariance_type="full", random_state=0).fit(x), 3)
print(f"scikit-learn KMeans           {km:.3f} s/fit  ({x.shape[0]}×{x.shape[1]})")
print(f"scikit-learn GaussianMixture  {gm:.3f} s/fit  (full covariance)")
