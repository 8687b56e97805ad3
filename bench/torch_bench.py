#!/usr/bin/env python3
"""PyTorch side of `asym bench`: a long-lived worker driven over stdin/stdout, one JSON object per line.

`asym bench` starts it once (so torch's import cost is paid once), with OPENBLAS_CORETYPE set as AsymNet's own (docs/compute.md), and sends
requests interleaved with its own measurements. Requests and replies:

  {"op": "info"}                                          -> {"ok": true, "torch": ..., "default_threads": ..., "openblas_core": ...}
  {"op": "sgemm", "m": M, "n": N, "k": K, "threads": T, "min_seconds": S}
                                                          -> {"ok": true, "value": GFLOP/s, "setting": "torch threads=T"}
  {"op": "conv2d", "batch": N, "in_channels": C, "out_channels": O, "size": S, "stride": s, "flops": F, "threads": T,
   "min_seconds": S}                                      -> {"ok": true, "value": GFLOP/s, "setting": "torch threads=T"}
  {"op": "mlp4", "data_dir": DIR, "threads": T, "seed": S, "batch": 64, "epochs": 1, "lr": 1e-3}
  {"op": "bnn_mlp", "data_dir": DIR, "threads": T, "seed": S, "linears": 9, "rank": 4, "log_s": -10, "prior_precision": 0.01, "lr": 5e-4, "batch": 250, "kl_count": N}
                                                          -> {"ok": true, "value": samples/s, "accuracy": test acc, ...}
  {"op": "lap", "n": N, "seed": S, "min_seconds": S}      -> {"ok": true, "value": solves/s, "setting": "scipy ..."}
  {"op": "rebasin_mlp4", "threads": T, "seed": S, "min_seconds": S}
                                                          -> {"ok": true, "value": matchings/s, "sweeps": ..., ...}
  {"op": "resnet_train", "depth": D, "batch": B, "optimizer": "sgd"|"adamw", "lr": LR, "steps": S, "threads": T}
                                                          -> {"ok": true, "value": images/s, ...}
  {"op": "resnet_forward", "depth": D, "batch": B, "steps": S, "threads": T}
                                                          -> {"ok": true, "value": images/s, ...}
  {"op": "resnet_zoo" | "resnet_zoo_runs", "depth": 8, "in_channels": C, "size": S, "classes": K, "variants": ["standard", "w"],
   "batch": B, "lr": LR, "weight_decay": WD, "label_smoothing": LS, "epochs": E, "peak_epoch": P, "steps_per_epoch": N,
   "steps": S, "warmup": W, "threads": T, "runs": R, "images_per_network": I}
                                                          -> {"ok": true, "value": networks/hour, ...}
  {"op": "gnn_epoch", "dir": DIR, "nodes": N, "features": F, "epochs": E, "threads": T}
                                                          -> {"ok": true, "value": epochs/s, ...}
  {"op": "metanet_train", "metanet": "mlp"|"dmc", "inputs": N, "batch": B, "steps": S, "lr": LR, "weight_decay": WD,
   "threads": T, "seed": S}                              -> {"ok": true, "value": networks/s, ...}
  {"op": "quit"}

Replies may carry "detail" (measured extras; "setting" stays the same text every repetition, since medians are taken
per setting). Every reply also carries "peak_rss_mb", the worker's peak resident set during the request (VmHWM after a reset),
and "base_rss_mb", its resident set when the request started.

Errors answer {"ok": false, "error": "..."}; the worker keeps serving. PyTorch is only the peer AsymNet is
measured against, never a dependency of AsymNet itself.
"""
import ctypes
import gc
import gzip
import json
import math
import os
import resource
import struct
import sys
import time
import traceback

import torch

DEFAULT_THREADS = torch.get_num_threads()


def openblas_core():
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_num_threads.restype = ctypes.c_int
        return lib.openblas_get_corename().decode(), lib.openblas_get_num_threads()
    except OSError:
        return None, None


def info(_req):
    core, blas_threads = openblas_core()
    return {"torch": torch.__version__, "default_threads": DEFAULT_THREADS, "openblas_core": core,
            "openblas_threads": blas_threads, "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE")}


