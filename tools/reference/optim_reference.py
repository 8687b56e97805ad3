"""Optimizer update sequences computed by PyTorch, for AsymNet's optimizer tests.

Run with Debian's torch (1.13):  /usr/bin/python3 tools/reference/optim_reference.py
Writes tests/AsymNet.Tests/Reference/optim/<case>.json.

Each case starts from fixed float32 parameters (a vector of 37 entries, long enough to exercise SIMD tails, and a
3x5 matrix), feeds the same given gradients to torch.optim for 5 steps (optionally changing the learning rate
before each step, as a schedule does) and records the parameters after every step. Gradients are stored, not
recomputed, so the C# test replays exactly what PyTorch saw. PyTorch's CPU default is the single-tensor
(for-loop) implementation; it is forced here with foreach=False.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "AsymNet.Tests", "Reference", "optim")
STEPS = 5
SHAPES = [[37], [3, 5]]

CASES = {
    "sgd": ("SGD", dict(lr=0.1), None),
    "sgd-momentum-wd": ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.01), None),
    "sgd-momentum-dampening": ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.1), None),
    "sgd-nesterov-wd": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3), None),
    "adam": ("Adam", dict(lr=1e-3), None),
    "adam-l2-betas-eps": ("Adam", dict(lr=3e-3, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.01), None),
    "adamw": ("AdamW", dict(lr=1e-3, weight_decay=0.03), None),
    "adamw-schedule": ("AdamW", dict(lr=1e-3, weight_decay=0.1), [1e-3, 2e-3, 5e-4, 1e-2, 3e-3]),
    "adam-schedule": ("Adam", dict(lr=1e-3), [4e-5, 8e-5, 1.2e-4, 1.6e-4, 2e-4]),
}


def tensors(seed):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(s, generator=g, dtype=torch.float32) for s in SHAPES]


def flat(ts):
    return [[float(v) for v in t.flatten().tolist()] for t in ts]


def main():
    os.makedirs(OUT, exist_ok=True)
    init = tensors(1)
    grads = [[g * (0.5 + k) for g in tensors(100 + k)] for k in range(STEPS)]
    for name, (kind, kwargs, lrs) in CASES.items():
        params = [torch.nn.Parameter(t.clone()) for t in init]
        opt = getattr(torch.optim, kind)(params, foreach=False, **kwargs)
        after = []
        for k in range(STEPS):
            if lrs is not None:
                for group in opt.param_groups:
                    group["lr"] = lrs[k]
            opt.zero_grad()
            for p, g in zip(params, grads[k]):
                p.grad = g.clone()
            opt.step()
            after.append(flat([p.detach() for p in params]))
        case = {
            "optimizer": kind,
            "options": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
            "lrs": lrs,
            "shapes": SHAPES,
            "init": flat(init),
            "grads": [flat(g) for g in grads],
            "after": after,
            "torch": torch.__version__,
        }
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(case, f)
            f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
