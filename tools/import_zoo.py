#!/usr/bin/env python3
"""Converts the authors' published model zoos into an AsymNet zoo folder (docs/metanet.md#import).

Needs only python3 and torch (Debian: python3-torch).

The authors' format (cptq/asymmetric-networks, metanet_data/train_cifar.py; zenodo.org/records/13883507): one file per
network, <root>/<model_type>/<i>.pt, holding torch.save((state_dict, test_accuracy_percent)), where i is the
network's row in the hyperparameter csv shared by all model types. Model types: resnet8 (standard), sparse_resnet8
(W-Asym; state dicts with "mask" and "normal_mask", kappa*F already in "weight") and sigma_asym_resnet8 (sigma-Asym).

AsymNet's zoo folder: DIR/zoo.csv (index, variant, seed, lr, weight_decay, label_smoothing, epochs, train_loss,
train_accuracy, test_loss, test_accuracy, diverged, seconds; test accuracy in [0, 1]; what the files do not record is
NaN; diverged 0 or 1), DIR/hparams.csv (index, lr, weight_decay, label_smoothing, epochs) and
DIR/networks/<variant>/<index>.safetensors (float32, the state dict's keys in its order): the layout of docs/zoo.md.
A network with a NaN anywhere is recorded as diverged and gets no file (the authors' loader drops such networks too).

  import_zoo.py --from ROOT --to DIR [--hparams CSV] [--types resnet8,sparse_resnet8] [--limit N]
  import_zoo.py --make-example ROOT --networks N     writes N networks per model type in the authors' format
  import_zoo.py --self-test                          make-example, import, and check the result
"""
import argparse
import csv
import json
import math
import os
import re
import struct
import sys
import tempfile

import torch

VARIANTS = {'resnet8': 'standard', 'sparse_resnet8': 'w', 'sigma_asym_resnet8': 'sigma'}
COLUMNS = ['index', 'variant', 'seed', 'lr', 'weight_decay', 'label_smoothing', 'epochs', 'train_loss',
           'train_accuracy', 'test_loss', 'test_accuracy', 'diverged', 'seconds']
# Column names accepted in a hyperparameter csv, by the zoo.csv column they fill.
HPARAM_NAMES = {'lr': ['lr', 'learning_rate'], 'weight_decay': ['weight_decay', 'wd'],
                'label_smoothing': ['label_smoothing', 'ls', 'smoothing'], 'epochs': ['epochs', 'num_epochs']}


