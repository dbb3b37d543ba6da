"""Which models the timm cross-check is for, and which names are close enough to suggest.

A model is checked against timm when something ties it to timm: what resolved it (a weights file
or hub id timm lists, a timm name; see `Resolution.tied`), or what the card claims (`claim`): a
`Code` link into timm's repository or a copy of it, a library key saying timm, or the configuration
saying the whole zoo is timm's. Other zoos' models are not timm's, and not errors. Without timm, only
what the card says is known: `elsewhere` tells another library's model (the site goes by it when
no cross-check ran).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..rules.walk import edit_distance
from ..schema import url_of_code
from .registry import parse_url

TIMM_REPOSITORIES = ("huggingface/pytorch-image-models", "rwightman/pytorch-image-models")
TIMM_MODELS = "timm/models/"  # a link whose path holds this points into a copy of timm
LIBRARY_KEYS = {"library", "libraryname", "framework"}  # compared lower-case, letters only
ZOO_CLAIM = "the configuration says the zoo is timm's (cross-check = \"timm\")"


def claim(entity, collections: dict[str, Any], front_matter: dict[str, Any], timm_zoo: bool) -> str | None:
    """Why the card says this model is a timm model (for messages), or None when it does not.

    `collections` maps collection names to their entities (a collection's Code speaks for its
    models); `front_matter` maps file paths to their front matter (Hugging Face's
    ``library_name``)."""
    if timm_zoo:
        return ZOO_CLAIM
    collection = collections.get(entity.raw.get("In Collection")) if isinstance(entity.raw, dict) else None
    for owner in (entity, collection):
        if owner is None:
            continue
        url = url_of_code(owner.value(("Code",)))
        if url and links_timm(url):
            return "its Code links timm's repository"
        if _says_timm(owner.raw) or _says_timm(owner.value(("Metadata",))):
            return "its library is timm"
    if _says_timm(front_matter.get(entity.path)):
        return "its library is timm"
    return None


def elsewhere(entity, collections: dict[str, Any], front_matter: dict[str, Any]) -> str | None:
    """Why the card says this model belongs to another library than timm (for messages), or None:
    a library key naming another library, or a Code link into another repository, where nothing
    (of the model, its collection or its front matter) says timm: a library key saying timm or a
    Code link into timm outweighs them. `collections` and `front_matter` as `owners` gives them."""
    named = entity.raw.get("In Collection") if isinstance(entity.raw, dict) else None
    collection = next((collections[name] for name in (named if isinstance(named, list) else [named])
                       if isinstance(name, str) and name in collections), None)
    owners = [owner for owner in (entity, collection) if owner is not None]
    links = [url for owner in owners if (url := url_of_code(owner.value(("Code",))))]
    mappings = [mapping for owner in owners for mapping in (owner.raw, owner.value(("Metadata",)))]
    libraries = [name for mapping in [*mappings, front_matter.get(entity.path)] for name in _libraries(mapping)]
    if "timm" in libraries or any(links_timm(url) for url in links):
        return None
    if libraries:
        return f"its library is {libraries[0]}"
    parsed = [parse_url(url) for url in links]
    return "its Code links another repository" if any(p is not None and p.netloc for p in parsed) else None


def owners(index) -> tuple[dict[str, Any], dict[str, Any]]:
    """What `claim` and `elsewhere` read beside a model: the collections by name (a collection
    speaks for its models) and each file's Hugging Face front matter by path."""
    collections = {c.name: c for c in index.collections if c.name}
    front_matter = {b.path: b.tree.data for b in index.blocks
                    if b.tree is not None and isinstance(b.tree.data, dict) and "model-index" in b.tree.data}
    return collections, front_matter


def links_timm(url: str) -> bool:
    """A link into timm's GitHub repository, or into any copy of timm's source (`timm/models/`)."""
    parsed = parse_url(url)
    if parsed is None:  # not a URL at all (`http://[oops`): it links nowhere
        return False
    path = parsed.path.strip("/")
    in_repository = parsed.netloc.lower() in ("github.com", "www.github.com") and any(
        path.lower().startswith(repo + "/") or path.lower() == repo for repo in TIMM_REPOSITORIES)
    return in_repository or TIMM_MODELS in parsed.path


def _says_timm(mapping: Any) -> bool:
    """A key such as `Library`, `library_name` or `Framework` whose value is (or lists) timm."""
    return "timm" in _libraries(mapping)


def _libraries(mapping: Any) -> list[str]:
    """The libraries that keys such as `Library`, `library_name` or `Framework` name (lower-case)."""
    if not isinstance(mapping, dict):
        return []
    names = []
    for key, value in mapping.items():
        if re.sub(r"[^a-z]", "", str(key).lower()) in LIBRARY_KEYS:
            values = value if isinstance(value, list) else [value]
            names.extend(v.strip().lower() for v in values if isinstance(v, str) and v.strip())
    return names


def close_name(value: str, names: list[str]) -> str | None:
    """The timm architecture a mistyped name means, when one is close: the same name with other
    separators or case (``mobileone-s0`` → ``mobileone_s0``), the name without a prefix or suffix
    word (``gluon_xception65`` → ``xception65``), or one at most two letters away
    (``resnet19x`` → ``resnet18``). A name that only shares a stem is not close."""
    wanted = _normal(value.partition(".")[0])
    by_normal = {_normal(name): name for name in names}
    if wanted in by_normal:
        return by_normal[wanted]
    words = wanted.split("_")
    for shorter in ("_".join(words[1:]), "_".join(words[:-1])):
        if len(words) > 1 and shorter in by_normal and len(shorter) >= 4:
            return by_normal[shorter]
    similar = difflib.get_close_matches(wanted, list(by_normal), n=10, cutoff=0.6)  # most similar first
    near = [(edit_distance(wanted, n), rank, n) for rank, n in enumerate(similar)]
    near = [entry for entry in near if entry[0] <= 2 < len(wanted) - entry[0]]
    return by_normal[min(near)[2]] if near else None


def _normal(name: str) -> str:
    return re.sub(r"[-\s]+", "_", name.strip().lower())
