"""Reference values of single ops, computed by PyTorch, for AsymNet's op tests (tests/AsymNet.Tests/Tensors/Ops).

Run with Debian's torch (not a pip one):  /usr/bin/python3 tools/reference/ops_norm_reference.py
Writes tests/AsymNet.Tests/Reference/ops/ops_<case>.json.

Covers layer, group and batch norm (training with running-statistic updates, momentum 0.1 and None, and eval),
the graph mean aggregation, exact GELU, softmax / log-softmax (with huge logits) and cross-entropy with label
smoothing. Each file holds the inputs and parameters (float32 values as the shortest decimal that reads back to
them), the outputs, running statistics after the step where there are any, and the gradients of L = sum(y * probe)
for a stored random probe, i.e. of a fixed random linear functional of the output.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'ops')


def f32(v):
    """A float32 value as the shortest decimal that reads back to it (keeps the files small)."""
    return float(str(np.float32(v)))


def flat(t):
    return [f32(v) for v in t.detach().numpy().astype(np.float32).ravel()]


class Case:
    """Collects named float32 tensors (inputs, outputs, gradients) and writes them as one JSON file."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.RandomState(seed)
        self.data = {'case': name, 'torch': torch.__version__}

    def tensor(self, key, shape, low=-2.0, high=2.0, requires_grad=True):
        t = torch.from_numpy(self.rng.uniform(low, high, size=shape).astype(np.float32))
        t.requires_grad_(requires_grad)
        self.put(key, t)
        return t

    def put(self, key, t):
        self.data[key] = {'shape': list(t.shape), 'values': flat(t)}

    def backward(self, y, **inputs):
        """Stores y, a random probe R, and the gradients of sum(y * R) with respect to the named inputs."""
        self.put('output', y)
        probe = torch.from_numpy(self.rng.uniform(-1.0, 1.0, size=tuple(y.shape)).astype(np.float32))
        self.put('probe', probe)
        (y * probe).sum().backward()
        for key, t in inputs.items():
            if t is not None:
                self.put('grad.' + key, t.grad)

    def write(self):
        os.makedirs(OUT_DIR, exist_ok=True)
        dst = os.path.join(OUT_DIR, f'ops_{self.name}.json')
        with open(dst, 'w') as f:
            json.dump(self.data, f, separators=(',', ':'))
        print(f'{self.name}: {os.path.getsize(dst)} bytes')


def layer_norm(name, shape, affine, seed):
    c = Case(name, seed)
    x = c.tensor('x', shape, -3.0, 5.0)
    d = shape[-1]
    w = c.tensor('weight', (d,), 0.5, 1.5) if affine else None
    b = c.tensor('bias', (d,), -1.0, 1.0) if affine else None
    c.data['eps'] = 1e-5
    c.backward(F.layer_norm(x, (d,), w, b, 1e-5), x=x, weight=w, bias=b)
    c.write()


def group_norm(name, shape, groups, affine, seed):
    c = Case(name, seed)
    x = c.tensor('x', shape, -3.0, 5.0)
    ch = shape[1]
    w = c.tensor('weight', (ch,), 0.5, 1.5) if affine else None
    b = c.tensor('bias', (ch,), -1.0, 1.0) if affine else None
    c.data['groups'] = groups
    c.data['eps'] = 1e-5
    c.backward(F.group_norm(x, groups, w, b, 1e-5), x=x, weight=w, bias=b)
    c.write()


def batch_norm(name, shape, training, momentum, tracked, steps, seed):
    """`steps` forward passes (training updates the running statistics); the gradient is of the last one."""
    c = Case(name, seed)
    ch = shape[1]
    bn = torch.nn.BatchNorm1d(ch, momentum=momentum) if len(shape) <= 3 else torch.nn.BatchNorm2d(ch, momentum=momentum)
    with torch.no_grad():
        bn.weight.copy_(c.tensor('weight', (ch,), 0.5, 1.5, requires_grad=False))
        bn.bias.copy_(c.tensor('bias', (ch,), -1.0, 1.0, requires_grad=False))
        bn.running_mean.copy_(c.tensor('runningMean', (ch,), -0.5, 0.5, requires_grad=False))
        bn.running_var.copy_(c.tensor('runningVar', (ch,), 0.5, 2.0, requires_grad=False))
        bn.num_batches_tracked.fill_(tracked)
    bn.train(training)
    c.data.update({'training': training, 'momentum': momentum, 'eps': bn.eps, 'numBatchesTracked': tracked, 'steps': steps})
    for step in range(steps):
        x = c.tensor(f'x{step}', shape, -3.0, 5.0)
        y = bn(x)
    c.backward(y, x=x, weight=bn.weight, bias=bn.bias)
    c.put('runningMeanAfter', bn.running_mean)
    c.put('runningVarAfter', bn.running_var)
    c.data['numBatchesTrackedAfter'] = int(bn.num_batches_tracked)
    c.write()


