#!/usr/bin/env python3
"""Peer for the simulator benchmark: the same heavy-ball phase diagram in
NumPy, vectorised over all cells (the way one would write it in NumPy).
v <- d*v - h*x, x <- x + v from (v, x) = (0, 1), nh x nd cells, T steps;
window maxima of |x| give the measured rate as in src-core/momentum/phase-diagram.ts.

Usage: /usr/bin/python3 bench/phase_peer_numpy.py [NH ND STEPS REPEATS]
Prints one JSON line: median wall seconds and a checksum of the rates.
"""
import json
import sys
import time

import numpy as np


def phase(nh, nd, T):
    h = np.linspace(0.0, 5.2, nh)
    d = np.linspace(0.0, 1.6, nd)
    H, D = np.meshgrid(h, d)  # row = d, column = h
    x = np.ones_like(H)
    v = np.zeros_like(H)
    mid = T // 2
    w = max(1, T // 10)
    max_a = np.zeros_like(H)
    max_b = np.zeros_like(H)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, T + 1):
            v = D * v - H * x
            x = x + v
            if mid - w < t <= mid:
                np.maximum(max_a, np.abs(x), out=max_a)
            if t > T - w:
                np.maximum(max_b, np.abs(x), out=max_b)
        rate = np.where(max_a > 0, (max_b / max_a) ** (1.0 / (T - mid)), 0.0)
    return rate


def main():
    nh, nd, T, reps = (int(a) for a in (sys.argv[1:5] + ["256", "256", "500", "5"][len(sys.argv[1:5]):]))
    times = []
    rate = None
    for _ in range(reps):
        t0 = time.perf_counter()
        rate = phase(nh, nd, T)
        times.append(time.perf_counter() - t0)
    times.sort()
    finite = rate[np.isfinite(rate)]
    print(json.dumps({"peer": f"numpy {np.__version__}", "nh": nh, "nd": nd, "steps": T,
                      "median_s": times[len(times) // 2], "min_s": times[0],
                      "finite_cells": int(finite.size), "mean_finite_rate": float(finite.mean())}))


if __name__ == "__main__":
    main()
