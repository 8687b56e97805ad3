"""Reference outputs and gradients of the paper's models, computed by PyTorch, for AsymNet's model tests.

Run with Debian's torch (not a pip one):  /usr/bin/python3 tools/reference/models_reference.py
Writes tests/AsymNet.Tests/Reference/models/<case>.json.

The modules below re-implement the authors' classes (cptq/asymmetric-networks: lmc/models/models_mlp.py,
lmc/models/models_resnet.py, metanet_data/models.py, gnn/main_arxiv.py) with their attribute names, so the
state-dict keys are the authors'. W-Asym layers use the authors' semantics: the forward overwrites weight.data with
M*W + (1-M)*kappa*normal_mask and a hook multiplies the weight gradient by M.

To keep the files small, no weights are stored: every state-dict tensor and the input are filled from AsymNet's
generator (xoshiro256** keyed by Rng.ForKey(seed, key), re-implemented here bit for bit) with dyadic values that
float32 holds exactly, so the C# test rebuilds identical tensors (see fill_value). The files hold the targets,
logits, loss and parameter gradients (all of a small tensor; 256 sampled entries plus the norm of a large one).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

M64 = (1 << 64) - 1
SEED = 20240531


# ---- AsymNet's Rng (src/AsymNet/Tensors/Rng.cs) -------------------------------------------------------------------
def _splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class Rng:
    def __init__(self, seed):
        sm = seed & M64
        sm, self.s0 = _splitmix64(sm)
        sm, self.s1 = _splitmix64(sm)
        sm, self.s2 = _splitmix64(sm)
        sm, self.s3 = _splitmix64(sm)

    @staticmethod
    def for_key(seed, key):
        h = 14695981039346656037
        units = key.encode('utf-16-le')
        for i in range(0, len(units), 2):
            h ^= units[i] | (units[i + 1] << 8)
            h = (h * 1099511628211) & M64
        _, z = _splitmix64(seed ^ 0x9E3779B97F4A7C15)
        return Rng(z ^ h)

    def next_u64(self):
        result = (_rotl((self.s1 * 5) & M64, 7) * 9) & M64
        t = (self.s1 << 17) & M64
        self.s2 ^= self.s0
        self.s3 ^= self.s1
        self.s1 ^= self.s2
        self.s0 ^= self.s3
        self.s2 ^= t
        self.s3 = _rotl(self.s3, 45)
        return result

    def next_float(self):
        return (self.next_u64() >> 40) / float(1 << 24)


def fill_rule(key, shape):
    """(kind, center, scale) for a state-dict key: the same rule as the C# test's ReferenceFill."""
    last = key.rsplit('.', 1)[-1]
    if last == 'mask':
        return 'mask', 0.0, 0.0
    if last == 'num_batches_tracked':
        return 'zero', 0.0, 0.0
    if len(shape) >= 2:
        fan_in = int(np.prod(shape[1:]))
        k = 0
        while 4 ** k < fan_in:
            k += 1
        return 'uniform', 0.0, 2.0 ** -k
    if last in ('weight', 'running_var'):
        return 'uniform', 1.0, 0.25
    return 'uniform', 0.0, 0.125


def fill_value(seed, key, shape, rule=None):
    kind, center, scale = rule or fill_rule(key, shape)
    n = int(np.prod(shape)) if len(shape) else 1
    out = np.empty(n, dtype=np.float32)
    if kind == 'zero':
        out[:] = 0
        return out.reshape(shape)
    rng = Rng.for_key(seed, key)
    for i in range(n):
        f = rng.next_float()
        if kind == 'mask':
            out[i] = 0.0 if f < 0.2 else 1.0
        else:
            out[i] = center + scale * (2.0 * f - 1.0)  # exact in float64, then rounded once to float32
    return out.reshape(shape)


# ---- the authors' modules (attribute names = state-dict keys) --------------------------------------------------
class SparseLinear(nn.Module):
    def __init__(self, in_dim, out_dim, kappa):
        super().__init__()
        self.register_buffer('mask', torch.ones(out_dim, in_dim))
        self.weight = nn.Parameter(torch.empty(out_dim, in_dim))
        self.register_buffer('normal_mask', torch.zeros(out_dim, in_dim))
        self.weight.register_hook(lambda g: self.mask * g)
        self.bias = nn.Parameter(torch.empty(out_dim))
        self.mask_constant = kappa

    def forward(self, x):
        self.weight.data = self.weight.data * self.mask + (1 - self.mask) * self.mask_constant * self.normal_mask
        return F.linear(x, self.weight, self.bias)


class SparseConv2d(nn.Module):
    def __init__(self, cin, cout, k, stride, padding, kappa):
        super().__init__()
        self.register_buffer('mask', torch.ones(cout, cin, k, k))
        self.weight = nn.Parameter(torch.empty(cout, cin, k, k))
        self.weight.register_hook(lambda g: self.mask * g)
        self.register_buffer('normal_mask', torch.zeros(cout, cin, k, k))
        self.mask_constant, self.stride, self.padding = kappa, stride, padding

    def forward(self, x):
        self.weight.data = self.weight.data * self.mask + (1 - self.mask) * self.mask_constant * self.normal_mask
        return F.conv2d(x, self.weight, stride=self.stride, padding=self.padding)


