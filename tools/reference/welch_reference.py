"""SciPy's Welch t-tests on fixed samples, for AsymNet's MLI statistics (WelchTTest).

Run with Debian's python:  /usr/bin/python3 tools/reference/welch_reference.py
Writes tests/AsymNet.Tests/Reference/stats/welch.json: per case the two samples (float64 written with repr, so they
read back exactly), scipy.stats.ttest_ind(a, b, equal_var=False)'s statistic and two-sided p-value, and the
Welch–Satterthwaite degrees of freedom. The cases span sizes 3..300 (Table 4 compares 300 networks per variant),
p-values from ~0.9 down to ~1e-80, and a sample with zero variance (W-Asym global convexity is 1.00 ± .000).
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'stats')


def welch_df(a, b):
    qa, qb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    return (qa + qb) ** 2 / (qa ** 2 / (len(a) - 1) + qb ** 2 / (len(b) - 1))


def main():
    rng = np.random.RandomState(20240531)
    cases = [
        ('near-equal', rng.normal(0.5, 0.1, 12), rng.normal(0.51, 0.12, 15)),
        ('small-samples', rng.normal(0.0, 1.0, 3), rng.normal(1.0, 2.0, 4)),
        ('table4-delta', rng.normal(0.079, 0.109, 300), rng.normal(-0.027, 0.026, 300)),
        ('table4-local', rng.normal(0.548, 0.139, 300), rng.normal(0.675, 0.143, 276)),
        ('tiny-p', rng.normal(0.0, 0.05, 200), rng.normal(0.5, 0.05, 150)),
        ('zero-variance', np.ones(20), rng.uniform(0.5, 1.0, 25)),
        ('shares', rng.randint(0, 24, 30) / 23.0, rng.randint(5, 24, 40) / 23.0),
    ]
    out = {'scipy': scipy.__version__, 'cases': []}
    for name, a, b in cases:
        r = stats.ttest_ind(a, b, equal_var=False)
        out['cases'].append({
            'name': name, 'a': [float(v) for v in a], 'b': [float(v) for v in b],
            't': float(r.statistic), 'p': float(r.pvalue), 'df': float(welch_df(a, b)),
        })
        print(f'{name}: t {r.statistic:.6g}, p {r.pvalue:.6g}')
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'welch.json'), 'w') as f:
        json.dump(out, f, indent=1)


if __name__ == '__main__':
    main()
