"""Current timm names for the snippets, so that a page never teaches a deprecated alias.

Rendering itself never imports timm. The mkdocs plugin with `cross_check: true` hands
`Site(names=...)` the names its validation run resolved (`Result.resolved`); `model-index render
--cross-check`, which measures nothing, calls `current_names`. The names come from the
cross-check's resolver (Weights, then ID, then Name, through timm's deprecated-name table, to the
exact `arch.tag`), over its cached registry snapshot, for the models something ties to timm; the
others get no timm snippet. Without measuring, a resolution the card's numbers contradict is not
doubted here (the validation run reports it).
"""

from __future__ import annotations

from ..index import Entity, Index


def current_names(index: Index, cache_dir: str | None = None) -> dict[Entity, str] | None:
    """Model → current timm name (`arch.tag`) for every timm model, without measuring anything;
    None when torch or timm is not installed (which models are timm's is then unknown)."""
    from ..crosscheck import available, load_registry, resolve_timm_models
    from ..crosscheck.cache import Cache

    if not available():
        return None
    registry = load_registry(Cache(cache_dir))
    return {model: resolution.full_name for model, resolution, is_timm in resolve_timm_models(index, registry)
            if is_timm and resolution.full_name}
