#!/usr/bin/env python3
"""Peer for `asym bench`: times SciPy's linear_sum_assignment on n x n uniform [0, 1) float64 costs.

Usage: /usr/bin/python3 bench/scipy_lap.py [n] [repeats]
Prints one JSON line: {"peer": "scipy", "n": n, "median_ms": ..., "min_ms": ..., "scipy": version}.
Each repeat solves a fresh matrix (as the C# workload solves a fixed one, medians over several matrices and
repeats are comparable); the first few solves are warm-up and not timed.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 512
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    rng = np.random.default_rng(1)
    matrices = [rng.random((n, n)) for _ in range(repeats)]
    for m in matrices[:3]:
        linear_sum_assignment(m)
    times = []
    for m in matrices:
        start = time.perf_counter()
        linear_sum_assignment(m)
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    print(json.dumps({"peer": "scipy", "n": n, "median_ms": times[len(times) // 2], "min_ms": times[0],
                      "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
