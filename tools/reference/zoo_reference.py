"""Loads the networks of an AsymNet zoo into the authors' PyTorch ResNet8 and evaluates them, for AsymNet's zoo tests.

Run with Debian's torch:  /usr/bin/python3 tools/reference/zoo_reference.py [ZOO_DIR]
ZOO_DIR defaults to tests/AsymNet.Tests/Reference/zoo, a zoo with one network per variant made by

    ./asym zoo --networks 1 --variants standard,w,sigma --train-size 512 --test-size 10000 --out DIR

of which zoo.csv and networks/ are kept (θ₀ is not needed here). For every networks/<variant>/<index>.safetensors the
script reads the file with struct/json/numpy (no `safetensors` package), builds the authors' module
(models_reference.ResNet: the attribute names of metanet_data/models.py, so the state-dict keys are theirs), loads the
file with load_state_dict(strict=True) (keys and shapes must match exactly), checks that a W-Asym mask is 0/1 and that
the stored weight holds kappa·normal_mask (kappa 2) at its fixed entries, as the authors' state dicts do, and
evaluates the whole Fashion-MNIST test set (Debian's /usr/share/datasets/fashion-mnist, pixels/255 normalised with
0.2860 / 0.3530) in eval mode. Writes ZOO_DIR/torch_eval.json: per network its keys, shapes, test loss, accuracy and
number correct, which the C# test compares with zoo.csv.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models_reference import ResNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, '..', '..', 'tests', 'AsymNet.Tests', 'Reference', 'zoo')
FASHION = '/usr/share/datasets/fashion-mnist'
KAPPA = 2.0


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop('__metadata__', {})
    tensors = {}
    for name, e in header.items():
        assert e['dtype'] == 'F32', f'{path}: {name} is {e["dtype"]}'
        a, b = e['data_offsets']
        tensors[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype='<f4').copy().reshape(e['shape']))
    return tensors, meta


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack('>' + 'I' * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw[4 + 4 * dims:], dtype=np.uint8).reshape(shape)


def main():
    zoo = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    images = read_idx(os.path.join(FASHION, 't10k-images-idx3-ubyte.gz')).astype(np.float32) / 255.0
    labels = torch.from_numpy(read_idx(os.path.join(FASHION, 't10k-labels-idx1-ubyte.gz')).astype(np.int64))
    x = torch.from_numpy((images - np.float32(0.2860)) / np.float32(0.3530)).unsqueeze(1)
    out = {'torch': torch.__version__, 'networks': []}
    for variant in ['standard', 'w', 'sigma']:
        folder = os.path.join(zoo, 'networks', variant)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder), key=lambda n: int(n.split('.')[0])):
            tensors, meta = read_safetensors(os.path.join(folder, name))
            model = ResNet(1, variant, kappa=KAPPA, classes=10, in_ch=tensors['conv1.weight'].shape[1])
            model.load_state_dict(tensors, strict=True)
            fixed = 0
            for key, mask in tensors.items():
                if key.endswith('.mask'):
                    layer = key[:-len('.mask')]
                    assert set(np.unique(mask.numpy())) <= {0.0, 1.0}, f'{key} is not 0/1'
                    w, f = tensors[layer + '.weight'], tensors[layer + '.normal_mask']
                    at = mask == 0
                    assert torch.equal(w[at], (KAPPA * f)[at]), f'{layer}.weight does not hold kappa*F at its fixed entries'
                    fixed += int(at.sum())
            model.eval()
            with torch.no_grad():
                logits = torch.cat([model(x[i:i + 1000]) for i in range(0, len(x), 1000)])
                loss = F.cross_entropy(logits, labels).item()
                correct = int((logits.argmax(1) == labels).sum())
            out['networks'].append({
                'variant': variant, 'index': int(name.split('.')[0]), 'keys': list(model.state_dict().keys()),
                'shapes': [list(t.shape) for t in model.state_dict().values()], 'fixed': fixed,
                'test_loss': loss, 'test_accuracy': correct / len(labels), 'correct': correct, 'count': len(labels),
            })
            print(f'{variant} #{name}: {len(tensors)} tensors, {fixed} fixed, loss {loss:.5f}, accuracy {correct / len(labels):.4f}')
    with open(os.path.join(zoo, 'torch_eval.json'), 'w') as f:
        json.dump(out, f, indent=1)


if __name__ == '__main__':
    main()
