"""Card text surgery that keeps line numbers: front matter, code that Jinja must not touch, the
hidden metadata comment, and the split into title, introduction and the rest."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

from ..escape import markdown
from ..extract import Fences, front_matter_end, looks_like_model_index, split_lines

# Hidden from Jinja on lines outside fenced code: inline code spans (`_code_spans`), and attr_list
# attributes (`## Usage {#usage}`, `{.class}`, `{: ...}`), whose `{#` would open a Jinja comment.
# No match of `_ATTRIBUTES` can cross a brace, so finding them all is one pass over the line.
_ATTRIBUTES = re.compile(r"\{(?::[^{}\n]*|[#.][A-Za-z0-9_][^{}\n]*(?<!#))\}")
_BACKTICKS = re.compile("`+")
_JINJA = re.compile(r"\{[{%#]")
_MARK = re.compile(r"\x00(\d+)\n*\x00")


@dataclass
class Protected:
    """Text with its code replaced by markers of the same line count, and the code to put back."""

    text: str
    chunks: list[str] = field(default_factory=list)

    def hide(self, chunk: str) -> str:
        """A marker for `chunk`, its line breaks inside: Jinja's whitespace control (`{%-`, `-}}`)
        strips whitespace up to a marker, never into it."""
        self.chunks.append(chunk)
        return f"\x00{len(self.chunks) - 1}" + "\n" * chunk.count("\n") + "\x00"

    def hide_lines(self, lines: list[str]) -> str:
        """A marker for whole lines; their last line break stays outside, so the text after the
        marker still starts a line."""
        chunk = "".join(lines)
        end = "\n" if chunk.endswith("\n") else ""
        return self.hide(chunk[:len(chunk) - len(end)]) + end

    def restore(self, text: str) -> str:
        """`text` with every marker replaced by its chunk (markers a template made up stay)."""
        return _MARK.sub(lambda m: self.chunks[int(m.group(1))] if int(m.group(1)) < len(self.chunks)
                         else m.group(0), text)


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter including its `---` lines, body); mkdocs reads the front matter itself."""
    lines = split_lines(text)
    end = front_matter_end(lines)
    if end is None:
        return "", text
    return "".join(lines[:end + 1]), "".join(lines[end + 1:])


def protect_code(text: str) -> Protected:
    """Hide fenced code blocks, inline code spans and attr_list attributes, so that `{{` in an
    example or `{#id}` after a heading is never Jinja."""
    protected = Protected(text)
    out: list[str] = []
    block: list[str] = []
    fences = Fences()
    for line in split_lines(text):
        if fences.feed(line):
            block.append(line)
            if not fences.open:
                out.append(protected.hide_lines(block))
                block = []
        else:
            out.append(_hide_inline(line, protected))
    if block:  # an unclosed fence runs to the end of the file, as in Markdown
        out.append(protected.hide_lines(block))
    protected.text = "".join(out)
    return protected


def _code_spans(line: str) -> list[tuple[int, int]]:
    """The code spans of one line, left to right: a run of backticks (not after a backslash) opens
    one that the next run of exactly as many backticks closes; an opener without a closer is text.

    One pass: the runs of each length wait in a queue, and every run leaves its queue once."""
    runs = [m.span() for m in _BACKTICKS.finditer(line)]
    later: defaultdict[int, deque[int]] = defaultdict(deque)  # length → indexes of runs of that length
    for index, (start, end) in enumerate(runs):
        later[end - start].append(index)
    spans, index = [], 0
    while index < len(runs):
        start, end = runs[index]
        closers = later[end - start]
        while closers and closers[0] <= index:
            closers.popleft()
        if closers and not (start and line[start - 1] == "\\"):
            closer = closers.popleft()
            spans.append((start, runs[closer][1]))
            index = closer + 1
        else:
            index += 1
    return spans


def _hide_inline(line: str, protected: Protected) -> str:
    """`line` with its code spans and attr_list attributes hidden."""
    code = _code_spans(line)
    starts = [start for start, _ in code]
    spans = list(code)
    for match in _ATTRIBUTES.finditer(line):  # outside the code spans only
        before = bisect.bisect_right(starts, match.start()) - 1
        inside = before >= 0 and code[before][1] > match.start()
        reaches = before + 1 < len(code) and code[before + 1][0] < match.end()
        if not inside and not reaches:
            spans.append(match.span())
    out, position = [], 0
    for start, end in sorted(spans):
        out.append(line[position:start] + protected.hide(line[start:end]))
        position = end
    return "".join(out) + line[position:]


def drop_metadata_comments(text: str) -> str:
    """Blank out HTML comments that hold model-index metadata, keeping the line count.

    One pass: each comment ends at the first `-->` after its `<!--`; once no `-->` follows an
    opener, no later opener has one either."""
    out, position = [], 0
    while (start := text.find("<!--", position)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        end += 3
        comment = text[start:end]
        out.append(text[position:start])
        out.append("\n" * comment.count("\n") if looks_like_model_index(comment[4:-3]) else comment)
        position = end
    return "".join(out) + text[position:]


_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}")
_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def without_raw_html(source: str) -> str:
    """A card's (code-protected) source with the raw HTML of its prose shown as text, and its
    Jinja tags left as they are (`{% if a < b %}` must still parse). The text of a `{% raw %}`
    block is prose: Jinja writes it out as it is.

    One pass: a tag ends at the first closer after its opener (Jinja's never ends sooner), and
    an opener without a closer makes the rest of the text prose."""
    out, position = [], 0
    while (opener := _JINJA.search(source, position)) is not None:
        end = source.find(_CLOSERS[opener.group()], opener.end())
        if end < 0:
            break
        out += [markdown.inert_html(source[position:opener.start()]), source[opener.start():end + 2]]
        position = end + 2
        if _RAW.fullmatch(source, opener.start(), position):
            endraw = _ENDRAW.search(source, position)
            if endraw is None:
                break
            out += [markdown.inert_html(source[position:endraw.start()]), endraw.group()]
            position = endraw.end()
    return "".join(out) + markdown.inert_html(source[position:])


def uses_jinja(text: str) -> bool:
    """Whether (code-protected) text holds Jinja syntax and so is rendered as a template."""
    return bool(_JINJA.search(text))


@dataclass
class Parts:
    """A rendered card cut where the generated sections go."""

    title: str  # the H1 line, or empty
    intro: str  # prose before the first second-level heading
    rest: str

    def restored(self, protected: Protected) -> Parts:
        """The parts with the code `protected` hid put back."""
        return Parts(protected.restore(self.title), protected.restore(self.intro), protected.restore(self.rest))


def split_parts(text: str) -> Parts:
    """Cut after the first `# ` heading and before the first `## ` heading outside fenced code.

    Run it on protected text: the card's own code is hidden then, and only code the templates
    wrote is left for the fence tracking."""
    lines = split_lines(text)
    title_at, h2_at = None, None
    fences = Fences()
    for i, line in enumerate(lines):
        if fences.feed(line):
            continue
        if title_at is None and h2_at is None and line.startswith("# "):
            title_at = i
        elif line.startswith("## "):
            h2_at = i
            break
    start = 0 if title_at is None else title_at + 1
    end = len(lines) if h2_at is None else h2_at
    return Parts("" if title_at is None else lines[title_at].rstrip("\n"),
                 "".join(lines[start:end]).strip("\n"), "".join(lines[end:]).strip("\n"))