# An undirected 12-node graph (both directions listed) with one isolated node (11), plus a repeated edge and a
# self-loop on node 5 (PyG's mean counts every listed edge).
EDGES = [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (9, 10), (10, 0), (3, 8), (3, 8)]


def graph_mean_aggregate(name, features, seed):
    n = 12
    nbrs = [[] for _ in range(n)]
    for a, b in EDGES:
        nbrs[a].append(b)
        nbrs[b].append(a)
    nbrs[5].append(5)
    rowptr, col = [0], []
    for lst in nbrs:
        col.extend(sorted(lst))
        rowptr.append(len(col))
    c = Case(name, seed)
    x = c.tensor('x', (n, features))
    rows = []
    for i in range(n):
        nb = col[rowptr[i]:rowptr[i + 1]]
        rows.append(x[i] + x[nb].sum(0) / len(nb) if nb else x[i])
    c.data['rowPointers'] = rowptr
    c.data['columnIndices'] = col
    c.backward(torch.stack(rows), x=x)
    c.write()


def gelu(name, seed):
    c = Case(name, seed)
    # Lengths past two AVX-512 vectors plus a tail; values across the erf's regions, including its saturation.
    x = c.tensor('x', (67,), -6.0, 6.0)
    with torch.no_grad():
        x[:6] = torch.tensor([-10.0, -3.5, -1e-3, 0.0, 1e-3, 10.0])
    c.put('x', x)
    c.backward(F.gelu(x), x=x)
    c.write()


def softmax(name, log, dim, seed):
    c = Case(name, seed)
    x = c.tensor('x', (4, 5, 11), -3.0, 3.0)
    with torch.no_grad():
        # Huge logits: a naive exp overflows; the max-subtracted form must not.
        x[0, 0, :] = torch.linspace(-1000.0, 1000.0, 11)
        x[1, 2, 3] = 900.0
        x[2, :, 7] = -800.0
    c.put('x', x)
    c.data['dim'] = dim
    c.backward(F.log_softmax(x, dim) if log else F.softmax(x, dim), x=x)
    c.write()


def cross_entropy(name, smoothing, seed):
    c = Case(name, seed)
    x = c.tensor('x', (6, 9), -4.0, 4.0)
    with torch.no_grad():
        x[5, :] = torch.linspace(-500.0, 500.0, 9)
    c.put('x', x)
    targets = [int(t) for t in c.rng.randint(0, 9, size=6)]
    c.data['targets'] = targets
    c.data['labelSmoothing'] = smoothing
    loss = F.cross_entropy(x, torch.tensor(targets), label_smoothing=smoothing)
    c.data['loss'] = float(loss)
    loss.backward()
    c.put('grad.x', x.grad)
    c.write()


def main():
    torch.set_num_threads(1)
    layer_norm('layernorm_affine', (4, 37), True, 1)
    layer_norm('layernorm_plain', (3, 5, 16), False, 2)
    group_norm('groupnorm_one_group', (2, 6, 3, 5), 1, True, 3)
    group_norm('groupnorm_three_groups', (3, 6, 7), 3, True, 4)
    group_norm('groupnorm_group_per_channel', (2, 4, 5), 4, False, 5)
    group_norm('groupnorm_wide_planes', (2, 4, 6, 7), 2, True, 19)
    batch_norm('batchnorm_train_2d', (7, 5), True, 0.1, 0, 1, 6)
    batch_norm('batchnorm_train_3d_cumulative', (4, 3, 6), True, None, 2, 2, 7)
    batch_norm('batchnorm_train_4d', (3, 4, 5, 3), True, 0.1, 5, 2, 8)
    batch_norm('batchnorm_eval_4d', (3, 4, 5, 3), False, 0.1, 5, 1, 9)
    batch_norm('batchnorm_eval_2d', (6, 7), False, None, 3, 1, 10)
    batch_norm('batchnorm_train_wide_planes', (2, 3, 8, 9), True, 0.1, 0, 1, 20)
    graph_mean_aggregate('graph_mean_aggregate', 5, 11)
    gelu('gelu', 12)
    softmax('softmax_last', False, -1, 13)
    softmax('softmax_middle', False, 1, 14)
    softmax('log_softmax_last', True, -1, 15)
    softmax('log_softmax_first', True, 0, 16)
    cross_entropy('cross_entropy_smoothing', 0.1, 17)
    cross_entropy('cross_entropy_plain', 0.0, 18)


if __name__ == '__main__':
    main()
