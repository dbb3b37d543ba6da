"""A bound on the FLOPs counts one file can ask for.

FLOPs are counted at a card's Image Size, and every distinct size costs a forward pass (and, for
a model whose input size is fixed, a build of its own). A file can declare any number of sizes,
so per architecture and file, FLOPs are counted at the sizes its pretrained configs give
(``input_size``, ``test_input_size``) and at no more than `OTHER_SIZES` other declared sizes, the
first ones in the order they are offered. The FLOPs of the models beyond that are not checked:
no finding either way, and one notice for the run."""

from __future__ import annotations

from .measure import Unit
from .registry import Registry

OTHER_SIZES = 2  # per architecture and file, beyond the sizes of its pretrained configs


class FlopsBudget:
    """Admits FLOPs units file by file; `units` are those to measure."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.units: set[Unit] = set()
        self.offered: set[Unit] = set()
        self._other_sizes: dict[tuple[str, str], set[int]] = {}  # (file, architecture) → sizes taken

    def offer(self, path: str, model_unit: Unit, unit: Unit) -> None:
        """Measure `unit`, the FLOPs unit of a model of the file at `path` whose `model_unit` is
        measured at its config's size, if the budget allows."""
        self.offered.add(unit)
        if unit.image_size == model_unit.image_size or unit.image_size in self._config_sizes(unit.full_name):
            self.units.add(unit)
            return
        taken = self._other_sizes.setdefault((path, unit.arch), set())
        if unit.image_size in taken or len(taken) < OTHER_SIZES:
            taken.add(unit.image_size)
            self.units.add(unit)

    def notice(self) -> str | None:
        """What the user should know about the units left unmeasured (None when there are none)."""
        left = self.offered - self.units
        if not left:
            return None
        return (f"FLOPs not checked at {len({u.image_size for u in left})} more image size(s) "
                f"({len(left)} model and size pair(s)): per architecture and file, FLOPs are counted at "
                f"the pretrained configs' sizes and at most {OTHER_SIZES} others")

    def _config_sizes(self, full_name: str) -> set[int]:
        cfg = self.registry.cfg(full_name)
        return {size[-1] for size in (cfg.get("input_size"), cfg.get("test_input_size"))
                if isinstance(size, list) and size}
