"""The github format: GitHub's escaping as its runner parses it, the annotation order and caps, and
the job summary as GitHub renders it."""

from __future__ import annotations

import html
import random
import re

import cmarkgfm
from cmarkgfm.cmark import Options as CmarkOptions

from model_index import report
from model_index.diagnostics import Diagnostic, Place, Result, Severity, Span, Summary
from model_index.escape.terminal import printable
from model_index.reporters import github

# --- GitHub's parser of workflow commands, as actions/runner has it (src/Runner.Worker/ActionCommand.cs,
# TryParseV2 and StringEscapingUtil.UnescapeString): the line must start with "::"; the command and
# its properties end at the next "::"; properties split at "," and then at the first "="; values and
# data are unescaped mapping by mapping, "%25" last.
DATA_MAPPINGS = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
PROPERTY_MAPPINGS = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]


def _unescape(text: str, mappings) -> str:
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str] | None:
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    properties = {}
    for part in (p for p in props.strip().split(",") if p):
        pair = [p for p in part.split("=", 1) if p]
        if len(pair) == 2:
            properties[pair[0]] = _unescape(pair[1], PROPERTY_MAPPINGS)
    return name, properties, _unescape(line[end + 2:], DATA_MAPPINGS)


def commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    """Every line of `text` as the runner reads it: each one must be a command."""
    parsed = [parse_command(line) for line in text.split("\n") if line]
    assert None not in parsed
    return parsed


def _diagnostic(path="cards/a.md", severity=Severity.ERROR, message="bad", line=6) -> Diagnostic:
    return Diagnostic(path, Span(line, 3, line, 9), "MI201", "number-as-string", severity, message)


def _result(*diagnostics: Diagnostic, changed: frozenset[str] | None = None) -> Result:
    summary = Summary(files=2, models=2)
    summary.count(list(diagnostics))
    return Result(list(diagnostics), summary, changed=changed)


def _github(result: Result) -> list[tuple[str, dict[str, str], str]]:
    return commands(report.format_report(result, "github", {}))


# --- escaping -----------------------------------------------------------------------------------

def _shown(text: str) -> str:
    """What an annotation shows of card text: line breaks kept (GitHub escapes them), every other
    control character made visible (`printable`), so nothing acts on a log viewer."""
    return "\n".join(printable(line) for line in text.split("\n"))


def test_file_names_and_messages_survive_the_runner_parser():
    hostile = [("dir,x/a:b.md", "a message with :: inside and %0A written out"),
               ("we::ird%25,name.md", "line one\r\nline two\n::error::forged"),
               ("plain.md", "50% off, see: http://example.org")]
    for path, message in hostile:
        [(name, properties, data)] = _github(_result(_diagnostic(path, message=message)))
        assert name == "error"
        assert properties["file"] == printable(path) and data == _shown(message)
        assert properties["line"] == "6" and properties["col"] == "3" and properties["endColumn"] == "9"
        assert properties["title"] == "MI201 number-as-string"


def test_random_text_round_trips_through_the_runner_parser():
    rng = random.Random(9)
    alphabet = "ab:,%\r\n=0ADC2 5"
    for _ in range(300):
        path = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        message = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        [(_, properties, data)] = _github(_result(_diagnostic(path, message=message)))
        assert (properties["file"], data) == (printable(path), _shown(message))


def test_escape_functions_follow_the_runner_mappings():
    assert github.escape_data("50% off\r\nnext") == "50%25 off%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


# --- order and caps -----------------------------------------------------------------------------

def test_changed_cards_come_first_then_by_severity():
    diagnostics = [_diagnostic("a.md", Severity.ERROR, "a-error", 1), _diagnostic("a.md", Severity.WARNING, "a-warning", 2),
                   _diagnostic("b.md", Severity.INFO, "b-info", 1), _diagnostic("b.md", Severity.WARNING, "b-warning", 2),
                   _diagnostic("b.md", Severity.ERROR, "b-error", 3)]
    order = [data for _, _, data in _github(_result(*diagnostics, changed=frozenset({"b.md"})))]
    assert order == ["b-error", "b-warning", "b-info", "a-error", "a-warning"]
    order = [data for _, _, data in _github(_result(*diagnostics))]  # no scope: errors first
    assert order == ["a-error", "b-error", "a-warning", "b-warning", "b-info"]


