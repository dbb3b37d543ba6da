"""Cross-check fixes that a maintainer can apply without review, on real card text (timm's 2021
cards in ../shared): FLOPs never written at an Image Size the same run replaces, FLOPs written in
the card's own convention, and Code links pinned to a commit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("timm")

from model_index import cli  # noqa: E402
from model_index.crosscheck import checks  # noqa: E402
from model_index.lint import Options, validate  # noqa: E402

pytestmark = pytest.mark.timm

ROOT = Path(__file__).resolve().parents[1]
TIMM_CARDS = ROOT.parent / "shared" / "corpus" / "timm-docs-2021" / "models"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("mi-cache"))


def run(path: Path, cache_dir: str):
    return validate([str(path)], None, Options(cache_dir=cache_dir))


def cli_run(cache_dir: str, *args: str):
    return CliRunner().invoke(cli.main, ["validate", *args, "--cache-dir", cache_dir])


def found(result, code: str) -> list:
    return [d for d in result.diagnostics if d.code == code]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def resnet101d_sized_288(folder: Path) -> Path:
    """timm's ResNet-D card with resnet101d's FLOPs written in GFLOPs' digits and its Image Size
    (256 in its config) changed to 288: the FLOPs are counted at 288 px, the size fix writes 256."""
    folder.mkdir(parents=True, exist_ok=True)
    card = folder / "resnet-d.md"
    lines = (TIMM_CARDS / "resnet-d.md").read_text().splitlines(keepends=True)
    flops = next(i for i, line in enumerate(lines) if line.strip() == "FLOPs: 13805639680")
    size = next(i for i in range(flops, len(lines)) if lines[i].strip().startswith("Image Size:"))
    lines[flops] = lines[flops].replace("13805639680", "13805640")
    lines[size] = "    Image Size: 288\n"
    card.write_text("".join(lines))
    return card


def test_flops_at_a_disputed_image_size_offer_no_applicable_fix(tmp_path, cache_dir, shared):
    card = resnet101d_sized_288(tmp_path)
    result = run(card, cache_dir)[1]
    (size,) = found(result, "MI301")
    assert size.span.line == line_of(card, "Image Size: 288") and size.fix.applicability.value == "safe"
    (flops,) = found(result, "MI305")
    assert flops.span.line == line_of(card, "FLOPs: 13805640")
    assert flops.fix.applicability.value == "display-only"  # counted at 288 px, a size the run replaces


def test_fix_writes_no_flops_counted_at_the_size_it_replaces(tmp_path, cache_dir, shared):
    card = resnet101d_sized_288(tmp_path)
    cli_run(cache_dir, "--select", "MI30", "--fix", "--unsafe-fixes", str(card))
    assert "    Image Size: 256\n" in card.read_text()
    result = run(card, cache_dir)[1]
    flops_line = line_of(card, "FLOPs:")  # resnet101d's, the card's first model
    assert not [d for d in result.diagnostics if d.code in ("MI304", "MI305") and d.span.line == flops_line]


def test_diff_and_fix_agree_when_a_size_and_its_flops_are_fixed(tmp_path, cache_dir, shared):
    diffed, fixed = resnet101d_sized_288(tmp_path / "a"), resnet101d_sized_288(tmp_path / "b")
    before = diffed.read_bytes()
    diff = cli_run(cache_dir, "--select", "MI30", "--diff", "--unsafe-fixes", str(diffed))
    cli_run(cache_dir, "--select", "MI30", "--fix", "--unsafe-fixes", str(fixed))
    assert diff.exit_code == 1 and diffed.read_bytes() == before  # --diff writes nothing
    subprocess.run(["patch", "-s", "resnet-d.md"], input=diff.stdout.encode(), cwd=diffed.parent, check=True)
    assert diffed.read_bytes() == fixed.read_bytes() != before


def test_big_transfers_flops_follow_its_fixed_image_sizes(tmp_path, cache_dir, shared):
    # Five BiT models declare Image Size 480 where timm's configs say 448, and FLOPs below their
    # parameters: written at 480 px they would stand 2.3x the MACs at 448 px, a convention the
    # next run would learn from the tool's own numbers.
    card = tmp_path / "big-transfer.md"
    shutil.copyfile(TIMM_CARDS / "big-transfer.md", card)
    first = run(card, cache_dir)[1]
    assert len(found(first, "MI301")) == 5
    disputed = {d.model for d in found(first, "MI301")}
    assert {d.fix.applicability.value for d in found(first, "MI305") if d.model in disputed} == {"display-only"}
    cli_run(cache_dir, "--fix", "--unsafe-fixes", str(card))
    again = run(card, cache_dir)[1]
    assert not found(again, "MI301") and not found(again, "MI304") and not found(again, "MI305")
    assert not any("steady multiple" in notice for notice in again.notices)


def test_flops_below_parameters_are_fixed_in_the_cards_convention(tmp_path, cache_dir, shared):
    # timm's ResNet-D card declares about 1.29x the MACs; resnet101d's 13,805,639,680 FLOPs
    # written in GFLOPs' digits are restored in that convention, not at 2 FLOPs per MAC.
    card = tmp_path / "resnet-d.md"
    card.write_text((TIMM_CARDS / "resnet-d.md").read_text().replace("FLOPs: 13805639680", "FLOPs: 13805640"))
    (below,) = found(run(card, cache_dir)[1], "MI305")
    assert below.span.line == line_of(card, "FLOPs: 13805640")
    assert below.fix.applicability.value == "unsafe"  # the card's multiple times the MACs: an estimate
    assert abs(below.expected / 13805639680 - 1) < 0.05
    cli_run(cache_dir, "--fix", str(card))
    assert line_of(card, "FLOPs: 13805640")  # --fix alone leaves an estimate for review
    cli_run(cache_dir, "--fix", "--unsafe-fixes", str(card))
    assert line_of(card, f"FLOPs: {below.expected}")
    again = run(card, cache_dir)[1]
    assert not found(again, "MI304") and not found(again, "MI305")


PINNED = "blob/d8e69206be253892b2956341fea09fdebfaae4e3"


def test_a_code_link_pinned_to_a_commit_is_a_softer_mismatch(tmp_path, cache_dir, shared):
    severities = {
        PINNED: "info",  # the file as it was at that commit, where it defined gluon_senet154
        "blob/master": "warning",  # a branch follows timm as it changes
        "blob/v0.4.5": "warning",  # a release tag
        "blob/d8e69206be25": "warning",  # a short hash cannot be told from a branch name
    }
    cards = {}
    for number, ref in enumerate(severities):
        card = tmp_path / f"gloun-senet-{number}.md"
        card.write_text((TIMM_CARDS / "gloun-senet.md").read_text().replace(PINNED, ref))
        cards[card.name] = ref
    findings = found(run(tmp_path, cache_dir)[1], "MI313")
    assert sorted(Path(d.path).name for d in findings) == sorted(cards)
    for code in findings:
        ref = cards[Path(code.path).name]
        assert code.span.line == line_of(tmp_path / Path(code.path).name,
                                         f"Code: https://github.com/rwightman/pytorch-image-models/{ref}/")
        assert (code.severity.value, code.fix.applicability.value) == (severities[ref], "unsafe")


@pytest.mark.parametrize("path, commit", [
    ("/rwightman/pytorch-image-models/blob/D8E69206BE253892B2956341FEA09FDEBFAAE4E3/timm/models/resnet.py",
     "d8e69206be253892b2956341fea09fdebfaae4e3"),
    ("/rwightman/pytorch-image-models/d8e69206be253892b2956341fea09fdebfaae4e3/timm/models/resnet.py",  # raw
     "d8e69206be253892b2956341fea09fdebfaae4e3"),
    ("/rwightman/pytorch-image-models/blob/main/timm/models/resnet.py", None),
    ("/rwightman/pytorch-image-models/blob/d8e69206be253892b2956341fea09fdebfaae4e3a/timm/models/resnet.py", None),
    ("/d8e69206be253892b2956341fea09fdebfaae4e3/timm/models/resnet.py", None),
])
def test_only_a_full_commit_pins_a_link(path, commit):
    assert checks.pinned_commit(path) == commit


def macs_card(folder: Path, flops: dict[str, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    card = folder / "resnets.md"
    models = "".join(f"- Name: {name}\n  Metadata:\n    ID: {name}.tv_in1k\n    Image Size: 224\n"
                     f"    FLOPs: {value}\n" for name, value in flops.items())
    card.write_text(f"<!--\nType: model-index\nModels:\n{models}-->\n")
    return card


def test_a_card_that_declares_macs_has_its_outliers_fixed_in_macs(tmp_path, cache_dir):
    names = ("resnet18", "resnet34", "resnet50", "resnet101")
    probe = run(macs_card(tmp_path / "probe", dict.fromkeys(names, 1000)), cache_dir)[1]
    macs = {d.model: d.expected // 2 for d in found(probe, "MI305")}  # 2 FLOPs per MAC, measured
    assert set(macs) == set(names)
    card = macs_card(tmp_path / "card", {**macs, "resnet50": macs["resnet50"] * 3, "resnet101": 1000})
    result = run(card, cache_dir)[1]
    (outlier,) = found(result, "MI304")
    (below,) = found(result, "MI305")
    assert (outlier.model, outlier.fix.replacement) == ("resnet50", str(macs["resnet50"]))
    assert (below.model, below.fix.replacement) == ("resnet101", str(macs["resnet101"]))
    assert {outlier.fix.applicability.value, below.fix.applicability.value} == {"safe"}
    assert not [n for n in result.notices if "steady multiple" in n]  # plain MACs go without saying
