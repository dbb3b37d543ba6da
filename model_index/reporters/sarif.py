"""SARIF 2.1.0, as code scanning services (GitHub's among them) read it."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic, Fix, Result, Severity
from ..extras import DISTRIBUTION
from .machine import exact_json

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(result: Result, texts: dict[str, str], color: bool = False) -> str:
    """One run of the model-index tool: the registry's rules and every diagnostic as a result."""
    from ..rules import all_rules

    rules = all_rules()
    home = documentation_url()
    indices = {rule.code: i for i, rule in enumerate(rules)}
    driver = {"name": "model-index", "version": __version__, "semanticVersion": __version__}
    if home:
        driver["informationUri"] = home
    driver["rules"] = [_descriptor(rule, home) for rule in rules]
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, indices) for d in result.diagnostics],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return exact_json(log)


def documentation_url() -> str | None:
    """The project's documentation address from its package metadata (ending in a slash), if any."""
    from importlib import metadata  # slow to import: only SARIF needs it

    try:
        urls = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    labelled = dict(url.split(", ", 1) for url in urls if ", " in url)
    url = labelled.get("Documentation") or labelled.get("Homepage")
    if not url:
        return None
    return url if url.endswith("/") else url + "/"


def _descriptor(rule, home: str | None) -> dict:
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family]},
    }
    if home:  # without a documentation address there is nothing true to link to
        descriptor["helpUri"] = f"{home}rules/#{rule.code.lower()}-{rule.name}"  # the rules page anchor
    return descriptor


def artifact_uri(path: str) -> str:
    """A report path as a URI reference: relative paths stay relative (to SRCROOT). The file name's
    real bytes are percent-encoded, also those that are not UTF-8."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(os.fsencode(PurePath(path).as_posix()))


def _region(span) -> dict:
    region = {"startLine": span.line, "startColumn": span.column}
    if (span.end_line, span.end_column) > (span.line, span.column):
        region.update(endLine=span.end_line, endColumn=span.end_column)
    return region


def _location(path: str) -> dict:
    location = {"uri": artifact_uri(path)}
    if not os.path.isabs(path):
        location["uriBaseId"] = "SRCROOT"
    return location


def _result(d: Diagnostic, indices: dict[str, int]) -> dict:
    result = {
        "ruleId": d.code,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": _location(d.path), "region": _region(d.span)}}],
    }
    if d.related:  # the other places it involves (where a duplicated name was first used)
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": {"artifactLocation": _location(place.path), "region": _region(place.span)},
             "message": {"text": place.message}} for i, place in enumerate(d.related)]
    if d.code in indices:
        result["ruleIndex"] = indices[d.code]
    if d.fix:
        result["fixes"] = [_fix(d.path, d.fix)]
    facts = d.as_dict()
    properties = {k: facts[k] for k in ("model", "field", "expected", "actual") if facts[k] is not None}
    if properties:
        result["properties"] = properties
    return result


def _fix(path: str, fix: Fix) -> dict:
    span = fix.span
    deleted = {"startLine": span.line, "startColumn": span.column,
               "endLine": span.end_line, "endColumn": span.end_column}
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": _location(path),
                             "replacements": [{"deletedRegion": deleted,
                                               "insertedContent": {"text": fix.replacement}}]}],
        "properties": {"applicability": fix.applicability.value},
    }
