#!/usr/bin/env python3
"""Reference outputs of timm backbones, for the Swift equivalence tests.

Builds small models with timm's own builders (reduced widths and depths of the same
architecture definitions the full-size models use), gives them seeded random weights —
BatchNorm running statistics and layer-scale values included, so that eval mode and every
parameter are really exercised — and writes, per model, two safetensors files:

    NAME.safetensors           the timm state_dict of the num_classes=0 encoder, exactly as
                               timm would export it (num_batches_tracked as I64), with the
                               model configuration in the metadata
    NAME.expected.safetensors  `input`, the eval-mode `embedding` and `features.0..3` (strides
                               4, 8, 16, 32), the train-mode `embedding_train` (batch
                               statistics) and `train_state.KEY`, the BatchNorm buffers after
                               that one train-mode forward

Reruns give identical tensors; only the order of the metadata in the header varies (the
safetensors writer keeps it in a hash map). Needs PyTorch, timm and safetensors (see ../shared/bench/README.md for a venv); the project
itself never does. Usage:

    python scripts/reference_outputs.py                 # small fixtures into the test folder
    python scripts/reference_outputs.py --full-size --out /tmp/zoorun-reference
"""

import argparse
import json
import math
import os
import sys

import torch
import timm
from safetensors.torch import save_file
from timm.models.convnext import ConvNeXt
from timm.models.efficientnet import _gen_efficientnet
from timm.models.resnet import BasicBlock, Bottleneck, ResNet

FIXTURE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "FrameworkTests",
                           "Fixtures", "models")
FEATURE_STRIDES = (4, 8, 16, 32)


def ints(values):
    return ",".join(str(v) for v in values)


# ----------------------------------------------------------------------------- model specs
# Each spec: name → (builder, metadata describing the same configuration to the Swift side,
# input channels, input size). The metadata keys are what the Swift tests read.

def small_specs():
    # timm's single 7×7 ResNet stem is always 64 wide (`stem_width` only sizes deep stems), so
    # the reduced ResNets keep a 64-wide first stage and shrink the others.
    return {
        "resnet_basic": (
            lambda: ResNet(BasicBlock, layers=(1, 2, 1, 1), channels=(64, 16, 24, 32), in_chans=3, num_classes=0),
            {"family": "resnet", "block": "basic", "depths": ints((1, 2, 1, 1)), "widths": ints((64, 16, 24, 32))},
            3, 64),
        "resnet_bottleneck": (
            lambda: ResNet(Bottleneck, layers=(1, 1, 1, 1), channels=(64, 16, 24, 32), in_chans=1, num_classes=0),
            {"family": "resnet", "block": "bottleneck", "depths": ints((1, 1, 1, 1)), "widths": ints((64, 16, 24, 32))},
            1, 64),
        "efficientnet": (
            lambda: _gen_efficientnet("efficientnet_b0", channel_multiplier=0.25, depth_multiplier=0.5,
                                      in_chans=3, num_classes=0),
            {"family": "efficientnet", "channel_multiplier": "0.25", "depth_multiplier": "0.5"},
            3, 64),
        # conv_mlp=True is the convnext_nano / convnext_pico layout (1×1 convolutions, LayerNorm2d).
        "convnext_convmlp": (
            lambda: ConvNeXt(depths=(1, 1, 2, 1), dims=(8, 16, 24, 32), conv_mlp=True, in_chans=3, num_classes=0),
            {"family": "convnext", "depths": ints((1, 1, 2, 1)), "widths": ints((8, 16, 24, 32)), "conv_mlp": "true"},
            3, 64),
        # conv_mlp=False is the convnext_tiny layout (channels-last LayerNorm, Linear MLP).
        "convnext_linear": (
            lambda: ConvNeXt(depths=(1, 1, 1, 1), dims=(8, 16, 24, 32), conv_mlp=False, in_chans=3, num_classes=0),
            {"family": "convnext", "depths": ints((1, 1, 1, 1)), "widths": ints((8, 16, 24, 32)), "conv_mlp": "false"},
            3, 64),
    }


def full_size_specs():
    return {
        "resnet18": (lambda: timm.create_model("resnet18", num_classes=0),
                     {"family": "resnet", "block": "basic", "depths": ints((2, 2, 2, 2)),
                      "widths": ints((64, 128, 256, 512))}, 3, 128),
        "efficientnet_b0": (lambda: timm.create_model("efficientnet_b0", num_classes=0),
                            {"family": "efficientnet", "channel_multiplier": "1.0", "depth_multiplier": "1.0"}, 3, 128),
        "convnext_nano": (lambda: timm.create_model("convnext_nano", num_classes=0),
                          {"family": "convnext", "depths": ints((2, 2, 8, 2)), "widths": ints((80, 160, 320, 640)),
                           "conv_mlp": "true"}, 3, 128),
    }


# ----------------------------------------------------------------------------- weights

