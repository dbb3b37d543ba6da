"""Card text surgery that keeps line numbers: front matter, code that Jinja must not touch, the
hidden metadata comment, and the split into title, introduction and the rest."""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from typing import Callable

from ..escape import markdown
from ..extract import Fences, front_matter_end, looks_like_model_index, may_be_fence, split_lines

# Hidden from Jinja on lines outside fenced code: inline code spans (`_code_spans`), and attr_list
# attributes (`## Usage {#usage}`, `{.class}`, `{: ...}`), whose `{#` would open a Jinja comment.
# No match of `_ATTRIBUTES` can cross a brace, so finding them all is one pass over the line.
_ATTRIBUTES = re.compile(r"\{(?::[^{}\n]*|[#.][A-Za-z0-9_][^{}\n]*(?<!#))\}")
_BACKTICKS = re.compile("`+")
_JINJA = re.compile(r"\{[{%#]")
_JINJA_TAG = re.compile(r"\{[{%]")
_MARK = re.compile(r"\x00(\d+)\n*\x00")
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[^\n]*\n?", re.M)  # a line that may open or close a fence
# A line that may hold code to hide or attributes: without a brace, `<`, `&` or NUL, there is no
# Jinja, raw HTML or marker in it to keep away from its code spans.
_INLINE_LINE = re.compile("^[^\n{}<&\x00]*[{}<&\x00][^\n]*\n?", re.M)
_PART_LINE = re.compile(r"^(?:#{1,2} | {0,3}[`~])[^\n]*\n?", re.M)  # a heading, or a line that may be a fence
_READ_IN_CODE = re.compile("[{}<&\x00]")  # what Jinja, the raw-HTML pass or `Protected.restore` reads
_CLOCK_EVERY = 4096  # backtick runs between two looks at the clock


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

    def hide_lines(self, chunk: str) -> str:
        """A marker for whole lines; their last line break stays outside, so the text after the
        marker still starts a line."""
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


def protect_code(text: str, clock: Callable[[], None] = lambda: None) -> Protected:
    """Hide fenced code blocks, inline code spans and attr_list attributes, so that `{{` in an
    example or `{#id}` after a heading is never Jinja. `clock` is called as the work goes on, to
    stop it by raising.

    Only the lines that may open or close a fence, and the prose lines that hold a brace, `<`, `&`
    or NUL, are looked at one by one; the rest is copied as it is."""
    protected = Protected(text)
    out: list[str] = []
    fences = Fences()
    position = 0  # text before it is written
    for match in _FENCE_LINE.finditer(text):
        clock()
        start, end = match.span()
        if not fences.open:
            out.append(_hide_prose(text[position:start], protected, clock))
            position = start
        if fences.feed(match.group()) and not fences.open:  # the closing fence: the block ends
            out.append(protected.hide_lines(text[position:end]))
            position = end
    if fences.open:  # an unclosed fence runs to the end of the file, as in Markdown
        out.append(protected.hide_lines(text[position:]))
    else:
        out.append(_hide_prose(text[position:], protected, clock))
    protected.text = "".join(out)
    return protected


def _hide_prose(prose: str, protected: Protected, clock: Callable[[], None]) -> str:
    """Prose lines with their code spans and attr_list attributes hidden."""
    out, position = [], 0
    for match in _INLINE_LINE.finditer(prose):
        clock()
        out += [prose[position:match.start()], _hide_inline(match.group(), protected, clock)]
        position = match.end()
    return "".join(out) + prose[position:]


def _code_spans(line: str, clock: Callable[[], None]) -> list[tuple[int, int]]:
    """The code spans of one line, left to right: a run of backticks (not after a backslash) opens
    one that the next run of exactly as many backticks closes; an opener without a closer is text.

    One pass: the runs of each length wait in a queue, and every run leaves its queue once. The
    runs are kept in arrays of machine integers: a line may hold millions."""
    starts, ends = array("q"), array("q")
    later: dict[int, array] = {}  # length → indexes of the runs of that length, in order
    for index, match in enumerate(_BACKTICKS.finditer(line)):
        if not index % _CLOCK_EVERY:
            clock()
        start, end = match.span()
        starts.append(start)
        ends.append(end)
        if end - start not in later:
            later[end - start] = array("q")
        later[end - start].append(index)
    waiting = dict.fromkeys(later, 0)  # length → position of its first run not yet passed
    spans, index = [], 0
    while index < len(starts):
        if not index % _CLOCK_EVERY:
            clock()
        start, length = starts[index], ends[index] - starts[index]
        closers, first = later[length], waiting[length]
        while first < len(closers) and closers[first] <= index:
            first += 1
        if first < len(closers) and not (start and line[start - 1] == "\\"):
            closer = closers[first]
            waiting[length] = first + 1
            spans.append((start, ends[closer]))
            index = closer + 1
        else:
            waiting[length] = first
            index += 1
    return spans


def _hide_inline(line: str, protected: Protected, clock: Callable[[], None]) -> str:
    """`line` with its code spans and attr_list attributes hidden. A code span is hidden only when
    it holds what the template or the raw-HTML pass would read (a brace, `<`, `&`, a NUL): any other is
    left as it is, so that a line of a million spans costs no million markers."""
    code = _code_spans(line, clock)
    starts = [start for start, _ in code]
    spans = [(start, end) for start, end in code if _READ_IN_CODE.search(line, start, end)]
    tags = _jinja_tags(line)
    tag_starts = [start for start, _ in tags]
    for match in _ATTRIBUTES.finditer(line):  # outside the code spans and the Jinja tags only
        before = bisect.bisect_right(starts, match.start()) - 1
        inside = before >= 0 and code[before][1] > match.start()
        reaches = before + 1 < len(code) and code[before + 1][0] < match.end()
        tag = bisect.bisect_right(tag_starts, match.start()) - 1
        in_tag = tag >= 0 and tags[tag][1] > match.start()
        if not inside and not reaches and not in_tag:
            spans.append(match.span())
    out, position = [], 0
    for start, end in sorted(spans):
        out.append(line[position:start] + protected.hide(line[start:end]))
        position = end
    return "".join(out) + line[position:]


def _jinja_tags(line: str) -> list[tuple[int, int]]:
    """The `{{ }}` and `{% %}` tags of one line, left to right. One pass: a tag ends at the first
    closer after its opener, and an opener without a closer ends the search."""
    tags, position = [], 0
    while (opener := _JINJA_TAG.search(line, position)) is not None:
        end = line.find(_CLOSERS[opener.group()], opener.end())
        if end < 0:
            break
        tags.append((opener.start(), end + 2))
        position = end + 2
    return tags


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
    wrote is left for the fence tracking. Only the lines that start a heading or may be a fence
    are looked at."""
    title, title_end, h2_at = None, 0, len(text)
    fences = Fences()
    for match in _PART_LINE.finditer(text):
        line = match.group()
        if may_be_fence(line):
            fences.feed(line)
        elif fences.open:
            continue
        elif title is None and line.startswith("# "):
            title, title_end = line.rstrip("\n"), match.end()
        elif line.startswith("## "):
            h2_at = match.start()
            break
    return Parts(title or "", text[title_end:h2_at].strip("\n"), text[h2_at:].strip("\n"))
