"""Reference values of AsymNet's convolution and pooling ops, computed by PyTorch, for the op tests
(tests/AsymNet.Tests/Tensors/Ops/ConvTests.cs and PoolTests.cs).

Run with Debian's torch (not a pip one):  /usr/bin/python3 tools/reference/ops_conv_reference.py
Writes tests/AsymNet.Tests/Reference/ops/ops_<case>.json in the layout of ops_norm_reference.py, read by the tests'
OpReference: the inputs (standard normal float32, as the shortest decimal that reads back to them), the op's
parameters, the output, a random probe R of the output's shape, and the gradients of L = sum(y * R) with respect to
every input ("grad.<input>"). Shapes are small and odd on purpose: non-square, batch > 1, strides that leave input
rows uncovered, grouped and depthwise filters, stride-2 rows long enough for AsymNet's vector path.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'ops')


def entry(t):
    """{'shape', 'values'} with each float32 as the shortest decimal that reads back to it."""
    return {'shape': list(t.shape), 'values': [float(str(v)) for v in t.detach().numpy().astype(np.float32).ravel()]}


def write_case(name, seed, op, params, input_shapes, forward):
    """input_shapes: name -> shape, or None to leave that input out."""
    gen = torch.Generator().manual_seed(seed)
    inputs = {k: torch.randn(*s, generator=gen).requires_grad_(True) for k, s in input_shapes.items() if s is not None}
    y = forward(**inputs)
    probe = torch.randn(*y.shape, generator=gen)
    (y * probe).sum().backward()
    data = {'case': name, 'torch': torch.__version__, 'op': op, **params}
    data.update({k: entry(t) for k, t in inputs.items()})
    data['output'] = entry(y)
    data['probe'] = entry(probe)
    data.update({'grad.' + k: entry(t.grad) for k, t in inputs.items()})
    os.makedirs(OUT_DIR, exist_ok=True)
    dst = os.path.join(OUT_DIR, f'ops_{name}.json')
    with open(dst, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
    print(f'{name}: {os.path.getsize(dst)} bytes')


# name: (op, batch, channels, spatial, out channels, kernel, stride, padding, groups, bias)
CONVS = {
    'conv2d_3x3_s1_p1_bias': ('conv2d', 2, 3, (5, 6), 4, 3, 1, 1, 1, True),
    'conv2d_3x3_s2_p1_groups2': ('conv2d', 2, 4, (7, 6), 6, 3, 2, 1, 2, False),
    'conv2d_3x3_depthwise_bias': ('conv2d', 2, 4, (6, 5), 4, 3, 1, 1, 4, True),
    'conv2d_3x3_p0_groups4_two_filters_each': ('conv2d', 1, 4, (5, 7), 8, 3, 1, 0, 4, False),
    'conv2d_1x1_pointwise_bias': ('conv2d', 3, 5, (4, 3), 2, 1, 1, 0, 1, True),
    'conv2d_1x1_s2_shortcut': ('conv2d', 2, 4, (6, 6), 8, 1, 2, 0, 1, False),
    'conv2d_3x3_resnet_body': ('conv2d', 2, 8, (6, 6), 8, 3, 1, 1, 1, False),
    'conv2d_3x3_s3_uneven_edges_bias': ('conv2d', 1, 2, (7, 8), 3, 3, 3, 1, 1, True),
    'conv2d_3x3_s2_wide_rows_bias': ('conv2d', 2, 3, (5, 21), 4, 3, 2, 1, 1, True),
    'conv1d_k3_s1_p1_bias': ('conv1d', 2, 3, (9,), 4, 3, 1, 1, 1, True),
    'conv1d_k5_s2_p2_groups2': ('conv1d', 3, 4, (8,), 2, 5, 2, 2, 2, False),
    'conv1d_k1_groups3_bias': ('conv1d', 2, 6, (5,), 3, 1, 1, 0, 3, True),
}

# name: (op, input shape, kernel, stride)
POOLS = {
    'maxpool2d_k2_s2_odd': ('maxpool2d', (2, 3, 5, 7), 2, 2),
    'maxpool2d_k3_s1': ('maxpool2d', (1, 2, 5, 6), 3, 1),
    'maxpool2d_k3_s2': ('maxpool2d', (2, 2, 7, 5), 3, 2),
    'maxpool1d_k2_s2': ('maxpool1d', (2, 3, 9), 2, 2),
    'maxpool1d_k3_s1': ('maxpool1d', (1, 2, 8), 3, 1),
    'avgpool2d_k2_s2': ('avgpool2d', (2, 3, 4, 6), 2, 2),
    'avgpool2d_k3_s2': ('avgpool2d', (2, 2, 7, 5), 3, 2),
    'avgpool2d_k8_whole_plane': ('avgpool2d', (2, 4, 8, 8), 8, 8),
    'globalavgpool2d': ('globalavgpool2d', (2, 3, 4, 5), 0, 0),
}

POOL_FUNCTIONS = {
    'maxpool2d': F.max_pool2d,
    'maxpool1d': F.max_pool1d,
    'avgpool2d': F.avg_pool2d,
    'globalavgpool2d': lambda x, k, s: F.adaptive_avg_pool2d(x, 1).flatten(1),
}


def main():
    torch.set_num_threads(1)
    for seed, (name, (op, n, c, spatial, cout, k, s, p, g, bias)) in enumerate(CONVS.items()):
        fn = F.conv2d if op == 'conv2d' else F.conv1d
        shapes = {'x': (n, c, *spatial), 'weight': (cout, c // g) + (k,) * len(spatial), 'bias': (cout,) if bias else None}
        write_case(name, 1000 + seed, op, {'stride': s, 'padding': p, 'groups': g}, shapes,
                   lambda x, weight, bias=None, fn=fn, s=s, p=p, g=g: fn(x, weight, bias, stride=s, padding=p, groups=g))
    for seed, (name, (op, shape, k, s)) in enumerate(POOLS.items()):
        write_case(name, 2000 + seed, op, {'kernel': k, 'stride': s}, {'x': shape},
                   lambda x, fn=POOL_FUNCTIONS[op], k=k, s=s: fn(x, k, s))


if __name__ == '__main__':
    main()
