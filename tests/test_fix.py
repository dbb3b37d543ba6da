"""--fix: edits by span, applied backwards, overlap-safe, newline- and BOM-preserving, stale-safe."""

from __future__ import annotations

import subprocess
from pathlib import Path

from model_index import fix
from model_index.diagnostics import Applicability, Diagnostic, Fix, Severity, Span
from model_index.files import read_text

CARD = "# Demo\n\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: '224'\n    Crop Pct: '0.875'\n-->\n"
SIZE = Span(7, 17, 7, 22)  # '224' with its quotes
CROP = Span(8, 15, 8, 22)  # '0.875'


def _diag(path: Path, span: Span, replacement: str) -> Diagnostic:
    return Diagnostic(str(path), span, "MI201", "number-as-string", Severity.WARNING, "quoted number",
                      fix=Fix(span, replacement, f"write {replacement}"))


def _write(tmp_path: Path, text: str, newline: str = "\n", bom: bool = False) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "demo.md"
    path.write_bytes((("\ufeff" if bom else "") + text.replace("\n", newline)).encode("utf-8"))
    return path, {str(path): read_text(path)}


def test_a_quoted_number_is_written_as_a_number(tmp_path):
    path, texts = _write(tmp_path, CARD)
    outcome = fix.apply_fixes([_diag(path, SIZE, "224")], texts)
    assert outcome.applied == 1 and outcome.changed_files == [str(path)]
    assert path.read_text(encoding="utf-8") == CARD.replace("Image Size: '224'", "Image Size: 224")


def test_several_edits_in_one_file_keep_their_offsets(tmp_path):
    path, texts = _write(tmp_path, CARD)
    same_line = [_diag(path, Span(7, 5, 7, 15), "Image size"), _diag(path, SIZE, "224")]
    outcome = fix.apply_fixes([_diag(path, CROP, "0.875"), *same_line], texts)
    assert outcome.applied == 3
    text = path.read_text(encoding="utf-8")
    assert "    Image size: 224\n    Crop Pct: 0.875\n" in text


def test_overlapping_edits_are_skipped_and_duplicates_merged(tmp_path):
    path, texts = _write(tmp_path, CARD)
    plans = fix.plan_fixes([_diag(path, SIZE, "224"), _diag(path, SIZE, "224"),
                            _diag(path, Span(7, 5, 7, 20), "X")], texts)
    assert [(p.applied, p.skipped) for p in plans] == [(1, 1)]
    assert "    X4'\n" in plans[0].after  # the earlier-starting edit wins, the other waits for a rerun


def test_spans_outside_the_file_are_skipped(tmp_path):
    path, texts = _write(tmp_path, CARD)
    plans = fix.plan_fixes([_diag(path, Span(99, 1, 99, 2), "x"), _diag(path, Span(7, 40, 7, 41), "x")], texts)
    assert plans == []


def test_crlf_and_bom_are_kept(tmp_path):
    path, texts = _write(tmp_path, CARD, newline="\r\n", bom=True)
    fix.apply_fixes([_diag(path, SIZE, "224")], texts)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    assert raw.count(b"\r\n") == CARD.count("\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert b"    Image Size: 224\r\n" in raw


def test_mixed_newlines_stay_as_they_were(tmp_path):
    path = tmp_path / "mixed.md"
    original = CARD.replace("\n", "\r\n", 3)
    path.write_bytes(original.encode("utf-8"))
    fix.apply_fixes([_diag(path, SIZE, "224")], {str(path): read_text(path)})
    assert path.read_bytes() == original.replace("Image Size: '224'", "Image Size: 224").encode("utf-8")


def test_a_file_changed_since_it_was_read_is_not_touched(tmp_path):
    path, texts = _write(tmp_path, CARD)
    edited = CARD.replace("demo_net", "demo_net2")
    path.write_text(edited, encoding="utf-8")
    outcome = fix.apply_fixes([_diag(path, SIZE, "224")], texts)
    assert outcome.applied == 0 and outcome.stale_files == [str(path)]
    assert path.read_text(encoding="utf-8") == edited


def test_diagnostics_without_fixes_or_text_change_nothing(tmp_path):
    path, texts = _write(tmp_path, CARD)
    plain = Diagnostic(str(path), SIZE, "MI205", "empty-value", Severity.WARNING, "x")
    assert fix.plan_fixes([plain, _diag(tmp_path / "unread.md", SIZE, "1")], texts) == []


def test_diff_shows_the_change_without_writing(tmp_path):
    path, texts = _write(tmp_path, CARD)
    text = fix.diff(fix.plan_fixes([_diag(path, SIZE, "224")], texts))
    assert "-    Image Size: '224'\n" in text and "+    Image Size: 224\n" in text
    assert path.read_text(encoding="utf-8") == CARD


def _kind(path: Path, span: Span, replacement: str, applicability: Applicability) -> Diagnostic:
    return Diagnostic(str(path), span, "MI302", "parameters-mismatch", Severity.ERROR, "x",
                      fix=Fix(span, replacement, f"write {replacement}", applicability))


def test_only_fixes_that_apply_are_planned(tmp_path):
    path, texts = _write(tmp_path, CARD)
    offered = [_kind(path, SIZE, "224", Applicability.UNSAFE), _kind(path, CROP, "0.9", Applicability.DISPLAY_ONLY)]
    assert fix.plan_fixes(offered, texts) == []
    (plan,) = fix.plan_fixes(offered, texts, unsafe_fixes=True)
    assert plan.applied == 1 and "Image Size: 224\n" in plan.after and "Crop Pct: '0.875'" in plan.after


def test_passes_fix_in_memory_and_plan_the_whole_change(tmp_path):
    path, texts = _write(tmp_path, CARD)
    passes = fix.Passes(texts)
    assert passes.apply([_diag(path, SIZE, "224")])
    assert passes.current[str(path)] != CARD  # the second pass sees the first one's text
    assert passes.apply([_diag(path, Span(7, 5, 7, 15), "Image size")])
    assert not passes.apply([])
    (plan,) = passes.plans()
    assert (plan.before, plan.applied) == (CARD, 2) and "    Image size: 224\n" in plan.after
    assert path.read_text(encoding="utf-8") == CARD  # nothing written


def test_diff_of_a_file_without_a_last_newline_applies_with_patch(tmp_path):
    text = CARD.rstrip("\n")
    path, texts = _write(tmp_path, text)
    crop = Span(8, 15, 8, 22)
    patch_text = fix.diff(fix.plan_fixes([_diag(path, SIZE, "224"), _diag(path, crop, "0.875")], texts))
    original = path.read_bytes()
    subprocess.run(["patch", "-p1", "-s"], input=patch_text.replace(f"a/{path}", "a/demo.md")
                   .replace(f"b/{path}", "b/demo.md").encode(), cwd=tmp_path, check=True)
    assert path.read_bytes() == original.replace(b"'224'", b"224").replace(b"'0.875'", b"0.875")
    assert not path.read_bytes().endswith(b"\n")


def test_replacement_text_tells_apart_values_that_compare_equal():
    """`to_yaml` remembers what it wrote: values equal in Python but written differently must not
    share a text (0.0 and -0.0, 1 and 1.0 and True)."""
    from model_index.lint import to_yaml

    values = [0.0, -0.0, 1, 1.0, True, 0, False, "1", [1], [1.0], None, float("nan")]
    first = [to_yaml(v) for v in values]
    again = [to_yaml(v) for v in reversed(values)][::-1]
    assert first == again == ["0.0", "-0.0", "1", "1.0", "true", "0", "false", "'1'", "[1]", "[1.0]", "null", ".nan"]