def sgemm(req):
    m, n, k = req["m"], req["n"], req["k"]
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(1)
    a = torch.rand(m, k, generator=gen) - 0.5
    b = torch.rand(k, n, generator=gen) - 0.5
    c = torch.empty(m, n)
    with torch.no_grad():
        torch.mm(a, b, out=c)  # warm-up
        calls, start = 0, time.perf_counter()
        while True:
            torch.mm(a, b, out=c)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= req.get("min_seconds", 0.5):
                break
    return {"value": 2.0 * m * n * k * calls / elapsed / 1e9, "setting": f"torch threads={threads}", "calls": calls}


def conv2d(req):
    """3x3 convolution, padding 1, no bias: forward and backward of y.sum() into input and weight, as in a ResNet."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(1)
    x = (torch.rand(req["batch"], req["in_channels"], req["size"], req["size"], generator=gen) * 2 - 1).requires_grad_()
    w = ((torch.rand(req["out_channels"], req["in_channels"], 3, 3, generator=gen) - 0.5) * 0.4).requires_grad_()

    def one_pass():
        torch.nn.functional.conv2d(x, w, stride=req["stride"], padding=1).sum().backward()

    one_pass()  # warm-up
    passes, start = 0, time.perf_counter()
    while True:
        one_pass()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= req.get("min_seconds", 0.5):
            break
    return {"value": req["flops"] * passes / elapsed / 1e9, "setting": f"torch threads={threads}", "passes": passes}


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    t = torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8)
    return t.reshape(shape)


def load_fashion(data_dir, split):
    def find(stem):
        for name in (stem + ".gz", stem):
            p = os.path.join(data_dir, name)
            if os.path.exists(p):
                return p
        raise FileNotFoundError(f"{stem}(.gz) not found in {data_dir}")
    x = read_idx(find(f"{split}-images-idx3-ubyte")).reshape(-1, 784).float().div_(255.0)
    x = (x - 0.2860) / 0.3530
    y = read_idx(find(f"{split}-labels-idx1-ubyte")).long()
    return x, y


_DATA = {}


def reset_peak_rss():
    """Restarts the kernel's resident-set high-water mark (VmHWM), as AsymNet's side does before each repetition, and
    returns the resident set (VmRSS, MiB) at that moment."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS:")


