"""Top 1 / Top 5 Accuracy against a timm results CSV (``--results``), columns read by header name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from .. import files
from ..config import ConfigError
from ..diagnostics import Finding
from ..schema import as_number
from .numbers import agrees_decimals, decimals

METRICS = {"top1": ("Top 1 Accuracy", "MI314"), "top5": ("Top 5 Accuracy", "MI315")}
MAX_CSV_BYTES = 64 * 1024 * 1024  # timm's results-imagenet.csv is about 100 KB


@dataclass(frozen=True)
class Unreadable:
    """A value of the results CSV that is not a number (left out of its row): where it is and its text."""

    path: str
    line: int
    column: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column} {self.text!r} is not a number"


@dataclass
class Table:
    """A results CSV: model name → {"top1": …, "top5": …} of the values that are numbers, and the
    values left out because they are not, by model name."""

    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    unreadable: dict[str, list[Unreadable]] = field(default_factory=dict)

    def row_name(self, names: list[str]) -> str | None:
        """The first of `names` that names a row."""
        return next((n for n in names if n and n in self.rows), None)


def read(path: str) -> Table:
    """The table of a results CSV; headers are matched case-insensitively, an empty cell is no value."""
    try:
        with io.StringIO(files.read_text(path, cap=MAX_CSV_BYTES), newline="") as stream:
            reader = csv.DictReader(stream)
            columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
            if "model" not in columns or not any(metric in columns for metric in METRICS):
                raise ConfigError(f"{path}: a results CSV needs a 'model' column and 'top1' or 'top5'")
            table = Table()
            for row in reader:
                name = (row.get(columns["model"]) or "").strip()
                texts = {m: row.get(columns[m]) for m in METRICS if m in columns}
                values = {m: as_number(text) for m, text in texts.items()}
                table.rows[name] = {m: v for m, v in values.items() if isinstance(v, (int, float))}
                table.unreadable[name] = [Unreadable(path, reader.line_num, columns[m], text)
                                          for m, text in texts.items() if isinstance(text, str) and text.strip()
                                          and not isinstance(values[m], (int, float))]
                if not table.unreadable[name]:
                    del table.unreadable[name]
            return table
    except (OSError, files.Refused, UnicodeDecodeError, csv.Error) as error:
        raise ConfigError(f"{path}: cannot read results CSV: {error}") from error


def check(entity, names: list[str], table: Table) -> list[Finding]:
    """Compare the card's ImageNet Top 1 / Top 5 with the first row named like the model."""
    row_name = table.row_name(names)
    results = entity.value(("Results",))
    if row_name is None or not isinstance(results, list):
        return []
    row, findings = table.rows[row_name], []
    for i, result in enumerate(results):
        if not isinstance(result, dict) or not _imagenet(result.get("Dataset")):
            continue
        metrics = result.get("Metrics")
        for column, (label, code) in METRICS.items():
            declared = metrics.get(label) if isinstance(metrics, dict) else None
            if column not in row or as_number(declared) is None or agrees_decimals(declared, row[column]):
                continue
            findings.append(Finding(code, f"{label} {declared} disagrees with {row[column]} for {row_name} in the "
                                          "results CSV", entity=entity, at=("Results", i, "Metrics", label),
                                    expected=row[column], actual=declared,
                                    replacement=_as_written(declared, row[column]),
                                    fix_description=f"write {_as_written(declared, row[column])}"))
    return findings


def _imagenet(dataset: Any) -> bool:
    """Results on ImageNet (or with no dataset named): the results CSV's dataset."""
    return dataset is None or str(dataset).strip().lower() in ("imagenet", "imagenet-1k", "imagenet 1k")


def _as_written(declared: Any, value: float) -> Any:
    """`value` in the declared value's form: ``'80.05%'`` stays a percentage string with 2 decimals."""
    places = max(decimals(declared), 0)
    rounded = round(value, places)
    if isinstance(declared, str):
        return f"{rounded:.{places}f}" + ("%" if declared.strip().endswith("%") else "")
    return rounded
