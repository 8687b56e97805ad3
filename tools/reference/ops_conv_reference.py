"""Reference outputs and gradients of AsymNet's convolution and pooling ops, computed by PyTorch, for the op tests.

Run with Debian's torch (not a pip one):  /usr/bin/python3 tools/reference/ops_conv_reference.py
Writes tests/AsymNet.Tests/Reference/ops/conv.json and pool.json.

Each case stores its inputs (standard normal, float32), the output y, a fixed random tensor r of y's shape, and the
gradients of the linear functional L = sum(y * r) with respect to every input, so the C# test checks the forward and
the backward of one op without any model around it. Shapes are small and odd on purpose (non-square, batch > 1,
strides that leave input rows uncovered, grouped and depthwise filters).
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F


def f32(v):
    """A float32 value as the shortest decimal that reads back to it (keeps the files small)."""
    return float(str(np.float32(v)))


def tensor_json(t):
    t = t.detach()
    return {'shape': list(t.shape), 'values': [f32(v) for v in t.numpy().ravel()]}


def run(seed, op, params, inputs, forward):
    """inputs: name -> shape (None to leave out). Returns the case dict with y, r and the gradients of sum(y * r)."""
    gen = torch.Generator().manual_seed(seed)
    tensors = {k: torch.randn(*s, generator=gen).requires_grad_(True) for k, s in inputs.items() if s is not None}
    y = forward(tensors)
    r = torch.randn(*y.shape, generator=gen)
    (y * r).sum().backward()
    shapes = '-'.join(k + 'x'.join(map(str, s)) for k, s in inputs.items() if s is not None)
    case = {'name': '-'.join([op, shapes] + [f'{k}{v}' for k, v in params.items()]), 'op': op, **params}
    case['inputs'] = {k: tensor_json(t) for k, t in tensors.items()}
    case['y'] = tensor_json(y)
    case['r'] = tensor_json(r)
    case['grads'] = {k: tensor_json(t.grad) for k, t in tensors.items()}
    return case


def conv_cases():
    cases = []
    # (op, batch, channels, spatial, out channels, kernel, stride, padding, groups, bias)
    specs = [
        ('conv2d', 2, 3, (5, 6), 4, 3, 1, 1, 1, True),
        ('conv2d', 2, 4, (7, 6), 6, 3, 2, 1, 2, False),
        ('conv2d', 2, 4, (6, 5), 4, 3, 1, 1, 4, True),    # depthwise
        ('conv2d', 1, 4, (5, 7), 8, 3, 1, 0, 4, False),   # groups 4, two filters each
        ('conv2d', 3, 5, (4, 3), 2, 1, 1, 0, 1, True),    # pointwise fast path
        ('conv2d', 2, 4, (6, 6), 8, 1, 2, 0, 1, False),   # ResNet option-B shortcut
        ('conv2d', 2, 8, (6, 6), 8, 3, 1, 1, 1, False),   # ResNet body conv
        ('conv2d', 1, 2, (7, 8), 3, 3, 3, 1, 1, True),    # stride 3: uneven edges
        ('conv2d', 2, 3, (5, 21), 4, 3, 2, 1, 1, True),   # stride-2 rows long enough for vectors
        ('conv1d', 2, 3, (9,), 4, 3, 1, 1, 1, True),
        ('conv1d', 3, 4, (8,), 2, 5, 2, 2, 2, False),
        ('conv1d', 2, 6, (5,), 3, 1, 1, 0, 3, True),
    ]
    for seed, (op, n, c, spatial, cout, k, s, p, g, bias) in enumerate(specs):
        fn = F.conv2d if op == 'conv2d' else F.conv1d
        kernel = (k,) * len(spatial)
        inputs = {'x': (n, c, *spatial), 'weight': (cout, c // g, *kernel), 'bias': (cout,) if bias else None}
        params = {'stride': s, 'padding': p, 'groups': g}
        cases.append(run(1000 + seed, op, params, inputs,
                         lambda t, fn=fn, s=s, p=p, g=g: fn(t['x'], t['weight'], t.get('bias'), stride=s, padding=p, groups=g)))
    return cases


def pool_cases():
    cases = []
    # (op, input shape, kernel, stride)
    specs = [
        ('maxpool2d', (2, 3, 5, 7), 2, 2),
        ('maxpool2d', (1, 2, 5, 6), 3, 1),
        ('maxpool2d', (2, 2, 7, 5), 3, 2),
        ('maxpool1d', (2, 3, 9), 2, 2),
        ('maxpool1d', (1, 2, 8), 3, 1),
        ('avgpool2d', (2, 3, 4, 6), 2, 2),
        ('avgpool2d', (2, 2, 7, 5), 3, 2),
        ('avgpool2d', (2, 4, 8, 8), 8, 8),
        ('globalavgpool2d', (2, 3, 4, 5), 0, 0),
    ]
    fns = {
        'maxpool2d': lambda x, k, s: F.max_pool2d(x, k, s),
        'maxpool1d': lambda x, k, s: F.max_pool1d(x, k, s),
        'avgpool2d': lambda x, k, s: F.avg_pool2d(x, k, s),
        'globalavgpool2d': lambda x, k, s: F.adaptive_avg_pool2d(x, 1).flatten(1),
    }
    for seed, (op, shape, k, s) in enumerate(specs):
        params = {'kernel': k, 'stride': s} if k else {}
        cases.append(run(2000 + seed, op, params, {'x': shape},
                         lambda t, fn=fns[op], k=k, s=s: fn(t['x'], k, s)))
    return cases


def main():
    torch.set_num_threads(1)
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'ops')
    os.makedirs(out_dir, exist_ok=True)
    for name, cases in (('conv', conv_cases()), ('pool', pool_cases())):
        dst = os.path.join(out_dir, f'{name}.json')
        with open(dst, 'w') as f:
            json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
        print(f'{name}: {len(cases)} cases, {os.path.getsize(dst)} bytes')


if __name__ == '__main__':
    main()