def _status_mb(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def peak_rss_mb():
    """Peak resident set (MiB) since reset_peak_rss: VmHWM, else ru_maxrss (the lifetime peak)."""
    peak = _status_mb("VmHWM:")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class SparseLinear(torch.nn.Linear):
    """The authors' W-Asymmetric linear (lmc/models/models_mlp.py, mask_type random_subsets): every forward overwrites
    weight.data with M*W + (1-M)*kappa*F, and a hook masks the weight's gradient."""

    def __init__(self, in_features, out_features, nfix, kappa, gen):
        super().__init__(in_features, out_features)
        mask = torch.ones(out_features, in_features)
        for r in range(out_features):
            mask[r, torch.randperm(in_features, generator=gen)[:nfix]] = 0
        self.register_buffer("mask", mask)
        self.register_buffer("normal_mask", torch.randn(out_features, in_features, generator=gen))
        self.mask_constant = kappa
        self.weight.register_hook(lambda g: g * self.mask)

    def forward(self, x):
        self.weight.data = self.weight.data * self.mask + (1 - self.mask) * self.mask_constant * self.normal_mask
        return torch.nn.functional.linear(x, self.weight, self.bias)


def fashion_splits(data_dir):
    """Fashion-MNIST's (train, test) tensors, loaded once per process."""
    if data_dir not in _DATA:
        _DATA[data_dir] = (load_fashion(data_dir, "train"), load_fashion(data_dir, "t10k"))
    return _DATA[data_dir]


def mlp4(req):
    """MLP-4 (784-512-512-512-10, LayerNorm, GELU); variant "w" uses the paper's Table 5 sparse layers."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    (xtr, ytr), (xte, yte) = fashion_splits(req["data_dir"])
    torch.manual_seed(req.get("seed", 0))
    nn = torch.nn
    wasym = req.get("variant", "standard") == "w"
    mask_gen = torch.Generator().manual_seed(12345)
    nfix, kappa = [64, 64, 64, 256], [1.0, 1.0, 0.5, 0.25]

    def linear(i, fan_in, fan_out):
        return SparseLinear(fan_in, fan_out, nfix[i], kappa[i], mask_gen) if wasym else nn.Linear(fan_in, fan_out)

    layers, width = [], 784
    for i in range(3):
        layers += [linear(i, width, 512), nn.LayerNorm(512), nn.GELU()]
        width = 512
    layers.append(linear(3, width, 10))
    model = nn.Sequential(*layers)
    lr, wd = req.get("lr", 1e-3), req.get("weight_decay", 0.0)
    if req.get("optimizer", "adam") == "adamw":
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)
    loss_fn = nn.CrossEntropyLoss()
    batch, epochs = req.get("batch", 64), req.get("epochs", 1)
    gen = torch.Generator().manual_seed(req.get("seed", 0))
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(xtr.shape[0], generator=gen)
        for i in range(0, xtr.shape[0], batch):
            idx = order[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
    train_seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        correct = sum(int((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum()) for i in range(0, xte.shape[0], 1000))
    return {"value": epochs * xtr.shape[0] / train_seconds, "accuracy": correct / xte.shape[0],
            "train_seconds": train_seconds, "setting": f"torch threads={threads}", "final_loss": float(loss)}


class ElrgLinear(torch.nn.Module):
    """The ELRG posterior N(mu, diag(s) + alpha V^T V), alpha = 1/rank, of one Linear (AsymNet's Bayes.ElrgLinear; the
    authors' bnn/alg.py): local reparameterisation for the fixed diagonal (variance = x^2 s_w + s_b through the same
    linear op), the low-rank part as one scalar eps per (example, rank) through all rank directions in one GEMM, and the
    closed-form KL to N(0, sigma_p^2 I) with the k x k capacitance log-det."""

    def __init__(self, fin, fout, rank, log_s, prior_var):
        super().__init__()
        self.lin = torch.nn.Linear(fin, fout)
        self.rank, self.alpha, self.prior_var = rank, 1.0 / rank, prior_var
        std = float(self.lin.weight.detach().std())
        self.v_w = torch.nn.Parameter(0.5 * std / math.sqrt(rank) * torch.randn(rank, fout, fin))
        self.v_b = torch.nn.Parameter(0.01 * torch.randn(rank, fout))
        self.register_buffer("s_w", torch.full((fout, fin), math.exp(log_s)))
        self.register_buffer("s_b", torch.full((fout,), math.exp(log_s)))

    def forward(self, x):
        mean = self.lin(x)
        var = torch.nn.functional.linear(x * x, self.s_w, self.s_b)
        out = mean + var.sqrt() * torch.randn_like(mean)
        z = torch.nn.functional.linear(x, self.v_w.reshape(-1, x.shape[1]), self.v_b.reshape(-1)).view(x.shape[0], self.rank, -1)
        eps = torch.randn(x.shape[0], self.rank, 1)
        return out + math.sqrt(self.alpha) * (z * eps).sum(1)

    def kl(self):
        w, b = self.lin.weight, self.lin.bias
        s = torch.cat([self.s_w.reshape(-1), self.s_b])
        v = torch.cat([self.v_w.reshape(self.rank, -1), self.v_b], dim=1)
        cap = torch.eye(self.rank) + self.alpha * (v / s) @ v.t()
        pv, d = self.prior_var, s.numel()
        return 0.5 * ((s.sum() + self.alpha * (v * v).sum()) / pv - s.log().sum() - torch.logdet(cap)
                      + ((w * w).sum() + (b * b).sum()) / pv + d * (math.log(pv) - 1))


def bnn_mlp(req):
    """BNN MLP (width 256, LayerNorm, ReLU, ELRG rank k on every linear, fixed log s), Adam, ELBO = NLL + KL/N_data;
    one Fashion-MNIST epoch: training samples/s and the test accuracy of a one-sample forward."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    (xtr, ytr), (xte, yte) = fashion_splits(req["data_dir"])
    torch.manual_seed(req.get("seed", 0))
    nn = torch.nn
    rank, log_s, precision = req["rank"], req["log_s"], req["prior_precision"]
    layers, width, elrg = [], 784, []
    for i in range(req["linears"]):
        last = i == req["linears"] - 1
        out = 10 if last else 256
        layer = ElrgLinear(width, out, rank, log_s, 1.0 / (precision * out))
        elrg.append(layer)
        layers += [layer] if last else [layer, nn.LayerNorm(256), nn.ReLU()]
        width = out
    model = nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=req["lr"])
    loss_fn = nn.CrossEntropyLoss()
    batch, n_data = req["batch"], req["kl_count"]
    gen = torch.Generator().manual_seed(req.get("seed", 0))
    start = time.perf_counter()
    order = torch.randperm(xtr.shape[0], generator=gen)
    for i in range(0, xtr.shape[0], batch):
        idx = order[i:i + batch]
        opt.zero_grad(set_to_none=True)
        nll = loss_fn(model(xtr[idx]), ytr[idx])
        loss = nll + sum(l.kl() for l in elrg) / n_data
        loss.backward()
        opt.step()
    train_seconds = time.perf_counter() - start
    with torch.no_grad():
        correct = sum(int((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum()) for i in range(0, xte.shape[0], 1000))
    return {"value": xtr.shape[0] / train_seconds, "accuracy": correct / xte.shape[0],
            "train_seconds": train_seconds, "setting": f"torch threads={threads}", "final_loss": float(nll)}


def lap(req):
    # SciPy is imported here so that the torch workloads run without it.
    import numpy as np
    import scipy
    from scipy.optimize import linear_sum_assignment
    n = req["n"]
    rng = np.random.default_rng(req.get("seed", 1))
    matrices = [rng.random((n, n)) for _ in range(8)]
    for m in matrices:
        linear_sum_assignment(m)  # warm-up
    calls, start = 0, time.perf_counter()
    while True:
        linear_sum_assignment(matrices[calls % len(matrices)])
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= req.get("min_seconds", 0.5):
            break
    return {"value": calls / elapsed, "setting": f"scipy {scipy.__version__}", "detail": f"{1e3 * elapsed / calls:.2f} ms/solve", "calls": calls}


def mlp_params(seed):
    """State dict of the authors' LMC MLP (lins.i = Linear, norms.i = LayerNorm), PyTorch default init."""
    torch.manual_seed(seed)
    params, width = {}, 784
    for i in range(4):
        out = 10 if i == 3 else 512
        lin = torch.nn.Linear(width, out)
        params[f"lins.{i}.weight"], params[f"lins.{i}.bias"] = lin.weight.detach(), lin.bias.detach()
        if i < 3:
            norm = torch.nn.LayerNorm(out)
            params[f"norms.{i}.weight"], params[f"norms.{i}.bias"] = norm.weight.detach(), norm.bias.detach()
        width = out
    return params


def mlp_perm_spec():
    """mlp_permutation_spec(3, norm=True) of lmc/rebasin/weight_matching.py: key -> per-axis permutation name."""
    axes = {"lins.0.weight": ("P_0", None), "lins.3.weight": (None, "P_2"), "lins.3.bias": (None,)}
    for i in range(3):
        if i > 0:
            axes[f"lins.{i}.weight"] = (f"P_{i}", f"P_{i - 1}")
        for k in (f"lins.{i}.bias", f"norms.{i}.weight", f"norms.{i}.bias"):
            axes[k] = (f"P_{i}",)
    perm_to_axes = {}
    for key, ps in axes.items():
        for axis, p in enumerate(ps):
            if p is not None:
                perm_to_axes.setdefault(p, []).append((key, axis))
    return axes, perm_to_axes


def weight_matching(axes_to_perm, perm_to_axes, params_a, params_b, max_iter=100):
    """The authors' weight_matching (lmc/rebasin/weight_matching.py, from git-re-basin-pytorch), re-typed."""
    from scipy.optimize import linear_sum_assignment

    def permuted(perm, k, except_axis):
        w = params_b[k]
        for axis, p in enumerate(axes_to_perm[k]):
            if axis != except_axis and p is not None:
                w = torch.index_select(w, axis, perm[p].int())
        return w

    sizes = {p: params_a[axes[0][0]].shape[axes[0][1]] for p, axes in perm_to_axes.items()}
    perm = {p: torch.arange(n) for p, n in sizes.items()}
    names = list(perm.keys())
    sweeps = 0
    for _ in range(max_iter):
        sweeps += 1
        progress = False
        for p_ix in torch.randperm(len(names)):
            p = names[p_ix]
            n = sizes[p]
            a = torch.zeros((n, n))
            for wk, axis in perm_to_axes[p]:
                w_a = torch.moveaxis(params_a[wk], axis, 0).reshape((n, -1))
                w_b = torch.moveaxis(permuted(perm, wk, axis), axis, 0).reshape((n, -1))
                a += w_a @ w_b.T
            _, ci = linear_sum_assignment(a.numpy(), maximize=True)
            old = torch.einsum("ij,ij->i", a, torch.eye(n)[perm[p].long()]).sum()
            new = torch.einsum("ij,ij->i", a, torch.eye(n)[ci, :]).sum()
            progress = progress or new > old + 1e-12
            perm[p] = torch.Tensor(ci)
        if not progress:
            break
    return perm, sweeps


def rebasin_mlp4(req):
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    seed = req.get("seed", 1)
    params_a, params_b = mlp_params(seed), mlp_params(seed + 1)
    axes, perm_to_axes = mlp_perm_spec()
    torch.manual_seed(0)
    with torch.no_grad():
        _, sweeps = weight_matching(axes, perm_to_axes, params_a, params_b)  # warm-up
        calls, start = 0, time.perf_counter()
        while True:
            weight_matching(axes, perm_to_axes, params_a, params_b)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= req.get("min_seconds", 0.5):
                break
    return {"value": calls / elapsed, "sweeps": sweeps,
            "setting": f"torch threads={threads}", "detail": f"{sweeps} sweeps, {1e3 * elapsed / calls:.0f} ms/matching", "calls": calls}


class SparseConv2d(torch.nn.Conv2d):
    """The authors' W-Asymmetric conv of the metanet zoo (metanet_data/models.py, mask_type filter_random_subsets, no
    bias): nfix whole input filters fixed per output channel; like SparseLinear, every forward overwrites weight.data
    with M*W + (1-M)*kappa*F and a hook masks the weight's gradient."""

    def __init__(self, cin, cout, k, stride, nfix, kappa, gen):
        super().__init__(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        mask = torch.ones(cout, cin, k, k)
        for c in range(cout):
            mask[c, torch.randperm(cin, generator=gen)[:nfix]] = 0
        self.register_buffer("mask", mask)
        self.register_buffer("normal_mask", torch.randn(cout, cin, k, k, generator=gen))
        self.mask_constant = kappa
        self.weight.register_hook(lambda g: g * self.mask)

    def forward(self, x):
        self.weight.data = self.weight.data * self.mask + (1 - self.mask) * self.mask_constant * self.normal_mask
        return self._conv_forward(x, self.weight, None)


def conv_factory(wasym):
    """Conv layers of a ResNet: standard nn.Conv2d, or the zoo's W-Asym SparseConv2d (8 fixed input filters, kappa 2)."""
    gen = torch.Generator().manual_seed(12345)

    def conv(cin, cout, k, stride=1):
        if wasym:
            return SparseConv2d(cin, cout, k, stride, 8, 2.0, gen)
        return torch.nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
    return conv, gen


class ResBlock(torch.nn.Module):
    """The authors' BasicBlock (lmc/models/models_resnet.py): conv-GN-ReLU, conv-GN, option-B shortcut, ReLU."""

    def __init__(self, cin, planes, stride, conv):
        super().__init__()
        nn = torch.nn
        self.conv1 = conv(cin, planes, 3, stride)
        self.ln1 = nn.GroupNorm(1, planes)
        self.conv2 = conv(planes, planes, 3)
        self.ln2 = nn.GroupNorm(1, planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != planes:
            self.shortcut = nn.Sequential(conv(cin, planes, 1, stride), nn.GroupNorm(1, planes))

    def forward(self, x):
        relu = torch.nn.functional.relu
        out = relu(self.ln1(self.conv1(x)))
        out = self.ln2(self.conv2(out))
        return relu(out + self.shortcut(x))


class ResNet(torch.nn.Module):
    """CIFAR ResNet with GroupNorm(1, C) (the paper's LMC ResNet20 at depth 20, the zoo's ResNet8 at depth 8), width 1.
    wasym: the zoo's W-Asym ResNet8 (metanet_data sparse_resnet8): every conv SparseConv2d, the head SparseLinear with 8
    fixed entries per row, kappa 2, kaiming-uniform init (the authors do not re-initialise sparse layers)."""

    def __init__(self, depth, classes=10, in_channels=3, wasym=False):
        super().__init__()
        nn = torch.nn
        conv, gen = conv_factory(wasym)
        blocks = (depth - 2) // 6
        self.conv1 = conv(in_channels, 16, 3)
        self.ln1 = nn.GroupNorm(1, 16)
        layers, cin = [], 16
        for s, planes in enumerate([16, 32, 64]):
            for b in range(blocks):
                layers.append(ResBlock(cin, planes, 2 if (b == 0 and s > 0) else 1, conv))
                cin = planes
        self.layers = nn.Sequential(*layers)
        self.linear = SparseLinear(64, classes, 8, 2.0, gen) if wasym else nn.Linear(64, classes)
        if not wasym:
            for m in self.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        out = torch.nn.functional.relu(self.ln1(self.conv1(x)))
        out = self.layers(out)
        out = torch.nn.functional.avg_pool2d(out, out.size()[3]).flatten(1)
        return self.linear(out)


def synthetic_images(count, seed, channels=3, size=32, classes=10):
    """Standard-normal images (like normalised CIFAR) with uniform labels; throughput does not depend on content."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(count, channels, size, size, generator=gen), torch.randint(0, classes, (count,), generator=gen)


def resnet_train(req):
    """Training steps of a ResNet on synthetic batches: images/s over the timed steps (after warm-up steps)."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    torch.manual_seed(req.get("seed", 0))
    batch, steps, warmup = req["batch"], req["steps"], req.get("warmup", 2)
    model = ResNet(req["depth"])
    if req["optimizer"] == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=req["lr"], momentum=req.get("momentum", 0.9))
    else:
        opt = torch.optim.AdamW(model.parameters(), lr=req["lr"], weight_decay=req.get("weight_decay", 0.01))
    x, y = synthetic_images(batch * req.get("batches", 4), req.get("seed", 0))
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()

    def step(i):
        j = (i % (x.shape[0] // batch)) * batch
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[j:j + batch]), y[j:j + batch])
        loss.backward()
        opt.step()

    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(warmup + i)
    elapsed = time.perf_counter() - start
    return {"value": steps * batch / elapsed, "setting": f"torch threads={threads}", "seconds": elapsed}


def triangular(t, req):
    """The zoo's triangular lr factor at global step t (np.interp(t, [0, peak*S, epochs*S], [0, 1, 0]))."""
    s = req["steps_per_epoch"]
    peak, end = req["peak_epoch"] * s, req["epochs"] * s
    if t <= 0 or t >= end:
        return 0.0
    return t / peak if t < peak else (end - t) / (end - peak)


def zoo_network(req, variant):
    """A zoo network of `variant` ready to train: step(i) runs global step i (lr on the triangular schedule, label
    smoothing) on synthetic batches of the request's shape; a non-finite loss raises (it would flatter the timing)."""
    torch.manual_seed(req.get("seed", 0))
    if variant not in ("standard", "w"):
        raise ValueError(f"zoo variant {variant!r} has no torch peer here")
    model = ResNet(req["depth"], req["classes"], req["in_channels"], wasym=variant == "w")
    opt = torch.optim.AdamW(model.parameters(), lr=req["lr"], weight_decay=req["weight_decay"])
    batch = req["batch"]
    x, y = synthetic_images(batch * 4, req.get("seed", 0), req["in_channels"], req["size"], req["classes"])
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=req["label_smoothing"])
    model.train()

    def step(i, offset=0):
        for g in opt.param_groups:
            g["lr"] = req["lr"] * triangular(i, req)
        j = ((offset + i) % 4) * batch
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[j:j + batch]), y[j:j + batch])
        if not torch.isfinite(loss):
            raise FloatingPointError(f"the loss became {loss.item()} at step {i + 1} on synthetic data")
        loss.backward()
        opt.step()
    return step


