"""The report formats: built from hand-made Results, so they test formatting and nothing else."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from model_index import report
from model_index.diagnostics import Applicability, Diagnostic, Fix, Result, Severity, Span, Summary
from model_index.lint import validate
from model_index.reporters import github, sarif

SEED = Path(__file__).parent / "fixtures" / "seed" / "big-transfer.md"
CARD = "cards/demo.md"
TEXT = "# Demo\n<!--\nModels:\n- Name: demo_net\n  Metadata:\n    Image Size: '224'\n    Paper:\n      url: x\n-->\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _result(*diagnostics: Diagnostic) -> Result:
    summary = Summary(files=1, models=1, collections=0)
    summary.count(list(diagnostics))
    return Result(list(diagnostics), summary)


def _size(severity=Severity.ERROR, fix=True, message="size is a string") -> Diagnostic:
    span = Span(6, 17, 6, 22)
    return Diagnostic(CARD, span, "MI301", "image-size-mismatch", severity, message, "demo_net",
                      "Metadata.Image Size", 224, "224", Fix(span, "224", "write 224") if fix else None)


def _file_problem() -> Diagnostic:
    return Diagnostic("cards/gone.md", Span.point(1), "MI000", "unreadable-file", Severity.ERROR, "missing")


def test_concise_one_line_per_problem_then_summary():
    lines = report.format_report(_result(_size(), _file_problem()), "concise", {CARD: TEXT}).splitlines()
    assert lines[0].startswith(f"{CARD}:6:17: MI301 [*] [error] ")  # fixable, as ruff marks it
    assert lines[1].startswith("cards/gone.md:1:1: MI000 [error] ")
    assert len(lines) == 4  # two problems, the summary, the fixable hint


def test_concise_colors_only_when_asked():
    plain = report.format_report(_result(_size()), "concise", {}, color=False)
    colored = report.format_report(_result(_size()), "concise", {}, color=True)
    assert not ANSI.search(plain)
    assert ANSI.search(colored)
    assert ANSI.sub("", colored) == plain


def test_full_shows_the_source_line_with_a_caret_under_the_span():
    text = report.format_report(_result(_size()), "full", {CARD: TEXT})
    lines = text.splitlines()
    source = next(i for i, line in enumerate(lines) if line.endswith("Image Size: '224'"))
    assert lines[source].split("|")[0].strip() == "6"
    caret = lines[source + 1]
    start = caret.index("^")
    offset = lines[source].index("|") + 2  # the excerpt starts two characters after the bar
    assert start - offset == 16  # column 17, 1-based
    assert caret.count("^") == 5  # columns 17..21: '224' with its quotes
    assert any(line.startswith("help:") for line in lines)
    assert any("expected:" in line and "actual:" in line for line in lines)


def test_full_without_file_text_or_span_still_reports():
    text = report.format_report(_result(_file_problem()), "full", {})
    assert "MI000" in text and "cards/gone.md:1:1" in text and "^" not in text


def test_full_multiline_span_marks_each_line():
    d = Diagnostic(CARD, Span(7, 5, 8, 13), "MI002", "wrong-type", Severity.WARNING, "bad paper")
    lines = report.format_report(_result(d), "full", {CARD: TEXT}).splitlines()
    assert sum("^" in line for line in lines) == 2


def test_json_follows_the_contract():
    data = json.loads(report.format_report(_result(_size(), _file_problem()), "json", {}))
    assert set(data) == {"version", "diagnostics", "summary"} and data["version"] == 1
    assert set(data["summary"]) == {"files", "models", "collections", "errors", "warnings", "infos"}
    assert all(isinstance(v, int) for v in data["summary"].values())
    first = data["diagnostics"][0]
    assert list(first) == ["path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                           "message", "model", "field", "expected", "actual", "fix"]
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (6, 17, 6, 22)
    assert first["expected"] == 224 and first["actual"] == "224"
    assert first["fix"]["replacement"] == "224"
    assert data["diagnostics"][1]["fix"] is None and data["diagnostics"][1]["model"] is None


def test_json_of_a_real_card_points_at_file_lines_and_written_keys():
    index, result = validate([SEED], options=_never())
    data = json.loads(report.format_report(result, "json", index.texts))
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for d in data["diagnostics"]:
        assert isinstance(d["line"], int) and d["line"] >= 1 and isinstance(d["column"], int)
        assert d["severity"] in ("error", "warning", "info")
        assert d["path"] == index.files[0]
        if d["field"]:  # the span's text sits in the file at that line and column
            assert lines[d["line"] - 1][d["column"] - 1:].strip()
    fields = {d["field"] for d in data["diagnostics"]}
    models = {d["model"] for d in data["diagnostics"]} - {None}
    assert models <= {m.name for m in index.models}
    for d in data["diagnostics"]:  # keys as written: the card spells `url` in lower case
        if d["field"] and d["field"].startswith("Paper."):
            assert d["field"] == "Paper.url"
    if "Metadata.Image Size" in fields:
        hit = next(d for d in data["diagnostics"] if d["field"] == "Metadata.Image Size")
        assert lines[hit["line"] - 1][hit["column"] - 1:hit["end_column"] - 1] == "'480'"


def _never():
    from model_index.lint import Options

    return Options(cross_check="never")


def test_github_escapes_data_and_properties():
    assert github.escape_data("50% off\r\nnext") == "50%25 off%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations():
    info = Diagnostic("dir,x/a:b.md", Span(3, 2, 5, 4), "MI002", "wrong-type", Severity.INFO, "two\nlines 100%")
    out = report.format_report(_result(_size(), info, _size(Severity.WARNING)), "github", {}).splitlines()
    assert out[0] == (f"::error file={CARD},line=6,col=17,endLine=6,endColumn=22,"
                      "title=MI301 image-size-mismatch::size is a string")
    assert out[1].startswith("::warning ")  # errors, then warnings, then notices
    assert out[2] == "::notice file=dir%2Cx/a%3Ab.md,line=3,endLine=5,title=MI002 wrong-type::two%0Alines 100%25"


def test_job_summary_is_appended_when_the_variable_is_set(tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    assert report.write_job_summary(_result(_size(), _size()), {"GITHUB_STEP_SUMMARY": str(target)})
    text = target.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    row = next(line for line in text.splitlines() if line.startswith("| MI301"))
    assert [cell.strip() for cell in row.strip("|").split("|")] == ["MI301", "image-size-mismatch", "2", "2"]
    assert not report.write_job_summary(_result(), {})


@pytest.mark.parametrize("environ, expected", [({"GITHUB_ACTIONS": "true"}, "github"), ({}, "concise"),
                                               ({"GITHUB_ACTIONS": "false"}, "concise")])
def test_auto_format(environ, expected):
    assert report.resolve_format("auto", environ) == expected
    assert report.resolve_format("json", environ) == "json"


def test_statistics_counts_per_rule():
    rows = json.loads(report.format_statistics(_result(_size(), _size(fix=False), _file_problem()), "json"))
    assert rows[0] == {"code": "MI301", "rule": "image-size-mismatch", "count": 2, "fixable": 1}
    assert rows[1]["code"] == "MI000" and rows[1]["count"] == 1
    text = report.format_statistics(_result(_size(), _file_problem()), "concise").splitlines()
    assert [line.split()[:2] for line in text] == [["1", "MI000"], ["1", "MI301"]]


def _with_fix(applicability: Applicability) -> Diagnostic:
    d = _size()
    return replace(d, fix=replace(d.fix, applicability=applicability))


def test_fix_counts_and_markers_follow_applicability():
    kinds = (Applicability.SAFE, Applicability.UNSAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY)
    result = _result(*map(_with_fix, kinds))
    assert result.fix_counts() == {Applicability.SAFE: 1, Applicability.UNSAFE: 2, Applicability.DISPLAY_ONLY: 1}
    stats = json.loads(report.format_statistics(result, "json"))
    full = report.format_report(result, "full", {CARD: TEXT})
    concise = report.format_report(result, "concise", {CARD: TEXT})
    assert stats[0]["fixable"] == 1 and full.count("MI301 [*]") == 1  # only what --fix applies is marked
    assert [": MI301 [*] [" in line for line in concise.splitlines()[:4]] == [True, False, False, False]
    result.unsafe_fixes = True
    stats = json.loads(report.format_statistics(result, "json"))
    full = report.format_report(result, "full", {CARD: TEXT})
    concise = report.format_report(result, "concise", {CARD: TEXT})
    assert stats[0]["fixable"] == 3 and full.count("MI301 [*]") == 3
    assert [": MI301 [*] [" in line for line in concise.splitlines()[:4]] == [True, True, True, False]
    data = json.loads(report.format_report(result, "json", {}))
    assert [d["fix"]["applicability"] for d in data["diagnostics"]] == [k.value for k in kinds]


# --- SARIF 2.1.0: the parts of the schema code scanning relies on, checked by hand -----------------

LEVELS = {"none", "note", "warning", "error"}


def _check_region(region: dict) -> None:
    assert set(region) <= {"startLine", "startColumn", "endLine", "endColumn"}
    assert all(isinstance(v, int) and v >= 1 for v in region.values())
    if "endLine" in region:
        assert (region["endLine"], region.get("endColumn", 1)) >= (region["startLine"], region["startColumn"])


def _check_artifact(location: dict) -> None:
    assert isinstance(location["uri"], str) and " " not in location["uri"]
    assert not location["uri"].startswith("/")


def test_sarif_log_structure(monkeypatch):
    monkeypatch.setattr(sarif, "documentation_url", lambda: None)  # as from a source tree, not installed
    moved = Diagnostic("my cards/x.md", Span(2, 1, 2, 9), "MI002", "wrong-type", Severity.INFO, "bad")
    log = json.loads(report.format_report(_result(_size(), moved, _file_problem()), "sarif", {}))
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "model-index" and isinstance(driver["version"], str)
    assert "informationUri" not in driver  # no documentation address known (monkeypatched)
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids)) and "MI301" in ids
    for rule in driver["rules"]:
        assert re.fullmatch(r"MI\d{3}", rule["id"]) and re.fullmatch(r"[a-z0-9-]+", rule["name"])
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
        assert "helpUri" not in rule
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["MI301", "MI002", "MI000"]
    assert [r["level"] for r in results] == ["error", "note", "error"]
    for r in results:
        assert ids[r["ruleIndex"]] == r["ruleId"]
        assert isinstance(r["message"]["text"], str)
        physical = r["locations"][0]["physicalLocation"]
        _check_artifact(physical["artifactLocation"])
        _check_region(physical["region"])
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 6, "startColumn": 17, "endLine": 6, "endColumn": 22}
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20cards/x.md"
    fix = results[0]["fixes"][0]
    assert fix["description"]["text"]
    change = fix["artifactChanges"][0]
    _check_artifact(change["artifactLocation"])
    _check_region(change["replacements"][0]["deletedRegion"])
    assert change["replacements"][0]["insertedContent"]["text"] == "224"
    assert "fixes" not in results[1]


def test_sarif_absolute_paths_become_file_uris(tmp_path):
    assert sarif.artifact_uri(str(tmp_path / "a b.md")).startswith("file://")
    assert sarif.artifact_uri("a b/c.md") == "a%20b/c.md"


def test_sarif_links_rules_to_the_documentation(monkeypatch):
    from model_index.reporters import sarif

    monkeypatch.setattr(sarif, "documentation_url", lambda: "https://docs.example.org/model-index/")
    driver = json.loads(report.format_report(_result(_size()), "sarif", {}))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://docs.example.org/model-index/"
    assert all(r["helpUri"] == f"https://docs.example.org/model-index/rules/#{r['id'].lower()}-{r['name']}"
               for r in driver["rules"])


def _random_json(rng, depth: int = 0):
    """A value of every kind JSON writes: odd floats, big ints, escapes, lone surrogates, empty and
    nested containers, tuples, and mappings with keys that are not strings."""
    leaves = [None, True, False, 0, -0.0, 1.5, 1e16, 1e-7, float("inf"), float("-inf"), float("nan"), 2 ** 70, "",
              "a\nb", "é\u2028\ud800", "\"\\", "\x00\x1f", [], {}, ()]
    roll = rng.random()
    if depth > 4 or roll < 0.5:
        return rng.choice(leaves)
    if roll < 0.75:
        items = [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
        return tuple(items) if rng.random() < 0.1 else items
    keys = ["a", "b c", "é", "\ud800", 1, 2.5, True, None] if rng.random() < 0.2 else ["a", "b", "\n", "é"]
    return {rng.choice(keys): _random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_json_reports_are_the_standard_librarys_indented_json():
    """The reports' JSON writer lays out containers itself (faster than the standard library's
    indented encoder, which runs in Python); its text must be the standard library's, byte for byte."""
    import random

    from model_index.reporters.machine import exact_json

    rng = random.Random(11)
    for _ in range(5000):
        value = _random_json(rng)
        expected = json.dumps(value, indent=2, ensure_ascii=False)
        expected = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", expected) + "\n"
        assert exact_json(value) == expected, value
