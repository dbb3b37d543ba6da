"""The `sarif` report against the official SARIF 2.1.0 JSON schema (vendored in fixtures/sarif)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from model_index import report
from model_index.diagnostics import Diagnostic, Fix, Place, Result, Severity, Span, Summary
from model_index.lint import Options, validate
from model_index.reporters import sarif

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
SEED = Path(__file__).parent / "fixtures" / "seed" / "big-transfer.md"


def _validator() -> jsonschema.Draft4Validator:
    jsonschema.Draft4Validator.check_schema(SCHEMA)  # the schema says draft-04
    return jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _errors(log: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(log)]


def _result(*diagnostics: Diagnostic) -> Result:
    summary = Summary(files=1, models=1)
    summary.count(list(diagnostics))
    return Result(list(diagnostics), summary)


def test_the_schema_rejects_what_it_should():
    """The vendored schema is strict enough to catch a broken log (so the tests below can fail)."""
    assert _errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # a driver needs a name
    assert _errors({"version": "2.1", "runs": []})
    log = json.loads(report.format_report(_result(), "sarif", {}))
    log["runs"][0]["results"] = [{"message": {"text": "x"}, "level": "fatal"}]
    assert _errors(log)


@pytest.mark.parametrize("home", [None, "https://model-index-lint.github.io/model-index-lint/"])
def test_hand_made_report_is_valid(monkeypatch, tmp_path, home):
    monkeypatch.setattr(sarif, "documentation_url", lambda: home)
    span = Span(6, 17, 6, 22)
    diagnostics = (
        Diagnostic("cards/demo.md", span, "MI301", "image-size-mismatch", Severity.ERROR, "size 480, model 448",
                   "demo_net", "Metadata.Image Size", 448, "480", Fix(span, "448", "write 448")),
        Diagnostic("my cards/x,y:z.md", Span(2, 1, 4, 9), "MI002", "wrong-type", Severity.INFO, "two\nlines"),
        Diagnostic(str(tmp_path / "abs path.md"), Span.point(1), "MI000", "unreadable-file", Severity.WARNING, "gone"),
        Diagnostic("cards/b.md", Span(4, 9, 4, 14), "MI102", "duplicate-name", Severity.ERROR, "used at cards/a.md:7",
                   related=(Place("cards/a.md", Span(7, 9, 7, 14), "the first model named 'x'"),)),
    )
    log = json.loads(report.format_report(_result(*diagnostics), "sarif", {}))
    assert _errors(log) == []
    assert len(log["runs"][0]["results"]) == 4
    assert ("helpUri" in log["runs"][0]["tool"]["driver"]["rules"][0]) == (home is not None)


def test_report_of_a_real_card_is_valid():
    index, result = validate([SEED], options=Options(cross_check="never"))
    log = json.loads(report.format_report(result, "sarif", index.texts))
    assert log["runs"][0]["results"], "the seed card has findings"
    assert _errors(log) == []



def test_a_duplicate_name_points_to_its_first_use(tmp_path):
    card = "# {0}\n\n<!--\nModels:\n- Name: twin\n  Metadata:\n    Image Size: 224\n-->\n"
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(card.format(name), encoding="utf-8")
    index, result = validate([tmp_path], options=Options(cross_check="never"))
    log = json.loads(report.format_report(result, "sarif", index.texts))
    assert _errors(log) == []
    [found] = log["runs"][0]["results"]
    assert found["ruleId"] == "MI102" and found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/b.md")
    [related] = found["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("/a.md")
    assert related["physicalLocation"]["region"]["startLine"] == 5
