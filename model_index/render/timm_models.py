"""Which models a site offers timm code for, and the timm name the code uses for each.

With the cross-check (`Result.resolved` of the build's validation run): the models it resolved to
timm and did not doubt, under their current `arch.tag`, so that the site and `validate` never
disagree. A model it doubted (MI316 doubtful-resolution) or could not resolve keeps its card's name
and gets no timm code.

Without it, only what the cards say counts (nothing here imports timm): no model is timm's when
the configuration says `cross-check = "never"`; a file's scope (`cross-check = "timm"`, or its
`per-file-cross-check` entry) makes every model of it timm's, or none; otherwise every model is,
under its card's `ID` (or `Name`), except one the card ties to another library and not to timm
(`crosscheck.scope.elsewhere`: a library key such as `library_name: nemo`, a Code link into
another repository).
"""

from __future__ import annotations

from ..config import Config
from ..crosscheck import scope
from ..index import Entity, Index


def timm_names(index: Index, resolved: dict[Entity, str] | None = None,
               config: Config | None = None) -> dict[Entity, str]:
    """Model → the timm name of its code snippets, for every model of `index` the site offers timm
    code for. `resolved`: the cross-check's resolutions, None when no cross-check ran; `config`:
    the settings (`cross-check`)."""
    if resolved is not None:
        return dict(resolved)
    config = config or Config()
    if config.cross_check == "never":
        return {}
    collections, front_matter = scope.owners(index)
    names = {}
    for model in index.models:
        name = model.value(("Metadata", "ID")) or model.name
        zoo = config.cross_check_scope(model.path)
        if isinstance(name, str) and name and zoo != "never" and (
                zoo == "timm" or not scope.elsewhere(model, collections, front_matter)):
            names[model] = name
    return names