def zoo_seconds(req, offset=0, ready=None):
    """Builds and warms up one network per variant, then times `steps` steps of each in turn (after `ready`, a barrier)."""
    steps, warmup = req["steps"], req.get("warmup", 2)
    networks = [zoo_network(req, v) for v in req["variants"]]
    for step in networks:
        for i in range(warmup):
            step(i, offset)
    if ready is not None:
        ready()
    start = time.perf_counter()
    for step in networks:
        for i in range(warmup, warmup + steps):
            step(i, offset)
    return time.perf_counter() - start


def zoo_images(req):
    return len(req["variants"]) * req["steps"] * req["batch"]


def resnet_zoo(req):
    """One zoo network at a time (each variant in turn), at the request's torch threads: networks/hour."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    images_per_second = zoo_images(req) / zoo_seconds(req)
    return {"value": 3600 * images_per_second / req["images_per_network"],
            "setting": f"1 network, torch threads={threads}", "detail": f"{images_per_second:.0f} images/s"}


def _zoo_child(req, run, barrier, queue):
    torch.set_num_threads(1)
    seconds = zoo_seconds(req, run, barrier.wait)
    queue.put((seconds, peak_rss_mb()))


def resnet_zoo_runs(req):
    """One zoo run per core, each in its own spawned process with 1 torch thread, timed together after a barrier."""
    import multiprocessing
    ctx = multiprocessing.get_context("spawn")
    runs = req["runs"]
    barrier, queue = ctx.Barrier(runs), ctx.Queue()
    procs = [ctx.Process(target=_zoo_child, args=(req, r, barrier, queue)) for r in range(runs)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    images_per_second = runs * zoo_images(req) / max(r[0] for r in results)
    # Memory of the whole job: this worker plus every child's peak (the children start from nothing: all of it added).
    return {"value": 3600 * images_per_second / req["images_per_network"], "peak_rss_mb": peak_rss_mb() + sum(r[1] for r in results),
            "setting": f"{runs} processes x 1 torch thread", "detail": f"{images_per_second:.0f} images/s"}


def resnet_forward(req):
    """Inference (eval mode, no grad) of a ResNet on synthetic batches: images/s."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    torch.manual_seed(req.get("seed", 0))
    batch, steps, warmup = req["batch"], req["steps"], req.get("warmup", 2)
    model = ResNet(req["depth"]).eval()
    x, _ = synthetic_images(batch * 2, req.get("seed", 0))
    with torch.no_grad():
        for i in range(warmup):
            model(x[(i % 2) * batch:(i % 2 + 1) * batch])
        start = time.perf_counter()
        for i in range(steps):
            model(x[(i % 2) * batch:(i % 2 + 1) * batch])
        elapsed = time.perf_counter() - start
    return {"value": steps * batch / elapsed, "setting": f"torch threads={threads}", "seconds": elapsed}


