"""Reference values of AsymNet's ELRG variational layers (src/AsymNet/Bayes), computed by PyTorch.

Run with Debian's torch (not a pip one):  /usr/bin/python3 tools/reference/bayes_elrg_reference.py
Writes tests/AsymNet.Tests/Reference/bayes/bayes_<case>.json.

An independent PyTorch implementation of the posterior q = N(mu, diag(s) + alpha V^T V) per layer, alpha = 1/rank:
each example's output is computed from an explicit weight sample, W' + sqrt(alpha) sum_r eps_r V_r (V masked on a
W-Asym layer's fixed entries), plus the local-reparameterisation diagonal part sqrt(x^2 * s_w + s_b) * eps_diag with
s_w = exp(log s) masked. The KL to N(0, sigma_p^2 I), sigma_p^2 = 1 / (precision * n), is torch.distributions'
MultivariateNormal KL over the trainable entries (weights row-major, then the bias) in float64. The files hold the
layer's state (raw weight, bias, mask, F), V, log s, both noise draws (eps_diag, then eps_rank: the order AsymNet
draws them in), the input, the output and the KL.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'bayes')
KAPPA = 0.5


def f32(v):
    return float(str(np.float32(v)))


def put(data, key, t):
    t = torch.as_tensor(t)
    data[key] = {'shape': list(t.shape), 'values': [f32(v) for v in t.detach().numpy().astype(np.float32).ravel()]}


def kl_free(mu, s, v, free, alpha, prior_var):
    """KL(N(mu, diag(s) + alpha V^T V) || N(0, prior_var I)) over the entries where free is true, float64."""
    mu, s, v = mu.double()[free], s.double()[free], v.double()[:, free]
    cov = torch.diag(s) + alpha * v.t() @ v
    q = torch.distributions.MultivariateNormal(mu, covariance_matrix=cov)
    p = torch.distributions.MultivariateNormal(torch.zeros_like(mu), covariance_matrix=prior_var * torch.eye(len(mu), dtype=torch.float64))
    return torch.distributions.kl_divergence(q, p).item()


def case(name, seed, conv, batch, cin, cout, rank, bias, nfix, stride=1, padding=0, k=3, hw=5, precision=0.5):
    rng = np.random.RandomState(seed)
    alpha = 1.0 / rank
    wshape = (cout, cin, k, k) if conv else (cout, cin)
    row = int(np.prod(wshape[1:]))
    mask = np.ones((cout, row), dtype=np.float32)
    for o in range(cout):
        mask[o, rng.permutation(row)[:nfix]] = 0
    mask = torch.from_numpy(mask.reshape(wshape))
    f = torch.from_numpy(rng.randn(*wshape).astype(np.float32))
    w_raw = torch.from_numpy(rng.uniform(-0.5, 0.5, wshape).astype(np.float32))
    w_eff = mask * w_raw + (1 - mask) * KAPPA * f
    b = torch.from_numpy(rng.uniform(-0.5, 0.5, cout).astype(np.float32)) if bias else None
    v_w = torch.from_numpy(rng.uniform(-0.5, 0.5, (rank,) + wshape).astype(np.float32))
    v_b = torch.from_numpy(rng.uniform(-0.5, 0.5, (rank, cout)).astype(np.float32)) if bias else None
    log_s_w = torch.from_numpy(rng.uniform(-3, -1, wshape).astype(np.float32))
    log_s_b = torch.from_numpy(rng.uniform(-3, -1, cout).astype(np.float32)) if bias else None
    x = torch.from_numpy(rng.uniform(-1, 1, (batch, cin, hw, hw) if conv else (batch, cin)).astype(np.float32))

    s_w = torch.exp(log_s_w) * mask
    s_b = torch.exp(log_s_b) if bias else None
    vm = v_w * mask
    op = (lambda inp, w, bb: F.conv2d(inp, w, bb, stride=stride, padding=padding)) if conv else F.linear
    mean = op(x, w_eff, b)
    eps_diag = torch.from_numpy(rng.randn(*mean.shape).astype(np.float32))
    eps_rank = torch.from_numpy(rng.randn(batch, rank).astype(np.float32))
    var = op(x * x, s_w, s_b)
    outs = []
    for i in range(batch):
        w_i = w_eff + np.sqrt(alpha) * torch.einsum('r,r...->...', eps_rank[i], vm)
        b_i = b + np.sqrt(alpha) * eps_rank[i] @ v_b if bias else None
        outs.append(op(x[i:i + 1], w_i, b_i))
    y = torch.cat(outs) + torch.sqrt(var.clamp_min(1e-16)) * eps_diag

    n = cin if conv else cout
    prior_var = 1.0 / (precision * n)
    mu = torch.cat([w_raw.reshape(-1)] + ([b] if bias else []))
    s = torch.cat([s_w.reshape(-1)] + ([s_b] if bias else []))
    v = torch.cat([vm.reshape(rank, -1)] + ([v_b] if bias else []), dim=1)
    free = torch.cat([mask.reshape(-1)] + ([torch.ones(cout)] if bias else [])) > 0
    kl = kl_free(mu, s, v, free, alpha, prior_var)

    data = {'case': name, 'torch': torch.__version__, 'conv': conv, 'rank': rank, 'kappa': KAPPA, 'stride': stride,
            'padding': padding, 'prior_precision': precision, 'kl': kl}
    for key, t in [('x', x), ('weight', w_raw), ('mask', mask), ('normal_mask', f), ('v_weight', v_w), ('log_s_weight', log_s_w),
                   ('eps_diag', eps_diag), ('eps_rank', eps_rank), ('output', y)]:
        put(data, key, t)
    if bias:
        for key, t in [('bias', b), ('v_bias', v_b), ('log_s_bias', log_s_b)]:
            put(data, key, t)
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, f'bayes_{name}.json'), 'w') as fh:
        json.dump(data, fh, separators=(',', ':'))
    print(name, 'KL', kl)


if __name__ == '__main__':
    torch.manual_seed(0)
    case('linear_wasym', 1, conv=False, batch=4, cin=6, cout=5, rank=3, bias=True, nfix=2)
    case('conv_wasym_stride2', 2, conv=True, batch=3, cin=3, cout=4, rank=4, bias=False, nfix=5, stride=2, padding=1)