def write_safetensors(path, tensors):
    """tensors: list of (name, tensor); written as float32 in the given order (the safetensors layout, no library)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors:
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(',', ':')).encode('utf-8')
    raw += b' ' * ((8 - len(raw) % 8) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    out = []
    for name, h in header.items():
        if name == '__metadata__':
            continue
        a, b = h['data_offsets']
        out.append((name, torch.frombuffer(bytearray(body[a:b]), dtype=torch.float32).reshape(h['shape'])))
    return out


def read_hparams(path):
    if path is None:
        return {}
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f))
    out = {}
    for i, row in enumerate(rows):
        values = {}
        for column, names in HPARAM_NAMES.items():
            name = next((n for n in names if n in row), None)
            values[column] = row[name] if name is not None else 'NaN'
        out[i] = values
    return out


def network_index(filename):
    m = re.search(r'(\d+)\D*$', filename)
    if m is None:
        raise SystemExit(f'import_zoo: {filename} has no trailing number (the row of the hyperparameter csv)')
    return int(m.group(1))


def convert(root, dest, hparams_path=None, types=None, limit=None):
    hparams = read_hparams(hparams_path)
    types = types or [t for t in VARIANTS if os.path.isdir(os.path.join(root, t))]
    if not types:
        raise SystemExit(f'import_zoo: {root} holds none of the folders {", ".join(VARIANTS)}')
    rows = []
    for model_type in types:
        if model_type not in VARIANTS:
            raise SystemExit(f'import_zoo: unknown model type {model_type}; known: {", ".join(VARIANTS)}')
        variant = VARIANTS[model_type]
        folder = os.path.join(root, model_type)
        files = sorted((f for f in os.listdir(folder) if f.endswith('.pt')), key=network_index)
        if limit is not None:
            files = files[:limit]
        for name in files:
            index = network_index(name)
            try:
                state_dict, accuracy = torch.load(os.path.join(folder, name), map_location='cpu')
            except Exception as e:  # a damaged file names itself
                raise SystemExit(f'import_zoo: cannot read {os.path.join(folder, name)}: {e}')
            tensors = [(k, v) for k, v in state_dict.items() if torch.is_tensor(v)]
            diverged = any(not torch.isfinite(v.float()).all() for _, v in tensors) or not math.isfinite(float(accuracy))
            if not diverged:
                os.makedirs(os.path.join(dest, 'networks', variant), exist_ok=True)
                write_safetensors(network_path(dest, variant, index), tensors)
            h = hparams.get(index, {})
            rows.append({'index': index, 'variant': variant, 'seed': 0,
                         'lr': h.get('lr', 'NaN'), 'weight_decay': h.get('weight_decay', 'NaN'),
                         'label_smoothing': h.get('label_smoothing', 'NaN'), 'epochs': h.get('epochs', '0'),
                         'train_loss': 'NaN', 'train_accuracy': 'NaN', 'test_loss': 'NaN',
                         'test_accuracy': repr(float(accuracy) / 100.0) if math.isfinite(float(accuracy)) else 'NaN',
                         'diverged': '1' if diverged else '0', 'seconds': 'NaN'})
    rows.sort(key=lambda r: (r['index'], r['variant']))
    write_csv(os.path.join(dest, 'zoo.csv'), COLUMNS, rows)
    indices = sorted({r['index'] for r in rows})
    write_csv(os.path.join(dest, 'hparams.csv'), ['index', 'lr', 'weight_decay', 'label_smoothing', 'epochs'],
              [{'index': i, **{c: hparams.get(i, {}).get(c, 'NaN') for c in HPARAM_NAMES}} for i in indices])
    return rows


def network_path(dest, variant, index):
    return os.path.join(dest, 'networks', variant, f'{index}.safetensors')


def write_csv(path, columns, rows):
    tmp = path + '.tmp'
    with open(tmp, 'w', newline='') as f:
        w = csv.DictWriter(f, columns, lineterminator='\n')
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)


# ---- example files in the authors' format ---------------------------------------------------------------------------
def resnet8_layout(sparse):
    """(key, shape, kind) of the authors' resnet8 / sparse_resnet8 state dict (metanet_data/models.py), in order."""
    out = []

    def conv(prefix, cin, cout, k):
        out.append((prefix + '.weight', (cout, cin, k, k), 'conv'))
        if sparse:
            out.append((prefix + '.mask', (cout, cin, k, k), 'mask'))
            out.append((prefix + '.normal_mask', (cout, cin, k, k), 'normal'))

    def norm(prefix, c):
        out.append((prefix + '.weight', (c,), 'one'))
        out.append((prefix + '.bias', (c,), 'zero'))

    conv('conv1', 3, 16, 3)
    norm('ln1', 16)
    cin = 16
    for s, planes in enumerate([16, 32, 64]):
        p = f'layer{s + 1}.0'
        conv(p + '.conv1', cin, planes, 3)
        norm(p + '.ln1', planes)
        conv(p + '.conv2', planes, planes, 3)
        norm(p + '.ln2', planes)
        if cin != planes:
            conv(p + '.shortcut.0', cin, planes, 1)
            norm(p + '.shortcut.1', planes)
        cin = planes
    out.append(('linear.weight', (10, 64), 'conv'))
    out.append(('linear.bias', (10,), 'zero'))
    if sparse:
        out.append(('linear.mask', (10, 64), 'mask'))
        out.append(('linear.normal_mask', (10, 64), 'normal'))
    return out


def example_state_dict(sparse, scale, gen, fixed):
    """Weights ~ U(±1/sqrt(fan_in))·scale; W-Asym: the shared masks and F, weight = M*W + (1-M)*2*F as saved by the authors."""
    sd = {}
    for key, shape, kind in resnet8_layout(sparse):
        if kind == 'conv':
            fan_in = math.prod(shape[1:])
            sd[key] = (torch.rand(shape, generator=gen) * 2 - 1) / math.sqrt(fan_in) * scale
        elif kind == 'one':
            sd[key] = 1 + 0.1 * scale * torch.randn(shape, generator=gen)
        elif kind == 'zero':
            sd[key] = 0.1 * scale * torch.randn(shape, generator=gen)
        else:
            sd[key] = fixed[key].clone()
    if sparse:
        for key in [k for k in sd if k.endswith('.mask')]:
            w = key[:-len('mask')] + 'weight'
            sd[w] = sd[w] * sd[key] + (1 - sd[key]) * 2.0 * sd[key[:-len('mask')] + 'normal_mask']
    return sd


def fixed_parts(seed):
    """Masks (8 fixed input filters per output channel; 8 fixed entries per row of the head) and F, shared by a zoo."""
    gen = torch.Generator().manual_seed(seed)
    fixed = {}
    for key, shape, kind in resnet8_layout(True):
        if kind == 'mask':
            m = torch.ones(shape)
            for o in range(shape[0]):
                n = min(8, shape[1])
                chosen = torch.randperm(shape[1], generator=gen)[:n]
                m[o, chosen] = 0
            fixed[key] = m
        elif kind == 'normal':
            fixed[key] = torch.randn(shape, generator=gen)
    return fixed