class AsymSwiGLU(nn.Module):  # lmc/models/models_mlp.py: gate = sigmoid(F.linear(x, C))
    def __init__(self, dim):
        super().__init__()
        self.register_buffer('C', torch.zeros(dim, dim))

    def forward(self, x):
        return torch.sigmoid(F.linear(x, self.C)) * x


class AsymSwiGLURight(nn.Module):  # gnn/asym_nets.py: gate = sigmoid(x @ C)
    def __init__(self, dim):
        super().__init__()
        self.register_buffer('C', torch.zeros(dim, dim))

    def forward(self, x):
        return torch.sigmoid(torch.matmul(x, self.C)) * x


class AsymConv2dSwiGLU(nn.Module):  # metanet_data/models.py
    def __init__(self, planes):
        super().__init__()
        self.register_buffer('F_mat', torch.zeros(planes, planes, 1, 1))

    def forward(self, x):
        return torch.sigmoid(F.conv2d(x, self.F_mat)) * x


class MLP(nn.Module):
    """MLP / WMLP / SigmaMLP: lins, activations, norms (in that registration order)."""
    def __init__(self, dims, variant, kappas=None):
        super().__init__()
        n = len(dims) - 1
        self.lins = nn.ModuleList(
            SparseLinear(dims[i], dims[i + 1], kappas[i]) if variant == 'w' else nn.Linear(dims[i], dims[i + 1])
            for i in range(n))
        self.activations = nn.ModuleList(AsymSwiGLU(dims[i + 1]) if variant == 'sigma' else nn.GELU() for i in range(n - 1))
        self.norms = nn.ModuleList(nn.LayerNorm(dims[i + 1]) for i in range(n - 1))

    def forward(self, x):
        x = x.flatten(1)
        for i in range(len(self.lins) - 1):
            x = self.activations[i](self.norms[i](self.lins[i](x)))
        return self.lins[-1](x)