def gnn_epoch(req):
    """Full-graph training epochs (one Adam step each) of the standard GNN on a graph AsymNet wrote to req["dir"]:
    3 x [x + mean over neighbours -> Linear -> BatchNorm1d -> GELU], Linear head, cross-entropy on the train nodes.
    The mean aggregation is a sparse-dense product with a row-normalised adjacency (COO), torch's fastest CPU form."""
    import numpy as np
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    torch.manual_seed(req.get("seed", 0))
    d = req["dir"]
    n, f = req["nodes"], req["features"]
    x = torch.from_numpy(np.fromfile(os.path.join(d, "features.f32"), dtype=np.float32).reshape(n, f))
    rowptr = torch.from_numpy(np.fromfile(os.path.join(d, "rowptr.i32"), dtype=np.int32).astype(np.int64))
    col = torch.from_numpy(np.fromfile(os.path.join(d, "col.i32"), dtype=np.int32).astype(np.int64))
    labels = torch.from_numpy(np.fromfile(os.path.join(d, "labels.i32"), dtype=np.int32).astype(np.int64))
    train = torch.from_numpy(np.fromfile(os.path.join(d, "train.i32"), dtype=np.int32).astype(np.int64))
    deg = (rowptr[1:] - rowptr[:-1])
    row = torch.repeat_interleave(torch.arange(n), deg)
    vals = (1.0 / deg.clamp(min=1).float())[row]
    adj = torch.sparse_coo_tensor(torch.stack([row, col]), vals, (n, n)).coalesce()
    nn = torch.nn
    hidden, classes = req.get("hidden", 256), req.get("classes", 10)
    convs = nn.ModuleList(nn.Sequential(nn.Linear(f if i == 0 else hidden, hidden), nn.BatchNorm1d(hidden), nn.GELU())
                          for i in range(req.get("layers", 3)))
    head = nn.Linear(hidden, classes)
    params = list(convs.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    y_train = labels[train]

    def epoch():
        opt.zero_grad(set_to_none=True)
        h = x
        for conv in convs:
            h = conv(h + torch.sparse.mm(adj, h))
        loss = loss_fn(head(h)[train], y_train)
        loss.backward()
        opt.step()

    for _ in range(req.get("warmup", 2)):
        epoch()
    epochs, start = req["epochs"], time.perf_counter()
    for _ in range(epochs):
        epoch()
    elapsed = time.perf_counter() - start
    return {"value": epochs / elapsed, "setting": f"torch threads={threads}", "seconds": elapsed}




class MetanetMLP(torch.nn.Module):
    """The authors' metanet MLP (metanet/models.py): Linear -> ReLU -> LayerNorm -> Linear."""
    def __init__(self, inputs, hidden=64):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(inputs, hidden), torch.nn.ReLU(), torch.nn.LayerNorm(hidden),
                                       torch.nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x)