@torch.no_grad()
def randomise(model, in_chans, size, gen):
    """Seeded random values for every parameter, then BatchNorm running statistics measured
    on a calibration batch and perturbed, so that eval mode differs from train mode (and
    from the calibration) but stays in a sane range through deep stacks."""
    for name, p in model.named_parameters():
        leaf = name.rsplit(".", 1)[-1]
        if p.ndim >= 2:  # convolution and linear weights: LeCun-normal on the fan-in
            fan_in = p[0].numel()
            p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))
        elif leaf == "gamma":  # ConvNeXt layer scale (timm starts it at 1e-6: blocks would vanish)
            p.copy_(torch.rand(p.shape, generator=gen) * 0.8 + 0.2)
        elif leaf == "weight":  # norm scales
            p.copy_(torch.rand(p.shape, generator=gen) + 0.5)
        else:  # biases
            p.copy_(torch.randn(p.shape, generator=gen) * 0.1)

    bns = batchnorms_in_call_order(model, in_chans, size)
    if not bns:
        return
    # Calibrate one BatchNorm at a time, in call order, with every earlier one already in
    # eval mode: each then sees the activations it will see at inference, and deep stacks
    # (EfficientNet's 16 blocks) keep their scale in eval mode instead of drifting.
    model.eval()
    calibration = torch.randn((8, in_chans, size, size), generator=gen)
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average: exactly the calibration batch's statistics
        bn.train()
        model(calibration)
        bn.eval()
        bn.momentum = 0.1
    for bn in bns:
        std = bn.running_var.sqrt()
        bn.running_mean.add_(torch.randn(bn.running_mean.shape, generator=gen) * 0.1 * std)
        bn.running_var.mul_(torch.rand(bn.running_var.shape, generator=gen) * 0.4 + 0.8)
        bn.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=gen)))


@torch.no_grad()
def batchnorms_in_call_order(model, in_chans, size):
    order = []
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    hooks = [bn.register_forward_pre_hook(lambda m, i: order.append(m)) for bn in bns]
    model.eval()
    model(torch.zeros((1, in_chans, size, size)))
    for h in hooks:
        h.remove()
    return order


def feature_modules(model):
    """The modules whose outputs are timm's feature maps at strides 4, 8, 16 and 32."""
    by_stride = {f["reduction"]: f["module"] for f in model.feature_info}
    return [by_stride[s] for s in FEATURE_STRIDES]


@torch.no_grad()
def run(model, x):
    """The pooled embedding and the four feature maps, in the model's current mode."""
    captured = {}
    modules = dict(model.named_modules())
    names = feature_modules(model)
    hooks = [modules[n].register_forward_hook(lambda m, i, o, n=n: captured.__setitem__(n, o.clone()))
             for n in names]
    embedding = model(x)
    for h in hooks:
        h.remove()
    return embedding, [captured[n] for n in names]


# ----------------------------------------------------------------------------- export

def export(name, spec, out_dir, seed):
    build, meta, in_chans, size = spec
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = build()
    randomise(model, in_chans, size, gen)
    metadata = dict(meta, in_chans=str(in_chans), seed=str(seed), timm=timm.__version__, torch=torch.__version__)

    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    weights_path = os.path.join(out_dir, name + ".safetensors")
    save_file(state, weights_path, metadata=metadata)

    x = torch.randn((2, in_chans, size, size), generator=gen)
    model.eval()
    embedding, features = run(model, x)
    model.train()
    embedding_train, _ = run(model, x)

    expected = {"input": x, "embedding": embedding, "embedding_train": embedding_train}
    for i, f in enumerate(features):
        expected["features.%d" % i] = f
    for k, v in model.state_dict().items():
        if k.endswith(("running_mean", "running_var", "num_batches_tracked")):
            expected["train_state." + k] = v.detach().clone()
    expected = {k: v.contiguous() for k, v in expected.items()}
    expected_path = os.path.join(out_dir, name + ".expected.safetensors")
    save_file(expected, expected_path, metadata=metadata)

    params = sum(p.numel() for p in model.parameters())
    size_kb = (os.path.getsize(weights_path) + os.path.getsize(expected_path)) / 1024
    print("%-18s %9d params  %3d keys  embedding %s  features %s  %7.1f KiB  |emb| max %.3g" % (
        name, params, len(state), list(embedding.shape), [list(f.shape[1:]) for f in features], size_kb,
        embedding.abs().max().item()))
    return metadata


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=FIXTURE_DIR, help="output folder (default: the Swift test fixtures)")
    parser.add_argument("--full-size", action="store_true",
                        help="export full-size resnet18, efficientnet_b0 and convnext_nano instead (large: not for the repo)")
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args(argv)

    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    specs = full_size_specs() if args.full_size else small_specs()
    manifest = {}
    for i, (name, spec) in enumerate(specs.items()):
        manifest[name] = export(name, spec, args.out, args.seed + i)
    print("wrote %d models to %s" % (len(specs), os.path.normpath(args.out)))
    print(json.dumps({"timm": timm.__version__, "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1:])