class Block(nn.Module):
    """BasicBlock / SparseBasicBlock / SigmaBasicBlock (metanet_data layout), option-B shortcut, GroupNorm(1, C)."""
    def __init__(self, cin, planes, stride, variant, kappa):
        super().__init__()
        conv = (lambda i, o, k, s, p: SparseConv2d(i, o, k, s, p, kappa)) if variant == 'w' else \
            (lambda i, o, k, s, p: nn.Conv2d(i, o, k, stride=s, padding=p, bias=False))
        self.conv1 = conv(cin, planes, 3, stride, 1)
        self.ln1 = nn.GroupNorm(1, planes)
        self.conv2 = conv(planes, planes, 3, 1, 1)
        self.ln2 = nn.GroupNorm(1, planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != planes:
            self.shortcut = nn.Sequential(conv(cin, planes, 1, stride, 0), nn.GroupNorm(1, planes))
        self.sigma = variant == 'sigma'
        if self.sigma:
            self.nonlin1 = AsymConv2dSwiGLU(planes)
            self.nonlin2 = AsymConv2dSwiGLU(planes)

    def forward(self, x):
        act1 = self.nonlin1 if self.sigma else F.relu
        act2 = self.nonlin2 if self.sigma else F.relu
        out = act1(self.ln1(self.conv1(x)))
        out = self.ln2(self.conv2(out))
        out = out + self.shortcut(x)
        return act2(out)


class ResNet(nn.Module):
    def __init__(self, blocks, variant, kappa=2.0, classes=10, in_ch=3):
        super().__init__()
        self.conv1 = SparseConv2d(in_ch, 16, 3, 1, 1, kappa) if variant == 'w' else nn.Conv2d(in_ch, 16, 3, padding=1, bias=False)
        self.ln1 = nn.GroupNorm(1, 16)
        cin = 16
        for s, planes in enumerate([16, 32, 64]):
            layers = []
            for b in range(blocks):
                layers.append(Block(cin, planes, 2 if (b == 0 and s > 0) else 1, variant, kappa))
                cin = planes
            setattr(self, f'layer{s + 1}', nn.Sequential(*layers))
        self.linear = SparseLinear(64, classes, kappa) if variant == 'w' else nn.Linear(64, classes)
        self.sigma = variant == 'sigma'
        if self.sigma:
            self.nonlin = AsymConv2dSwiGLU(16)

    def forward(self, x):
        out = (self.nonlin if self.sigma else F.relu)(self.ln1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size()[3]).flatten(1)
        return self.linear(out)


class MyConv(nn.Module):
    def __init__(self, din, dout, kappa):
        super().__init__()
        self.mlp = nn.Sequential(SparseLinear(din, dout, kappa), nn.BatchNorm1d(dout), AsymSwiGLURight(dout))

    def forward(self, x, rowptr, col):
        # PyG SimpleConv(aggr='mean', combine_root='sum'): x_i + mean of x_j over the neighbours j of i.
        agg = torch.zeros_like(x)
        for i in range(x.shape[0]):
            nb = col[rowptr[i]:rowptr[i + 1]]
            if len(nb):
                agg[i] = x[nb].mean(0)
        return self.mlp(x + agg)


class WGNN(nn.Module):
    """asym_w_gnn: SparseLinear (kappa 0.5) + BatchNorm1d + AsymSwiGLU in every conv, SparseLinear head."""
    def __init__(self, din, hidden, classes, layers):
        super().__init__()
        self.convs = nn.ModuleList(MyConv(din if i == 0 else hidden, hidden, 0.5) for i in range(layers))
        self.lin = SparseLinear(hidden, classes, 0.5)

    def forward(self, x, rowptr, col):
        for conv in self.convs:
            x = conv(x, rowptr, col)
        return self.lin(x)


# ---- cases ------------------------------------------------------------------------------------------------------
# An undirected 12-node graph (both directions listed) with one isolated node (11), as CSR.
EDGES = [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (9, 10), (10, 0), (3, 8)]


def graph_csr(n=12):
    nbrs = [[] for _ in range(n)]
    for a, b in EDGES:
        nbrs[a].append(b)
        nbrs[b].append(a)
    rowptr, col = [0], []
    for lst in nbrs:
        col.extend(sorted(lst))
        rowptr.append(len(col))
    return rowptr, col


def f32(v):
    """A float32 value as the shortest decimal that reads back to it (keeps the files small)."""
    return float(str(np.float32(v)))


def run_case(name, preset, variant, model, input_shape, graph=None):
    torch.manual_seed(0)
    sd = model.state_dict()
    keys = list(sd.keys())
    filled = {k: torch.from_numpy(fill_value(SEED, k, tuple(v.shape))).to(v.dtype) for k, v in sd.items()}
    model.load_state_dict(filled)
    model.train()
    x = torch.from_numpy(fill_value(SEED, 'input', input_shape, ('uniform', 0.0, 1.0)))
    batch = input_shape[0]
    targets = [(3 * i + 1) % 10 for i in range(batch)]
    if graph is None:
        logits = model(x)
    else:
        logits = model(x, *graph)
    loss = F.cross_entropy(logits, torch.tensor(targets))
    loss.backward()

    sampler = np.random.RandomState(0)
    grads = {}
    for k, p in model.named_parameters():
        g = p.grad.detach().numpy().astype(np.float64).ravel()
        entry = {'shape': list(p.shape), 'norm': float(np.linalg.norm(g))}
        if g.size <= 4096:
            entry['values'] = [f32(v) for v in g]
        else:
            idx = np.sort(sampler.choice(g.size, 256, replace=False))
            entry['indices'] = [int(i) for i in idx]
            entry['values'] = [f32(g[i]) for i in idx]
        grads[k] = entry
    out = {
        'case': name, 'preset': preset, 'variant': variant, 'seed': SEED, 'torch': torch.__version__,
        'inputShape': list(input_shape), 'targets': targets, 'keys': keys,
        'logits': [f32(v) for v in logits.detach().numpy().ravel()], 'loss': float(loss),
        'grads': grads,
    }
    if graph is not None:
        out['graph'] = {'rowPointers': graph[0], 'columnIndices': graph[1]}
        out['buffersAfterForward'] = {k: [f32(v) for v in t.numpy().ravel()]
                                      for k, t in model.state_dict().items() if 'running' in k or 'num_batches' in k}
    here = os.path.dirname(os.path.abspath(__file__))
    dst = os.path.join(here, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'models', f'{name}.json')
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print(f'{name}: {len(keys)} keys, loss {float(loss):.6f}, {os.path.getsize(dst)} bytes')


def main():
    torch.set_num_threads(1)
    run_case('mlp-standard', 'mlp', 'standard', MLP([784, 512, 512, 512, 10], 'standard'), (4, 1, 28, 28))
    run_case('mlp-w', 'mlp', 'w', MLP([784, 512, 512, 512, 10], 'w', [1.0, 1.0, 0.5, 0.25]), (4, 1, 28, 28))
    run_case('mlp-sigma', 'mlp', 'sigma', MLP([784, 512, 512, 512, 10], 'sigma'), (4, 1, 28, 28))
    run_case('resnet20-standard', 'resnet20', 'standard', ResNet(3, 'standard'), (4, 3, 32, 32))
    run_case('resnet8-w', 'resnet8', 'w', ResNet(1, 'w', kappa=2.0), (4, 3, 32, 32))
    run_case('resnet8-sigma', 'resnet8', 'sigma', ResNet(1, 'sigma'), (4, 3, 32, 32))
    rowptr, col = graph_csr()
    run_case('gnn-w', 'gnn', 'w', WGNN(128, 256, 40, 3), (12, 128), graph=(rowptr, col))


if __name__ == '__main__':
    main()
