"""A generated model zoo for timing static validation at scale: Markdown cards in timm's 2021 style.

    .venv/bin/python benchmarks/zoo.py FOLDER [--cards 2000] [--models 10] [--seed 0]

Each card is a family page whose metadata sits in an HTML comment, as in timm's former docs: one
collection with its paper, and `--models` models with Papers with Code's keys (FLOPs, Parameters,
File Size, Architecture, Tasks, Training Data, ID, Crop Pct, Image Size, Interpolation, Code,
Weights, Results). Values vary the way real cards vary: quoted numbers, percentages, optional keys,
and a small share of the slips the rules exist for (a misspelt key, an empty value, a plain http
link, an odd interpolation). The same seed writes the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ARCHITECTURE = ("1x1 Convolution", "Batch Normalization", "Bottleneck Residual Block", "Convolution",
                "Depthwise Separable Convolution", "Dropout", "Global Average Pooling", "Inverted Residual Block",
                "Max Pooling", "ReLU", "Residual Block", "Residual Connection", "Softmax",
                "Squeeze-and-Excitation Block", "Swish", "Layer Normalization", "Multi-Head Attention",
                "Dense Connections")
TECHNIQUES = ("SGD with Momentum", "Weight Decay", "RMSProp", "Label Smoothing", "AutoAugment", "Mixup",
              "Cosine Annealing", "Stochastic Depth", "Random Erasing")
DATASETS = ("ImageNet", "ImageNet-21K", "JFT-300M", "Instagram 3.5B")
INTERPOLATIONS = ("bilinear", "bicubic", "bicubic", "bilinear", "Bicubic")
SIZES = (224, 240, 256, 260, 288, 299, 300, 320, 380, 384, 456, 528, 600)
WORDS = ("residual", "networks", "learn", "functions", "with", "reference", "to", "the", "layer", "inputs",
         "instead", "of", "unreferenced", "scaling", "depth", "width", "resolution", "attention", "blocks")


def card(rng: random.Random, number: int, models: int) -> str:
    """One family card: prose, a citation and the metadata comment."""
    family = f"Family{number:04d}"
    slug = family.lower()
    prose = " ".join(rng.choice(WORDS) for _ in range(60))
    lines = [f"# {family}", "", f"**{family}** {prose}.", "", "{% include 'code_snippets.md' %}", "",
             "## Citation", "", "```BibTeX", f"@article{{{slug},", f"  title = {{{family} networks}},",
             "  year = {2021}", "}", "```", "", "<!--", "Type: model-index", "Collections:",
             f"- Name: {family}", "  Paper:", f"    Title: Deep {family} networks",
             f"    URL: https://paperswithcode.com/paper/deep-{slug}-networks", "Models:"]
    for m in range(models):
        lines += model(rng, family, f"{slug}_{m}")
    lines += ["-->", ""]
    return "\n".join(lines)


def model(rng: random.Random, family: str, name: str) -> list[str]:
    """The YAML lines of one model entry."""
    size = rng.choice(SIZES)
    top1 = rng.uniform(60, 88)
    lines = [f"- Name: {name}", f"  In Collection: {family}", "  Metadata:",
             f"    FLOPs: {rng.randrange(10**8, 10**11)}",
             f"    Parameters: {rng.randrange(10**6, 10**9)}",
             f"    File Size: {rng.randrange(4 * 10**6, 4 * 10**9)}",
             "    Architecture:"]
    lines += [f"    - {a}" for a in sorted(rng.sample(ARCHITECTURE, rng.randint(4, 10)))]
    lines += ["    Tasks:", "    - Image Classification"]
    if rng.random() < 0.5:
        techniques = sorted(rng.sample(TECHNIQUES, rng.randint(1, 4)))
        lines += ["    Training Techniques:"] + [f"    - {t}" for t in techniques]
    lines += ["    Training Data:"] + [f"    - {d}" for d in sorted(rng.sample(DATASETS, rng.randint(1, 2)))]
    if rng.random() < 0.3:
        lines.append(f"    Training Resources: {rng.choice((8, 16, 32, 64))}x NVIDIA V100 GPUs")
    if rng.random() < 0.2:
        lines.append("    Training Time: ''")  # an empty value (MI205)
    lines += [f"    ID: {name}",
              f"    Crop Pct: '{rng.choice(('0.875', '0.9', '0.95', '1.0'))}'",
              f"    Image Size: '{size}'" if rng.random() < 0.8 else f"    Image Size: {size}",
              f"    Interpolation: {rng.choice(INTERPOLATIONS)}"]
    if rng.random() < 0.05:
        lines.append("    Trainig Data: ImageNet")  # a misspelt key (MI008)
    scheme = "http" if rng.random() < 0.05 else "https"
    lines += [f"  Code: {scheme}://github.com/rwightman/pytorch-image-models/blob/main/timm/models/{name}.py"
              f"#L{rng.randrange(1, 2000)}",
              f"  Weights: https://github.com/rwightman/pytorch-image-models/releases/download/v0.1-weights/"
              f"{name}-{rng.getrandbits(32):08x}.pth",
              "  Results:", "  - Task: Image Classification", "    Dataset: ImageNet", "    Metrics:",
              f"      Top 1 Accuracy: {top1:.2f}%", f"      Top 5 Accuracy: {min(top1 + 15, 99.9):.2f}%"]
    return lines


def write_zoo(folder: Path, cards: int = 2000, models: int = 10, seed: int = 0) -> list[Path]:
    """Write `cards` cards of `models` models each into `folder`; the same seed gives the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(cards):
        path = folder / f"family{number:04d}.md"
        path.write_text(card(rng, number, models), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--models", type=int, default=10, help="models per card")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_zoo(args.folder, args.cards, args.models, args.seed)
    print(f"wrote {args.cards} cards with {args.cards * args.models} models to {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
