"""Current timm names for the snippets, so that a page never teaches a deprecated alias.

Rendering itself never imports timm: callers that run the cross-check (the mkdocs plugin with
`cross_check: true`, `model-index render --cross-check`) call `current_names` and hand the result
to `Site(names=...)`. The names come from the cross-check's resolver (Weights, then ID, then Name,
through timm's deprecated-name table, to the exact `arch.tag`), over its cached registry snapshot.
"""

from __future__ import annotations

from ..index import Index


def current_names(index: Index, cache_dir: str | None = None) -> dict[str, str]:
    """Model name → current timm name (`arch.tag`) for every model timm knows; empty when torch or
    timm is not installed."""
    from ..crosscheck import available, load_registry
    from ..crosscheck.cache import Cache
    from ..crosscheck.resolve import resolve

    if not available():
        return {}
    registry = load_registry(Cache(cache_dir))
    names = {}
    for model in index.models:
        full_name = resolve(model, registry).full_name if model.name else None
        if full_name:
            names[model.name] = full_name
    return names