def make_example(root, networks, seed=0, nan_index=None):
    fixed = fixed_parts(seed)
    with open(os.path.join(root, 'hparams.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['lr', 'weight_decay', 'label_smoothing', 'epochs'])
        gen = torch.Generator().manual_seed(seed + 1)
        for _ in range(networks):
            u = torch.rand(4, generator=gen).tolist()
            w.writerow([0.5 * 10 ** (-2 * u[0]), 10 ** (-1 - 4 * u[1]), 0.2 * u[2], 10 + int(31 * u[3])])
    for model_type, sparse in [('resnet8', False), ('sparse_resnet8', True)]:
        os.makedirs(os.path.join(root, model_type), exist_ok=True)
        for i in range(networks):
            gen = torch.Generator().manual_seed(seed * 100003 + i * 2 + int(sparse))
            scale = 0.5 + torch.rand(1, generator=gen).item()
            sd = example_state_dict(sparse, scale, gen, fixed)
            accuracy = 30.0 + 40.0 * (scale - 0.5)
            if i == nan_index:
                sd['linear.bias'][0] = float('nan')
            torch.save((sd, accuracy), os.path.join(root, model_type, f'{i}.pt'))


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        root, dest = os.path.join(tmp, 'authors'), os.path.join(tmp, 'zoo')
        os.makedirs(root)
        make_example(root, 5, nan_index=3)
        rows = convert(root, dest, os.path.join(root, 'hparams.csv'))
        assert len(rows) == 10, rows
        with open(os.path.join(dest, 'zoo.csv')) as f:
            table = list(csv.DictReader(f))
        assert list(table[0].keys()) == COLUMNS
        for row in table:
            i, variant = int(row['index']), row['variant']
            model_type = 'resnet8' if variant == 'standard' else 'sparse_resnet8'
            sd, accuracy = torch.load(os.path.join(root, model_type, f'{i}.pt'))
            path = network_path(dest, variant, i)
            if i == 3:
                assert row['diverged'] == '1' and not os.path.exists(path), row
                continue
            assert row['diverged'] == '0' and abs(float(row['test_accuracy']) - accuracy / 100) < 1e-12, row
            saved = read_safetensors(path)
            assert [k for k, _ in saved] == list(sd.keys()), 'state-dict order changed'
            assert all(torch.equal(v, sd[k]) for k, v in saved), 'values changed'
            params = sum(v.numel() for k, v in saved if not k.endswith('mask'))
            trainable = params - sum(int((v == 0).sum()) for k, v in saved if k.endswith('.mask'))
            assert params == 78042, params
            assert trainable == (78042 if variant == 'standard' else 60634), trainable
        hp = read_hparams(os.path.join(root, 'hparams.csv'))
        assert table[0]['lr'] == hp[0]['lr']
        with open(os.path.join(dest, 'hparams.csv')) as f:
            assert [r['lr'] for r in csv.DictReader(f)] == [hp[i]['lr'] for i in range(5)]
    print('import_zoo self-test: passed (10 networks, 1 diverged pair, keys, values, accuracies, trainable counts 78,042 / 60,634)')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--from', dest='root', help="the authors' zoo root (holding resnet8/, sparse_resnet8/, ...)")
    p.add_argument('--to', dest='dest', help='the AsymNet zoo folder to write')
    p.add_argument('--hparams', help="the authors' hyperparameter csv (row i = network i)")
    p.add_argument('--types', help='comma-separated model types (default: those present)')
    p.add_argument('--limit', type=int, help='at most this many networks per model type (the lowest indices)')
    p.add_argument('--make-example', metavar='ROOT', help="write example networks in the authors' format")
    p.add_argument('--networks', type=int, default=20, help='networks per model type for --make-example')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--self-test', action='store_true')
    a = p.parse_args()
    if a.self_test:
        self_test()
    elif a.make_example:
        os.makedirs(a.make_example, exist_ok=True)
        make_example(a.make_example, a.networks, a.seed)
        print(f"wrote {a.networks} networks per model type in the authors' format to {a.make_example}")
    elif a.root and a.dest:
        rows = convert(a.root, a.dest, a.hparams, a.types.split(',') if a.types else None, a.limit)
        bad = sum(r['diverged'] == '1' for r in rows)
        print(f'imported {len(rows)} networks ({bad} with NaN, recorded as diverged) into {a.dest}')
    else:
        p.error('give --from and --to, --make-example, or --self-test')


if __name__ == '__main__':
    sys.exit(main())
