"""Current timm names for the snippets, so that a page never teaches a deprecated alias.

Rendering itself never imports timm. The mkdocs plugin with `cross_check: true` hands
`Site(names=...)` the names its validation run resolved (`Result.resolved`); `model-index render
--cross-check`, which measures nothing, calls `current_names`. The names come from the cross-check's resolver (Weights, then ID, then Name,
through timm's deprecated-name table, to the exact `arch.tag`), over its cached registry snapshot.
"""

from __future__ import annotations

from ..index import Entity, Index


def current_names(index: Index, cache_dir: str | None = None) -> dict[Entity, str]:
    """Model → current timm name (`arch.tag`) for every model timm knows, without measuring
    anything; empty when torch or timm is not installed."""
    from ..crosscheck import available, load_registry
    from ..crosscheck.cache import Cache
    from ..crosscheck.resolve import resolve

    if not available():
        return {}
    registry = load_registry(Cache(cache_dir))
    names = {}
    for model in index.models:
        full_name = resolve(model, registry).full_name
        if full_name:
            names[model] = full_name
    return names