class Dmc(torch.nn.Module):
    """The authors' DMC (metanet/models.py): 6 doubling stages Conv1d(k5) -> ReLU -> BN -> MaxPool(2), 4 more convs at 64
    pooled after the 2nd and 4th, per-position Linear -> LN -> ReLU, mean, Linear -> LN -> ReLU -> Linear."""
    def __init__(self, hidden=64, depth=10):
        super().__init__()
        layers, c = [], 1
        for i in range(depth):
            nxt = c * 2 if c < hidden else hidden
            layers += [torch.nn.Conv1d(c, nxt, 5), torch.nn.ReLU(), torch.nn.BatchNorm1d(nxt)]
            if i < 6 or (i - 6) % 2 == 1:
                layers.append(torch.nn.MaxPool1d(2))
            c = nxt
        self.convs = torch.nn.Sequential(*layers)
        self.pos = torch.nn.Sequential(torch.nn.Linear(hidden, hidden), torch.nn.LayerNorm(hidden), torch.nn.ReLU())
        self.head = torch.nn.Sequential(torch.nn.Linear(hidden, hidden), torch.nn.LayerNorm(hidden), torch.nn.ReLU(),
                                        torch.nn.Linear(hidden, 1))

    def forward(self, x):
        h = self.convs(x.unsqueeze(1)).transpose(1, 2)
        return self.head(self.pos(h).mean(1))