def test_a_problem_involving_a_changed_card_ranks_and_is_marked_with_the_changed_cards():
    """A duplicate name reported at an unchanged card, whose first use is on a changed one."""
    old = [_diagnostic("a.md", Severity.ERROR, f"old-{i}", i) for i in range(1, 12)]
    duplicate = Diagnostic("z.md", Span(3, 9, 3, 10), "MI102", "duplicate-name", Severity.ERROR, "duplicate",
                           related=(Place("new.md", Span(5, 9, 5, 10), "first"),))
    result = _result(*old, duplicate, changed=frozenset({"new.md"}))
    errors = [(properties["file"], data) for name, properties, data in _github(result) if name == "error"]
    assert errors[0] == ("z.md", "duplicate") and len(errors) == 10
    rows = _cells(github.job_summary(result))
    assert [row[4] for row in rows if row[0] == "yes"] == ["duplicate"]
    assert [data for _, _, data in _github(_result(*old, duplicate))][-2] == "old-10"  # no scope: file order


def test_at_most_ten_of_each_kind_and_a_notice_for_the_rest():
    diagnostics = ([_diagnostic("old.md", Severity.ERROR, f"old-{i}", i) for i in range(1, 21)]
                   + [_diagnostic("new.md", Severity.ERROR, f"new-{i}", i) for i in range(1, 6)]
                   + [_diagnostic("old.md", Severity.WARNING, f"w-{i}", 100 + i) for i in range(3)]
                   + [_diagnostic("old.md", Severity.INFO, f"i-{i}", 200 + i) for i in range(12)])
    out = _github(_result(*diagnostics, changed=frozenset({"new.md"})))
    kinds = [name for name, _, _ in out]
    assert kinds.count("error") == 10 and kinds.count("warning") == 3 and kinds.count("notice") == 10
    errors = [data for name, _, data in out if name == "error"]
    assert errors == [f"new-{i}" for i in range(1, 6)] + [f"old-{i}" for i in range(1, 6)]
    *_, (name, properties, _) = out  # the last line says how many were left out, on no file
    assert name == "notice" and "file" not in properties
    assert sum(1 for name, properties, _ in out if name == "notice" and "file" in properties) == 9


def test_no_notice_when_nothing_is_left_out():
    diagnostics = [_diagnostic("a.md", severity, f"{severity.value}-{i}", i)
                   for severity in Severity for i in range(1, 11)]
    out = _github(_result(*diagnostics))
    assert len(out) == 30 and all("file" in properties for _, properties, _ in out)


# --- the job summary ----------------------------------------------------------------------------

def _cells(markdown: str) -> list[list[str]]:
    """The body rows of the last table, as GitHub renders the summary (cmark-gfm), as plain text."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=CmarkOptions.CMARK_OPT_UNSAFE)
    body = rendered.rsplit("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


HOSTILE = ["pipe | in a cell", "<img src=x onerror=alert(1)> <b>bold</b>", "`code` and ```fence```",
           "two\nlines\r\nthree", "*emphasis* _under_ ~~strike~~ [link](https://evil.example) ![img](x)",
           "math $x$ and :white_check_mark: and &amp; and \\| escaped", "bidi \u202eevil\u202c and \x1b[31m"]


def test_summary_lists_every_problem_as_plain_text_in_githubs_renderer():
    diagnostics = [_diagnostic(f"cards/{i}|`x`.md", Severity.WARNING, message, i + 1) for i, message in enumerate(HOSTILE)]
    rows = _cells(github.job_summary(_result(*diagnostics)))
    assert len(rows) == len(HOSTILE)
    for row, d in zip(rows, diagnostics):
        severity, location, code, message = row
        assert (severity, location, code) == ("warning", printable(d.location), "MI201 number-as-string")
        assert message == printable(d.message)  # every character shown as written; nothing became markup


def test_summary_marks_and_lists_changed_cards_first():
    diagnostics = [_diagnostic("a.md", Severity.ERROR, "on a", 1), _diagnostic("b.md", Severity.WARNING, "on b", 1)]
    rows = _cells(github.job_summary(_result(*diagnostics, changed=frozenset({"b.md"}))))
    assert [(row[0], row[4]) for row in rows] == [("yes", "on b"), ("", "on a")]


def test_summary_stays_within_a_steps_limit(tmp_path):
    message = "a long message " * 40
    diagnostics = [_diagnostic("cards/a.md", Severity.WARNING, message, i) for i in range(1, 3001)]
    target = tmp_path / "summary.md"
    target.write_text("x" * 200_000, encoding="utf-8")  # an earlier write of the same step
    assert report.write_job_summary(_result(*diagnostics), {"GITHUB_STEP_SUMMARY": str(target)})
    size = target.stat().st_size
    assert 1024 * 1024 - 2_000 < size <= 1024 * 1024
    rows = _cells(target.read_text(encoding="utf-8")[200_000:])
    assert 0 < len(rows) < 3000
    left = re.search(r"(\d+) more problem", target.read_text(encoding="utf-8"))
    assert left and int(left.group(1)) == 3000 - len(rows)
