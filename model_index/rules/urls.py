"""MI206-MI209: links in cards: malformed, doubled slashes, plain http, misspelt hosts."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple
from urllib.parse import SplitResult, urlsplit

from ..diagnostics import Finding
from . import once, rule, walk

if TYPE_CHECKING:
    from ..index import Index

# Keys whose string value is always a link, and keys whose value is a link when it looks like one
# (README and Config are often paths in the repository; Paper may be a title).
URL_KEYS = frozenset({"Code", "Weights", "URL", "Website", "Repository"})
MAYBE_URL_KEYS = frozenset({"Config", "README", "Image", "Docs", "Paper"})
_LOOKS_LIKE_URL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|www\.)", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$", re.I)
_SPACE = re.compile(r"\s")  # what str.isspace() calls a blank
# Hosts that model cards link to; a host one or two letters away from one of them is a typo.
KNOWN_HOSTS = ("arxiv.org", "paperswithcode.com", "github.com", "raw.githubusercontent.com",
               "huggingface.co", "download.pytorch.org", "pytorch.org", "openreview.net",
               "storage.googleapis.com", "dl.fbaipublicfiles.com", "doi.org")


@rule("MI206", "invalid-url", "error")
def invalid_url(index: Index) -> Iterator[Finding]:
    """A link that is not an absolute URL of the form `scheme://host/path`.

    Checked in `Code`, `Weights`, `Paper.URL` and the Library's `Website` and `Repository`, and in
    `Config`, `README`, `Image`, `Docs` and a string `Paper` when they look like a link (they may
    also be paths or titles).

    Example: `Code: github.com/rwightman/pytorch-image-models` (no scheme), `URL: https:/arxiv.org`.
    """
    for link in _links(index):
        if link.parts is None:
            yield Finding("MI206", f"invalid URL '{link.url}'", actual=link.url, **link.where)


@rule("MI207", "url-double-slash", "warning", fixable=True)
def url_double_slash(index: Index) -> Iterator[Finding]:
    """A doubled `//` in the path of a link; some servers answer it with 404, others redirect.

    The fix collapses the slashes (query and fragment are left alone).

    Example: `https://paperswithcode.com//paper/x` → `https://paperswithcode.com/paper/x`.
    """
    for link in _links(index):
        if link.parts is not None:
            url = link.url
            fixed = _collapse_slashes(url, link.parts)
            if fixed != url:
                yield Finding("MI207", "doubled '/' in the URL's path", expected=fixed, actual=url,
                              replacement=fixed, fix_description="remove the doubled slash", **link.where)


@rule("MI208", "insecure-url", "warning", fixable=True)
def insecure_url(index: Index) -> Iterator[Finding]:
    """A link with `http://` where `https://` should be used.

    The fix changes the scheme to https; check that the host serves it.

    Example: `http://arxiv.org/abs/1912.11370` → `https://arxiv.org/abs/1912.11370`.
    """
    for link in _links(index):
        url = link.url
        if link.parts is not None and url[:7].lower() == "http://":
            fixed = "https://" + url[len("http://"):]
            yield Finding("MI208", "link uses http instead of https", expected=fixed, actual=url,
                          replacement=fixed, fix_description="use https", **link.where)


@rule("MI209", "misspelt-host", "warning", fixable=True)
def misspelt_host(index: Index) -> Iterator[Finding]:
    """A link whose host is a letter or two away from a host model cards commonly link to.

    Such a link looks right at a glance and fails when followed. The hosts compared with are
    arxiv.org, paperswithcode.com, github.com, raw.githubusercontent.com, huggingface.co,
    (download.)pytorch.org, openreview.net, storage.googleapis.com, dl.fbaipublicfiles.com and
    doi.org. Hosts shorter than 12 characters may differ by one letter, longer ones by two. The fix
    writes the known host.

    Example: `https://papperswithcode.com/paper/x` → `https://paperswithcode.com/paper/x`.
    """
    for link in _links(index):
        if link.parts is None:
            continue
        url, host = link.url, link.host
        bare = host.removeprefix("www.")
        known = _known_host_near(bare)
        if known:
            start = url.lower().index(bare)
            fixed = url[:start] + known + url[start + len(bare):]
            yield Finding("MI209", f"host '{host}' looks misspelt", expected=fixed, actual=url,
                          replacement=fixed, fix_description=f"write {known}", suggestion=known, **link.where)


@functools.lru_cache(maxsize=1024)
def _known_host_near(host: str) -> str | None:
    """The known host `host` is one or two edits away from, if any (a card links few hosts)."""
    if host in KNOWN_HOSTS:
        return None
    for known in KNOWN_HOSTS:
        allowed = 1 if len(known) < 12 else 2  # gitlab.com and github.io are real, not typos
        if abs(len(known) - len(host)) <= allowed and walk.edit_distance(host, known) <= allowed:
            return known
    return None


class Link(NamedTuple):
    """A link of a card, as the four link rules read it."""

    where: dict[str, Any]  # a Finding's location keywords
    url: str
    parts: SplitResult | None  # None: not a valid URL (see `_valid_parts`)
    host: str  # the parts' host name, lower case ('' without one)


@once
def _links(index: Index) -> list[Link]:
    """Every link of the run, each split once for the four rules."""
    links = []
    for where, url in _urls(index):
        parts = _valid_parts(url)
        links.append(Link(where, url, parts, (parts.hostname or "") if parts is not None else ""))
    return links


def _urls(index: Index) -> Iterator[tuple[dict[str, Any], str]]:
    """(where, url) of every link: `where` holds a Finding's location keywords."""
    for entity in index.entities:
        for at, _node, mapping in walk.mappings(entity):
            for key, value in mapping.items():
                if _is_link(key, value):
                    yield {"entity": entity, "at": at + (key,)}, value
    for block in index.blocks:
        data = block.tree.data if block.tree else None
        library = data.get("Library") if isinstance(data, dict) else None
        for key, value in library.items() if isinstance(library, dict) else ():
            if _is_link(key, value):
                yield {"file": block.path, "span": block.tree.span(("Library", key))}, value


def _is_link(key: str, value: Any) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    return key in URL_KEYS or key in MAYBE_URL_KEYS and bool(_LOOKS_LIKE_URL.match(value))


def _valid_parts(url: str) -> SplitResult | None:
    """The parts of `url` when it is valid: `scheme://host/...` with a host that has a dot (or is
    localhost), and no whitespace."""
    if _SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    valid = bool(_SCHEME.match(parts.scheme)) and url[len(parts.scheme):].startswith("://") \
        and ("." in host.strip(".") or host == "localhost")
    return parts if valid else None


def _collapse_slashes(url: str, parts: SplitResult) -> str:
    """`url` (a valid one, split into `parts`) with runs of `/` in its path made single."""
    start = len(parts.scheme) + len("://") + len(parts.netloc)
    end = start + len(parts.path)
    path = url[start:end]
    return url[:start] + re.sub(r"/{2,}", "/", path) + url[end:] if "//" in path else url
