"""Reference values for AsymNet's metanet tests, computed by NumPy and SciPy.

Run with Debian's packages (not pip ones):  /usr/bin/python3 tools/reference/metanet_reference.py
Writes tests/AsymNet.Tests/Reference/metanet/{metrics,statnn-features}.json.

metrics.json: R^2 = 1 - SS_res/SS_tot (scikit-learn's r2_score formula) and Kendall's tau-b (scipy.stats.kendalltau)
for a few target/prediction vectors, some with ties.

statnn-features.json: StatNN's 7 statistics per parameter tensor (mean, unbiased variance, min, max, 25/50/75%
quantiles with NumPy's linear interpolation) over the trainable entries (mask == 1) of a W-Asym ResNet8 state dict
whose every tensor is filled by models_reference.fill_value (AsymNet's generator, bit for bit), with the stem conv's
mask set to all zeros (fully fixed, as in the authors' zoo), so the C# test rebuilds the same network without storing it.
"""
import json
import os

import numpy as np
from scipy import stats

from models_reference import ResNet, fill_value

SEED = 20240531
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'metanet')


def r2(target, prediction):
    target, prediction = np.asarray(target, np.float64), np.asarray(prediction, np.float64)
    return 1.0 - np.sum((target - prediction) ** 2) / np.sum((target - target.mean()) ** 2)


def metrics_cases():
    rng = np.random.default_rng(7)
    cases = []
    t = rng.uniform(0.1, 0.9, 40)
    cases.append(('close', t, t + rng.normal(0, 0.05, 40)))
    cases.append(('worse-than-mean', t, rng.uniform(0.1, 0.9, 40)))
    tied_t = np.round(rng.uniform(0.1, 0.9, 60), 1)
    cases.append(('ties', tied_t, np.round(tied_t + rng.normal(0, 0.1, 60), 1)))
    cases.append(('reversed', t, -t))
    out = []
    for name, target, prediction in cases:
        out.append({
            'name': name,
            'target': [float(v) for v in target],
            'prediction': [float(v) for v in prediction],
            'r2': float(r2(target, prediction)),
            'tau': float(stats.kendalltau(target, prediction).correlation),
        })
    return out


def statnn_case():
    model = ResNet(1, 'w', kappa=2.0)
    sd = {k: fill_value(SEED, k, tuple(v.shape)) for k, v in model.state_dict().items()}
    sd['conv1.mask'][:] = 0.0
    params = [name for name, _ in model.named_parameters()]
    features = []
    for key in params:
        values = sd[key].reshape(-1).astype(np.float64)
        mask_key = key[:-len('weight')] + 'mask' if key.endswith('.weight') else None
        if mask_key in sd:
            values = values[sd[mask_key].reshape(-1) != 0]
        if values.size == 0:
            features.extend([0.0] * 7)
            continue
        # The entries are float32; statistics in float64 as the C# side computes them.
        features.extend([values.mean(), values.var(ddof=1), values.min(), values.max(),
                         *np.quantile(values, [0.25, 0.5, 0.75])])
    return {'seed': SEED, 'fully_fixed': ['conv1.mask'], 'keys': params, 'features': [float(v) for v in features]}


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'metrics.json'), 'w') as f:
        json.dump(metrics_cases(), f, indent=1)
    case = statnn_case()
    with open(os.path.join(OUT, 'statnn-features.json'), 'w') as f:
        json.dump(case, f, indent=1)
    print(f"metrics: 4 cases; statnn: {len(case['keys'])} tensors, {len(case['features'])} features")


if __name__ == '__main__':
    main()