def metanet_train(req):
    """Metanet training steps (MSE, AdamW) on synthetic weight vectors: networks/s over the timed steps after one warm-up."""
    threads = req.get("threads") or DEFAULT_THREADS
    torch.set_num_threads(threads)
    torch.manual_seed(req.get("seed", 0))
    n, batch, steps = req["inputs"], req["batch"], req["steps"]
    model = MetanetMLP(n) if req["metanet"] == "mlp" else Dmc()
    opt = torch.optim.AdamW(model.parameters(), lr=req["lr"], weight_decay=req["weight_decay"])
    batches = [(0.05 * torch.randn(batch, n), torch.rand(batch, 1)) for _ in range(2)]
    model.train()

    def step(i):
        x, y = batches[i % 2]
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()

    step(0)
    start = time.perf_counter()
    for i in range(steps):
        step(i + 1)
    elapsed = time.perf_counter() - start
    return {"value": steps * batch / elapsed, "setting": f"torch threads={threads}", "seconds": elapsed}


OPS = {"info": info, "sgemm": sgemm, "conv2d": conv2d, "mlp4": mlp4, "bnn_mlp": bnn_mlp, "lap": lap, "rebasin_mlp4": rebasin_mlp4,
       "resnet_train": resnet_train, "resnet_forward": resnet_forward, "gnn_epoch": gnn_epoch,
       "resnet_zoo": resnet_zoo, "resnet_zoo_runs": resnet_zoo_runs,
       "metanet_train": metanet_train}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            if req.get("op") == "quit":
                break
            base = reset_peak_rss()
            reply = {"ok": True, **OPS[req["op"]](req)}
            reply.setdefault("peak_rss_mb", peak_rss_mb())
            if base is not None:
                reply.setdefault("base_rss_mb", base)
        except Exception as e:  # the worker reports and keeps serving
            reply = {"ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc(limit=3)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
