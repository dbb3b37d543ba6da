"""Card text surgery that keeps line numbers: front matter, code that Jinja must not touch, the
hidden metadata comment, and the split into title, introduction and the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extract import looks_like_model_index

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_JINJA = re.compile(r"\{[{%#]")
_MARK = "\x00{}\x00"


@dataclass
class Protected:
    """Text with its code replaced by markers of the same line count, and the code to put back."""

    text: str
    chunks: list[str] = field(default_factory=list)

    def hide(self, chunk: str) -> str:
        self.chunks.append(chunk)
        return _MARK.format(len(self.chunks) - 1) + "\n" * chunk.count("\n")

    def restore(self, text: str) -> str:
        for i, chunk in enumerate(self.chunks):
            text = text.replace(_MARK.format(i) + "\n" * chunk.count("\n"), chunk)
        return text


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter including its `---` lines, body); mkdocs reads the front matter itself."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return "".join(lines[: i + 1]), "".join(lines[i + 1:])
    return "", text


def protect_code(text: str) -> Protected:
    """Hide fenced code blocks and inline code spans, so `{{` in an example is never Jinja."""
    protected = Protected(text)
    out: list[str] = []
    block: list[str] = []
    fence = None
    for line in text.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence, block = opener.group(1), [line]
        elif fence is not None:
            block.append(line)
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                out.append(protected.hide("".join(block)))
                fence = None
        else:
            out.append(_INLINE_CODE.sub(lambda m: protected.hide(m.group(0)), line))
    if fence is not None:  # an unclosed fence runs to the end of the file, as in Markdown
        out.append(protected.hide("".join(block)))
    protected.text = "".join(out)
    return protected


def drop_metadata_comments(text: str) -> str:
    """Blank out HTML comments that hold model-index metadata, keeping the line count."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n") if looks_like_model_index(m.group(1))
                        else m.group(0), text)


def uses_jinja(text: str) -> bool:
    """Whether (code-protected) text holds Jinja syntax and so is rendered as a template."""
    return bool(_JINJA.search(text))


@dataclass
class Parts:
    """A rendered card cut where the generated sections go."""

    title: str  # the H1 line, or empty
    intro: str  # prose before the first second-level heading
    rest: str


def split_parts(text: str) -> Parts:
    """Cut after the first `# ` heading and before the first `## ` heading outside code fences."""
    lines = text.splitlines(keepends=True)
    title_at, h2_at, fence = None, None, None
    for i, line in enumerate(lines):
        opener = _FENCE.match(line)
        if opener and (fence is None or opener.group(1)[0] == fence[0] and not line.strip().strip(fence[0])):
            fence = opener.group(1) if fence is None else None
            continue
        if fence is not None:
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
