"""Find model-index blocks in files: HTML comments and front matter in Markdown, whole YAML/JSON
files. Each block keeps where its text starts in the file, so every node's line is the file's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import yamltree
from .diagnostics import Span
from .shape import canonical_key_in
from .yamltree import Problem, Tree

MARKDOWN_SUFFIXES = {".md", ".markdown"}
DATA_SUFFIXES = {".yml", ".yaml", ".json"}
MAX_BLOCK_CHARS = 1024 * 1024  # one YAML block (real ones: < 20,000); 1 MiB parses in about a second

# A top-level key that makes YAML model-index metadata (PwC's format is case-insensitive).
# In JSON the key is quoted and may be indented or follow a brace.
# YAML may indent a whole block uniformly, so leading blanks are allowed.
_MI_KEY = re.compile(r"^[ \t]*(models|collections|import)\s*:|\"(models|collections|import)\"\s*:"
                     r"|^[ \t]*type\s*:\s*['\"]?model-index", re.I | re.M)
_HF_KEY = re.compile(r"^model-index\s*:", re.M)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def split_lines(text: str) -> list[str]:
    """Lines as editors count them, each keeping its end: only "\n" ends a line (`str.splitlines`
    also splits on \\f, \\x85, \\u2028..., which would shift every line number after one)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opening `lines`, or None without one."""
    if lines and lines[0].rstrip() == "---":
        return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    return None


def may_be_fence(line: str) -> bool:
    """Whether `line` may open or close a fenced block; `Fences` needs to be fed only such lines."""
    return line[:4].lstrip(" ")[:1] in ("`", "~")


class Fences:
    """Fenced code blocks, fed line by line: a block opens on three or more backticks or tildes and
    closes on a line of only the same character, at least as many (CommonMark); an unclosed block
    runs to the end of the text."""

    def __init__(self) -> None:
        self.fence: str | None = None  # the open fence's characters

    @property
    def open(self) -> bool:
        """Whether the lines fed so far end inside a fenced block."""
        return self.fence is not None

    def feed(self, line: str) -> bool:
        """Whether `line`, the next line of the text, belongs to a fenced block (its fences included)."""
        opener = _FENCE.match(line)
        if self.fence is None:
            if opener:
                self.fence = opener.group(1)
            return opener is not None
        if opener and opener.group(1)[0] == self.fence[0] and len(opener.group(1)) >= len(self.fence) \
                and not line.strip().strip(self.fence[0]):
            self.fence = None
        return True


@dataclass
class Block:
    """One YAML document of model-index metadata inside a file."""

    path: str
    kind: str  # "comment", "front-matter" or "file"
    line: int  # 1-based line of the file where the YAML text starts
    tree: Tree | None
    problems: list[Problem] = field(default_factory=list)
    text: str = ""  # the YAML text, for what the tree does not keep (comments)
    column: int = 0  # 0-based column of the file where the text's first line starts


def looks_like_model_index(text: str) -> bool:
    """Whether YAML text has a top-level key that only model-index metadata uses."""
    return bool(_MI_KEY.search(text))


def load_block(path: str, kind: str, text: str, line_offset: int, column_offset: int = 0) -> Block:
    """Load one block's YAML with file positions; a block longer than MAX_BLOCK_CHARS is not parsed
    (parsing builds every node before the node limit can apply)."""
    if len(text) > MAX_BLOCK_CHARS:
        span = Span.point(line_offset + 1, column_offset + 1)
        return Block(path, kind, line_offset + 1, None, [Problem(
            "MI004", span, f"metadata block of {len(text):,} characters is longer than {MAX_BLOCK_CHARS:,}; "
                           "not parsed")])
    tree, problems = yamltree.load(text, line_offset, column_offset, canon=canonical_key_in)
    return Block(path, kind, line_offset + 1, tree, problems, text, column_offset)


def holds_hub_models(tree: Tree) -> bool:
    """Whether front matter's `models` key is the Hugging Face Hub's (the model repos a Space or a
    dataset card names), not Papers with Code's `Models`: written `models` in lower case, as the
    Hub writes its keys, and holding a repo id, a list of them (strings only) or nothing, where a
    Papers with Code `Models` holds mappings."""
    data = tree.data
    if not isinstance(data, dict) or tree.written.get(("Models",)) != "models":
        return False
    value = data["Models"]
    return value is None or isinstance(value, str) or isinstance(value, list) and all(isinstance(v, str) for v in value)


def _only_hub_keys(block: Block) -> bool:
    """Whether front matter holds no model-index metadata once the Hub's own `models` key is set
    aside: no `model-index`, `Collections`, `Import` or `Type: model-index` beside it."""
    tree = block.tree
    if tree is None or block.problems or not holds_hub_models(tree):
        return False
    others = {key: value for key, value in tree.data.items() if key != "Models"}
    return "model-index" not in others and "Collections" not in others and "Import" not in others \
        and not (isinstance(others.get("Type"), str) and others["Type"].strip().lower() == "model-index")


def blocks_in_markdown(path: str, text: str) -> list[Block]:
    """Model-index blocks of a Markdown card: front matter and HTML comments outside code fences."""
    blocks: list[Block] = []
    lines = split_lines(text)
    body_start = 0
    end = front_matter_end(lines)
    if end is not None:
        front = "".join(lines[1:end])
        if _HF_KEY.search(front) or looks_like_model_index(front):
            block = load_block(path, "front-matter", front, 1)
            if not _only_hub_keys(block):
                blocks.append(block)
        body_start = end + 1
    blocks.extend(_comment_blocks(path, lines, body_start))
    return blocks


def _comment_blocks(path: str, lines: list[str], start: int) -> list[Block]:
    """Blocks in HTML comments, in one pass: every character of the text is looked at a bounded
    number of times, however many `<!--` or backticks a line holds."""
    blocks: list[Block] = []
    fences = Fences()
    i, column = start, 0  # where to look next
    ticks = _Backticks()
    while i < len(lines):
        line = lines[i]
        if column == 0:  # column > 0 only after a comment closed on this line
            if may_be_fence(line):
                if fences.feed(line):
                    i += 1
                    continue
            elif fences.open or "<!--" not in line:  # the common line, looked at once
                i += 1
                continue
            ticks = _Backticks()
        found = line.find("<!--", column)
        if found < 0:
            i, column = i + 1, 0
            continue
        if ticks.odd_before(line, found):  # inside an inline code span: example text
            column = found + 4
            continue
        first = i
        column = _skip_blanks(line, found + 4)
        closing = line.find("-->", column)
        while closing < 0 and i + 1 < len(lines):
            i += 1
            closing = lines[i].find("-->")
        if closing < 0:
            rest = lines[first][column:] + "".join(lines[first + 1:])
            if looks_like_model_index(rest):
                span = Span(first + 1, found + 1, first + 1, found + 5)
                blocks.append(Block(path, "comment", first + 1, None, [
                    Problem("MI006", span, "unterminated HTML comment: '<!--' has no closing '-->'")]))
            break
        if i == first:
            content = line[column:closing]
        else:
            content = lines[first][column:] + "".join(lines[first + 1:i]) + lines[i][:closing]
            ticks = _Backticks()
        if looks_like_model_index(content):
            blocks.append(load_block(path, "comment", content, first, column))
        column = closing + 3  # text after '-->' may open another comment
    return blocks


class _Backticks:
    """The parity of the backticks of one line before a column, counted once as the column grows."""

    def __init__(self) -> None:
        self.counted = 0  # columns counted so far
        self.odd = False

    def odd_before(self, line: str, column: int) -> bool:
        """Whether an odd number of backticks precede `column` of `line` (columns only grow)."""
        if column > self.counted:
            self.odd ^= line.count("`", self.counted, column) % 2 == 1
            self.counted = column
        return self.odd


def _skip_blanks(line: str, column: int) -> int:
    """The first column at or after `column` that is not a space or a tab."""
    while column < len(line) and line[column] in " \t":
        column += 1
    return column


def blocks_in_data_file(path: str, text: str) -> list[Block]:
    """A whole .yml/.yaml/.json file is one block."""
    return [load_block(path, "file", text, 0)]

