"""Which models the timm cross-check is for, and which names are close enough to suggest.

A model is checked against timm when something ties it to timm: what resolved it (a weights file
or hub id timm lists, a timm name; see `Resolution.tied`), or what the card claims (`claim`). A
`Code` link into timm's repository (or a copy of it) and the configuration saying the zoo is timm's
vouch for the card's names: a name timm does not know is then an error (unknown-model). A library
key saying timm does not: on the Hugging Face hub, `library_name: timm` says that the repository
loads with timm, also for a model another package registers, not that the name is one of timm's.
Such a model is checked when it resolves to a timm model, and otherwise left out like any other
zoo's model. Other zoos' models are not timm's, and not errors.
Without timm, only what the card says is known: `elsewhere` tells another library's model (the
site goes by it when no cross-check ran).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from ..rules.walk import edit_distance
from ..schema import url_of_code
from .registry import parse_url

TIMM_REPOSITORIES = ("huggingface/pytorch-image-models", "rwightman/pytorch-image-models")
TIMM_MODELS = "timm/models/"  # a link whose path holds this points into a copy of timm
LIBRARY_KEYS = {"library", "libraryname", "framework"}  # compared lower-case, letters only


@dataclass(frozen=True)
class Claim:
    """Why the card says a model is timm's (`reason`, for messages), and whether that vouches for
    its names (`names_timm`): then a name timm does not know is an error, not another zoo's model."""

    reason: str
    names_timm: bool


CODE_CLAIM = Claim("its Code links timm's repository", names_timm=True)
ZOO_CLAIM = Claim("the configuration says the zoo is timm's (cross-check = \"timm\")", names_timm=True)
LIBRARY_CLAIM = Claim("its library is timm", names_timm=False)


def claim(entity, collections: dict[str, Any], front_matter: dict[str, Any], timm_zoo: bool) -> Claim | None:
    """What the card (or the configuration, `timm_zoo`) says makes this model a timm model, or None.

    `collections` maps collection names to their entities (a collection's Code speaks for its
    models, also one of several that `In Collection` lists); `front_matter` maps file paths to their front matter (Hugging Face's
    ``library_name``). A Code link outweighs a library key."""
    if timm_zoo:
        return ZOO_CLAIM
    speakers = _speakers(entity, collections)
    codes = [url_of_code(owner.value(("Code",))) for owner in speakers]
    if any(url and links_timm(url) for url in codes):
        return CODE_CLAIM
    if any(_says_timm(mapping) for mapping in _library_mappings(entity, speakers, front_matter)):
        return LIBRARY_CLAIM
    return None


def is_timm(resolution, claimed: Claim | None) -> bool:
    """Whether the cross-check takes the model: what resolved it ties it to timm, the card's claim
    vouches for its names, or the card says its library is timm and it resolved to a timm model
    (by a weights file's name, say)."""
    if resolution.tied:
        return True
    return claimed is not None and (claimed.names_timm or resolution.full_name is not None)


def elsewhere(entity, collections: dict[str, Any], front_matter: dict[str, Any]) -> str | None:
    """Why the card says this model belongs to another library than timm (for messages), or None:
    a library key naming another library, or a Code link into another repository, where nothing
    (of the model, its collection or its front matter) says timm: a library key saying timm or a
    Code link into timm outweighs them. `collections` and `front_matter` as `owners` gives them."""
    speakers = _speakers(entity, collections)[:2]  # the model and the first collection it names
    links = [url for owner in speakers if (url := url_of_code(owner.value(("Code",))))]
    libraries = [name for mapping in _library_mappings(entity, speakers, front_matter) for name in _libraries(mapping)]
    if "timm" in libraries or any(links_timm(url) for url in links):
        return None
    if libraries:
        return f"its library is {libraries[0]}"
    parsed = [parse_url(url) for url in links]
    return "its Code links another repository" if any(p is not None and p.netloc for p in parsed) else None


def _speakers(entity, collections: dict[str, Any]) -> list:
    """The model, then each known collection its `In Collection` names (one or a list), in order."""
    named = entity.raw.get("In Collection") if isinstance(entity.raw, dict) else None
    return [entity, *(collections[name] for name in (named if isinstance(named, list) else [named])
                      if isinstance(name, str) and name in collections)]


def _library_mappings(entity, speakers: list, front_matter: dict[str, Any]) -> list:
    """Where a library key may stand: each speaker's own keys and Metadata, and the file's front matter."""
    return [*(mapping for owner in speakers for mapping in (owner.raw, owner.value(("Metadata",)))),
            front_matter.get(entity.path)]


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
