"""Print the facts a model card should state for timm model names, measured from timm as installed.

The project's own cards in docs/models/ were written from this script's output, so every number in
them can be reproduced:

    .venv/bin/python scripts/card_facts.py resnet50.ram_in1k vit_base_patch16_384.orig_in21k_ft_in1k
    .venv/bin/python scripts/card_facts.py --yaml --no-file-size resnetv2_50x1_bit.goog_in21k_ft_in1k

What is measured and how:

- Parameters: ``sum(p.numel() for p in model.parameters())`` of a model built on the meta device
  (no memory, no weights).
- FLOPs: ``torch.utils.flop_counter.FlopCounterMode`` on that meta model with a meta input of
  (1, 3, S, S), S = the tag's ``input_size``. It counts 2 FLOPs per multiply-add.
- Image Size, Crop Pct, Interpolation, Mean, Std: the tag's ``pretrained_cfg``.
- File Size: bytes of ``torch.save(model.state_dict(), ".../pytorch_model.bin")`` of a real CPU model
  (random init, same tensors as the checkpoint). torch names the zip members after the file, so the
  size depends on the file name a little: we use the name timm publishes its weights under on the hub.
  Models above --max-file-params are skipped (the memory and time would be wasted).
- Code: the timm source file that registers the architecture; Weights: the Hugging Face hub repo
  that timm downloads the tag from (its ``url`` when it has no hub id).
- Results: only when they can be attributed to the exact weights *and* evaluation settings. The
  2021 results CSV lists old names; an old name is tied to a current tag by timm's own deprecation
  table, by the same checkpoint file name in a 2021 card, or by LEGACY_RESULTS below. The row is used
  only when its image size, crop and interpolation equal the tag's pretrained_cfg; otherwise the
  script says why it gave none.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
RESULTS_2021 = SHARED / "corpus/timm-results-2021/results-imagenet.csv"
CARDS_2021 = SHARED / "corpus/timm-docs-2021/models"
CODE_URL = "https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/{}.py"

# Tags whose 2021 name neither timm's deprecation table nor a 2021 card ties to them. The 2021 CSV
# predates timm's switch of the ViT defaults to the AugReg weights: its vit_small_patch16_224 row has
# 48.75M parameters, the original (pre-AugReg) ViT-S that timm no longer has, so its ViT-B/L rows are
# the original Google in21k→in1k checkpoints, now tagged orig_in21k_ft_in1k. efficientnet_b0's only
# 2021 weights were timm's RandAugment training (efficientnet_b0_ra-3dd342df), now tagged ra_in1k.
LEGACY_RESULTS = {
    "vit_base_patch16_224.orig_in21k_ft_in1k": "vit_base_patch16_224",
    "vit_base_patch16_384.orig_in21k_ft_in1k": "vit_base_patch16_384",
    "vit_large_patch32_384.orig_in21k_ft_in1k": "vit_large_patch32_384",
    "efficientnet_b0.ra_in1k": "efficientnet_b0",
}


def measure(name: str, file_size: bool, max_file_params: float) -> dict:
    """All facts of one timm name (with tag) that do not need the 2021 data."""
    import timm
    import torch
    from timm.models import _registry
    from torch.utils.flop_counter import FlopCounterMode

    cfg = timm.models.get_pretrained_cfg(name)
    if cfg is None:
        raise SystemExit(f"{name}: no pretrained config in timm {timm.__version__}")
    size = cfg.input_size[-1]
    with torch.device("meta"):
        model = timm.create_model(name, pretrained=False).eval()
        params = sum(p.numel() for p in model.parameters())
        with FlopCounterMode(display=False) as counter:
            model(torch.empty(1, 3, size, size))
    arch = _registry.get_arch_name(name)
    facts = {
        "ID": name,
        "Parameters": params,
        "FLOPs": counter.get_total_flops(),
        "File Size": None,
        "Image Size": size,
        "Crop Pct": cfg.crop_pct,
        "Interpolation": cfg.interpolation,
        "Mean": list(cfg.mean),
        "Std": list(cfg.std),
        "Code": CODE_URL.format(_registry.model_entrypoint(arch).__module__.rsplit(".", 1)[-1]),
        "Weights": f"https://huggingface.co/{cfg.hf_hub_id}" if cfg.hf_hub_id else cfg.url,
        "checkpoint": Path(cfg.url).name if cfg.url else None,
    }
    if file_size and params <= max_file_params:
        facts["File Size"] = saved_size(name)
    return facts


def saved_size(name: str) -> int:
    """Bytes of the state dict of a real (randomly initialised) CPU model, saved as timm's hub file."""
    import timm
    import torch

    model = timm.create_model(name, pretrained=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pytorch_model.bin")
        torch.save(model.state_dict(), path)
        return os.path.getsize(path)


def old_names(cards: Path) -> dict[str, str]:
    """Checkpoint file name → model name, from the Weights links of the 2021 cards."""
    found = {}
    for card in sorted(cards.glob("*.md")) if cards.is_dir() else []:
        name = None
        for line in card.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^- Name: (\S+)", line):
                name = m.group(1)
            elif (m := re.match(r"^  Weights: (\S+)", line)) and name:
                found[Path(m.group(1)).name] = name
    return found


def attribute(facts: dict, rows: dict[str, dict], by_file: dict[str, str]) -> tuple[dict | None, str]:
    """The 2021 result row for these exact weights and settings, or None and the reason."""
    import timm

    name = facts["ID"]
    old = LEGACY_RESULTS.get(name)
    how = "LEGACY_RESULTS"
    if old is None:
        old = next((o for o, new in timm.models._registry._deprecated_models.items() if new == name), None)
        how = "timm deprecation table"
    if old is None and facts["checkpoint"] in by_file:
        old, how = by_file[facts["checkpoint"]], "same checkpoint file in a 2021 card"
    if old is None:
        return None, "no 2021 name for these weights"
    row = rows.get(old)
    if row is None:
        return None, f"{old} ({how}) has no 2021 result row"
    same = (int(row["img_size"]) == facts["Image Size"]
            and abs(float(row["cropt_pct"]) - facts["Crop Pct"]) < 1e-6
            and row["interpolation"] == facts["Interpolation"])
    if not same:
        return None, (f"{old} ({how}) was evaluated at {row['img_size']}px, crop {row['cropt_pct']}, "
                      f"{row['interpolation']}; timm now uses {facts['Image Size']}px, crop "
                      f"{facts['Crop Pct']}, {facts['Interpolation']}")
    return row, f"{old} ({how})"


def as_yaml(facts: dict, row: dict | None) -> str:
    """The facts as the card's per-model YAML lines (to paste and complete by hand)."""
    lines = [f"- Name: {facts['ID'].split('.')[0]}", "  Metadata:",
             f"    FLOPs: {facts['FLOPs']}", f"    Parameters: {facts['Parameters']}"]
    if facts["File Size"]:
        lines.append(f"    File Size: {facts['File Size']}")
    lines += [f"    ID: {facts['ID']}", f"    Crop Pct: {facts['Crop Pct']}",
              f"    Image Size: {facts['Image Size']}", f"    Interpolation: {facts['Interpolation']}",
              f"  Code: {facts['Code']}", f"  Weights: {facts['Weights']}"]
    if row:
        lines += ["  Results:", "  - Task: Image Classification", "    Dataset: ImageNet", "    Metrics:",
                  f"      Top 1 Accuracy: {row['top1']}%", f"      Top 5 Accuracy: {row['top5']}%"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="+", help="timm names with their pretrained tag")
    parser.add_argument("--no-file-size", action="store_true", help="skip the real CPU save (slow for big models)")
    parser.add_argument("--max-file-params", type=float, default=400e6, help="skip File Size above this many parameters")
    parser.add_argument("--results", type=Path, default=RESULTS_2021, help="2021 timm results CSV")
    parser.add_argument("--cards", type=Path, default=CARDS_2021, help="folder of 2021 timm cards")
    parser.add_argument("--yaml", action="store_true", help="print card YAML instead of a table")
    args = parser.parse_args()

    rows = {}
    if args.results.is_file():
        with args.results.open(newline="", encoding="utf-8") as f:
            rows = {r["model"]: r for r in csv.DictReader(f)}
    by_file = old_names(args.cards)
    if not args.yaml:
        print("| ID | Parameters | FLOPs | File Size | Image Size | Crop Pct | Interpolation | Top 1 | Top 5 | results from |")
        print("|---|---|---|---|---|---|---|---|---|---|")
    for name in args.names:
        facts = measure(name, not args.no_file_size, args.max_file_params)
        row, why = attribute(facts, rows, by_file)
        if args.yaml:
            print(as_yaml(facts, row))
            print(f"  # Weights file: {facts['checkpoint']}; Mean {facts['Mean']} Std {facts['Std']}; results: {why}")
        else:
            top1, top5 = (row["top1"], row["top5"]) if row else ("", "")
            print(f"| {name} | {facts['Parameters']} | {facts['FLOPs']} | {facts['File Size'] or ''} | "
                  f"{facts['Image Size']} | {facts['Crop Pct']} | {facts['Interpolation']} | {top1} | {top5} | {why} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
