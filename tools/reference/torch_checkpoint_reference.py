"""State dicts saved from the authors' PyTorch MLPs as safetensors, for AsymNet's configless checkpoint loading.

Run with Debian's torch (1.13):  /usr/bin/python3 tools/reference/torch_checkpoint_reference.py
Writes tests/AsymNet.Tests/Reference/checkpoints/mlp-<variant>.safetensors (the state dict only, as
safetensors.torch.save_file(model.state_dict()) writes it: authors' keys, no AsymNet metadata) and
mlp-<variant>.io.safetensors (an input batch and the model's output logits).

The models are the authors' MLP / WMLP classes (re-implemented in models_reference.py with their attribute names),
made small (input 1x8x8, width 32, 3 linear layers) to keep the files small, and initialised the authors' way:
PyTorch's default Linear init, W-Asym masks with 8 random fixed entries per row, F ~ N(0, 1), kappas 1, 1/2, 1/4.
One forward pass runs before saving, so the W-Asym weights hold kappa*F at fixed positions (the authors'
checkpoints look like that). The safetensors bytes are written by safetensors_reference.py's struct/json writer.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models_reference import MLP  # noqa: E402
from safetensors_reference import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "AsymNet.Tests", "Reference", "checkpoints")
DIMS = [64, 32, 32, 10]
KAPPAS = [1.0, 0.5, 0.25]
NFIX = 8


def build(variant):
    torch.manual_seed(20240601)
    model = MLP(DIMS, variant, KAPPAS)
    for lin in model.lins:
        if variant == "w":
            # nn.Linear's default init, then the authors' random_subsets mask and F.
            nn.init.kaiming_uniform_(lin.weight, a=5 ** 0.5)
            bound = 1 / lin.weight.shape[1] ** 0.5
            nn.init.uniform_(lin.bias, -bound, bound)
            out_dim, in_dim = lin.weight.shape
            for r in range(out_dim):
                lin.mask[r, torch.randperm(in_dim)[:NFIX]] = 0
            lin.normal_mask.normal_()
    for norm in model.norms:  # non-trivial affine parameters, so a wrong key order would show
        norm.weight.data.uniform_(0.5, 1.5)
        norm.bias.data.uniform_(-0.2, 0.2)
    return model


def main():
    os.makedirs(OUT, exist_ok=True)
    for variant in ("standard", "w"):
        model = build(variant).eval()
        x = torch.randn(5, 1, 8, 8)
        with torch.no_grad():
            y = model(x)
        sd = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
        write_safetensors(os.path.join(OUT, f"mlp-{variant}.safetensors"), sd, None)
        write_safetensors(os.path.join(OUT, f"mlp-{variant}.io.safetensors"), {"input": x, "output": y}, None)
        print(variant, list(sd.keys()))


if __name__ == "__main__":
    main()
