"""`model-index new`: a card for timm models, every fact in it from what timm knows.

Names are exact tags (``resnet50.a1_in1k``) or architectures, which stand for all of their
pretrained tags. Each tag becomes a model of one collection: Name and ID are the current
``arch.tag``; Parameters, FLOPs and File Size are what the cross-check measures (`measure_all`,
cached, FLOPs at the configuration's input size); Image Size, Crop Pct and Interpolation come from
the tag's pretrained configuration (Image Size only for a square input: a height × width input is
stated in the card's text, as Image Size holds one number, the side of a square); the
Weights are its Hugging Face hub repository, else its download URL; the Code links the installed
timm release's definition; the paper and the license come from the configuration where it has
them; Top 1 and Top 5 Accuracy come from a results CSV when one is given. The prose is a human's
to write: the card has its headings, each with a short prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yaml_text

ARXIV = "arXiv:"
TASK, DATASET = "Image Classification", "ImageNet"  # what a timm results CSV measures
RESULT_METRICS = {"top1": "Top 1 Accuracy", "top5": "Top 5 Accuracy"}
SAFETENSORS, TORCH_SAVE = "safetensors", "zip"  # checkpoint containers, as `checkpoint.Candidate` names them


class UnknownModel(ValueError):
    """A name that stands for no pretrained timm weights (the message says why)."""


@dataclass
class NewCard:
    """A written card and what the author should know about it (tags without results, ...)."""

    text: str
    notes: list[str] = field(default_factory=list)


# Characters a family name may not hold: the name is written into the card's Markdown (a heading
# and prose, which the site renders as a Jinja template) and its HTML comment, where these would
# be markup, a template tag or the comment's end, not text.
FAMILY_REFUSED = frozenset("{}<>[]`*\\|&~#")


def family_problem(family: str) -> str | None:
    """Why `family` cannot name a card's collection, or None when it can: it must be one line of
    text without characters that Markdown, HTML or Jinja give a meaning (`FAMILY_REFUSED`)."""
    if not family.strip() or any(not c.isprintable() for c in family):
        return "--family must be one line of printable text"
    refused = sorted(set(family) & FAMILY_REFUSED)
    if refused:
        return (f"--family may not hold {' '.join(refused)}: the name is written into the card's Markdown, "
                "HTML comment and template, where they are markup")
    return None


def expand(names: list[str], registry) -> list[str]:
    """The pretrained ``arch.tag`` names that `names` stand for, in order and once each."""
    from ..crosscheck.scope import close_name

    published = set(registry.pretrained)
    found: list[str] = []
    for name in names:
        current = name.strip()
        if current in registry.deprecated:  # timm's alias table has wrong entries: the author must choose
            target = registry.deprecated[current]
            raise UnknownModel(f"{name} is a deprecated timm name; timm {registry.timm_version} maps it to {target}: "
                               "give that name if it is the model you mean" if target else
                               f"{name} was removed from timm {registry.timm_version}")
        arch, dot, _ = current.partition(".")
        if arch not in registry.default_tags:
            hint = close_name(current, registry.architectures)
            raise UnknownModel(f"{name} is not a timm model" + (f" (did you mean '{hint}'?)" if hint else ""))
        tags = [current] if dot else _tags_of(arch, registry)
        if not tags:
            raise UnknownModel(f"{name} has no pretrained weights in timm {registry.timm_version}")
        for full_name in tags:
            if full_name not in published:
                raise UnknownModel(f"{name} names no pretrained weights in timm {registry.timm_version} "
                                   f"(its pretrained tags: {', '.join(_tags_of(arch, registry)) or 'none'})")
            if full_name not in found:
                found.append(full_name)
    return found


def _tags_of(arch: str, registry) -> list[str]:
    return [full for full in registry.pretrained if full.partition(".")[0] == arch]


def default_family(full_names: list[str], registry) -> str | None:
    """The collection's name when none is given: the one architecture, else the one timm module
    (``resnet`` for timm/models/resnet.py) they all come from; None when they share neither."""
    archs = {full.partition(".")[0] for full in full_names}
    if len(archs) == 1:
        return archs.pop()
    modules = {Path(registry.sources.get(arch, "")).stem for arch in archs}
    return modules.pop() if len(modules) == 1 and "" not in modules else None


def units(full_name: str, registry) -> tuple[Any, Any]:
    """The cross-check's model and FLOPs units of a tag, both at its configuration's input size
    (the units the cross-check measures for a card without Image Size, or with the square's)."""
    from ..crosscheck import config_units

    return config_units(full_name, registry)


def input_size(cfg: dict[str, Any]) -> tuple[int, int]:
    """(height, width) of the configuration's input size."""
    size = cfg.get("input_size")
    return (int(size[-2]), int(size[-1])) if size and len(size) >= 2 else (224, 224)


def container(cfg: dict[str, Any]) -> str | None:
    """Which checkpoint file the card's File Size is the size of: the ``model.safetensors`` timm
    publishes in its own hub repositories, a ``torch.save`` file for weights downloaded from a URL,
    and None when the file is another project's (a hub repository of another organisation, or a
    file named in the configuration), whose content the state dict does not tell."""
    hub = (cfg.get("hf_hub_id") or "").strip("/")
    if hub:
        return SAFETENSORS if hub.startswith("timm/") and not cfg.get("hf_hub_filename") else None
    return TORCH_SAVE if cfg.get("url") else None


def weights(cfg: dict[str, Any]) -> str | None:
    """The tag's weights: its Hugging Face hub repository, else its download URL."""
    hub = (cfg.get("hf_hub_id") or "").strip("/")
    if hub:
        return f"https://huggingface.co/{hub}"
    return cfg.get("url") or None


def paper(cfg: dict[str, Any]) -> dict[str, str] | None:
    """The paper of the configuration's first arXiv id (and its `paper_name` as the title)."""
    ids = [part.strip() for part in str(cfg.get("paper_ids") or "").split(",")]
    arxiv = next((i[len(ARXIV):].strip() for i in ids if i.lower().startswith(ARXIV.lower())), None)
    if not arxiv:
        return None
    title = cfg.get("paper_name")
    return {**({"Title": title} if title else {}), "URL": f"https://arxiv.org/abs/{arxiv}"}


def results_row_name(full_name: str, table, registry) -> str | None:
    """The name of the results CSV's row (`table`, a `results.Table`) for exactly these weights: the
    row named ``arch.tag``, or one named by a deprecated name that timm maps to exactly this tag. A
    bare architecture's row is not used: which weights it measured depends on the timm release
    that wrote it."""
    if full_name in table.rows:
        return full_name
    return next((old for old, new in registry.deprecated.items() if new == full_name and old in table.rows), None)


def model_entry(full_name: str, family: str, registry, facts: dict[str, Any] | None, flops: int | None,
                row: dict[str, float] | None) -> dict[str, Any]:
    """One model of the card, as its YAML mapping."""
    from ..crosscheck import checkpoint
    from ..crosscheck.checks import code_link

    cfg = registry.cfg(full_name)
    metadata: dict[str, Any] = {}
    if flops is not None:
        metadata["FLOPs"] = flops
    if facts is not None:
        metadata["Parameters"] = facts["parameters"]
        kind = container(cfg)
        if kind is not None:
            metadata["File Size"] = next(c.size for c in checkpoint.candidates(facts)
                                         if c.container == kind and c.precision == "fp32")
    metadata["ID"] = full_name
    if cfg.get("crop_pct") is not None:
        metadata["Crop Pct"] = cfg["crop_pct"]
    height, width = input_size(cfg)
    if height == width:  # Image Size is a square's side: a height × width input is said in the text
        metadata["Image Size"] = width
    if cfg.get("interpolation"):
        metadata["Interpolation"] = cfg["interpolation"]
    entry: dict[str, Any] = {"Name": full_name, "In Collection": family, "Metadata": metadata}
    arch = full_name.partition(".")[0]
    if arch in registry.sources:
        entry["Code"] = code_link("", registry, arch)
    if weights(cfg):
        entry["Weights"] = weights(cfg)
    metrics = {label: row[column] for column, label in RESULT_METRICS.items() if row and column in row}
    if metrics:
        entry["Results"] = [{"Task": TASK, "Dataset": DATASET, "Metrics": metrics}]
    return entry


def metadata_block(family: str, entries: list[dict[str, Any]], papers: dict[str, dict | None]) -> dict[str, Any]:
    """The card's model-index data: one collection (with the paper when all models share one) and
    the models (each with its own paper otherwise)."""
    collection: dict[str, Any] = {"Name": family}
    shared = {repr(p) for p in papers.values()}
    if len(shared) == 1 and next(iter(papers.values())) is not None:
        collection["Paper"] = next(iter(papers.values()))
    else:
        for entry in entries:
            if papers.get(entry["Name"]):
                entry["Paper"] = papers[entry["Name"]]
    return {"Type": "model-index", "Collections": [collection], "Models": entries}


def prose(family: str, registry, full_names: list[str], entries: list[dict[str, Any]],
          paper_of_family: dict[str, str] | None) -> str:
    """The Markdown around the metadata: headings, prompts for a human, and how the facts were found."""
    cfgs = {name: registry.cfg(name) for name in full_names}
    cited = f"[{paper_of_family.get('Title', 'the paper')}]({paper_of_family['URL']})" if paper_of_family \
        else f"the paper that introduced {family} (if there is one)"
    return "\n".join([
        f"# {family}",
        "",
        f"_Describe {family} here: what its architecture does differently, what the models of this card "
        "differ in (size, input resolution, training recipe, pre-training data), and where the weights come "
        "from._",
        "",
        measured_note(registry.timm_version, cfgs, entries),
        *not_square(cfgs),
        "",
        "{% include 'code_snippets.md' %}",
        "",
        "## How do I train this model?",
        "",
        "_Say how these weights were trained (data, schedule, augmentation), or link the recipe and timm's "
        "[training script](https://huggingface.co/docs/timm/training_script)._",
        "",
        "## Citation",
        "",
        f"_Paste the BibTeX entry of {cited} here, in a `BibTeX` code block._",
        "",
        "## License",
        "",
        license_text(cfgs),
        "",
    ])


def measured_note(version: str, cfgs: dict[str, dict], entries: list[dict[str, Any]]) -> str:
    """Where the card's figures come from, and which checkpoint file its File Size measures."""
    kinds = {container(cfg) for cfg in cfgs.values()}
    files = []
    if SAFETENSORS in kinds:
        files.append("the fp32 `model.safetensors` that timm publishes in the model's Hugging Face hub "
                     "repository (the Weights link)")
    if TORCH_SAVE in kinds:
        files.append("an fp32 `torch.save` file of the model's state dict, for weights downloaded from a URL")
    size = "File Size is the size of " + "; or ".join(files) if files else ""
    if None in kinds:
        size += ("; " if size else "") + "a model whose weights are another project's file has no File Size"
    measured = [e for e in entries if "Parameters" in e["Metadata"]]
    return (f"The metadata of this card was written by `model-index new` from timm {version}. Parameters "
            "(the sum of `numel()` over `model.parameters()`) and FLOPs (2 per multiply-accumulate of one "
            "forward pass at the model's Image Size) were measured on PyTorch's meta device"
            + ("" if len(measured) == len(entries) else ", where the model could be built") + ". "
            + (size[:1].upper() + size[1:] + ". " if size else "")  # a sentence of its own
            + "Image Size, Crop Pct and Interpolation are those of each tag's pretrained configuration.")


def not_square(cfgs: dict[str, dict]) -> list[str]:
    """A paragraph (after a blank line) naming the tags whose input is not square, with their size."""
    sizes = {name: input_size(cfg) for name, cfg in cfgs.items()}
    odd = [f"`{name}` takes {height} × {width} pixels (height × width)" for name, (height, width) in sizes.items()
           if height != width]
    if not odd:
        return []
    return ["", "Image Size is the side of a square input, so it is left out where the input is not square: "
            + "; ".join(odd) + ". Their FLOPs are counted at that size."]


def license_text(cfgs: dict[str, dict]) -> str:
    """The weights' license as timm's configurations give it, or a prompt when they do not."""
    licenses = {name: cfg.get("license") for name, cfg in cfgs.items()}
    if not any(licenses.values()):
        return "_Say under which license the weights are published._"
    if len(set(licenses.values())) == 1:
        return (f"timm's pretrained configuration gives the license of these weights as "
                f"`{next(iter(licenses.values()))}`.")
    return "timm's pretrained configurations give the licenses of these weights as:\n\n" + "\n".join(
        f"- `{name}`: `{value}`" if value else f"- `{name}`: _not given; say which it is_"
        for name, value in licenses.items())


def compose(full_names: list[str], family: str, registry, facts: dict, table: dict | None) -> NewCard:
    """The card for `full_names` from measured `facts` (unit → facts, as `measure_all` returns)."""
    notes: list[str] = []
    entries = []
    for full_name in full_names:
        model_unit, flops_unit = units(full_name, registry)
        model_facts, flops_facts = facts.get(model_unit, {}), facts.get(flops_unit, {})
        for problem in (model_facts.get("error"), flops_facts.get("error"), flops_facts.get("flops_error")):
            if problem:
                notes.append(f"{full_name}: could not measure ({problem}); the card leaves those figures out")
                break
        row_name = results_row_name(full_name, table, registry) if table is not None else None
        row = table.rows[row_name] if row_name is not None else None
        for unreadable in table.unreadable.get(row_name, []) if row_name is not None else ():
            notes.append(f"{full_name}: {unreadable}; the model's Results leave it out")
        if table is not None and row is None:
            notes.append(f"{full_name}: no row of the results CSV is named {full_name} (or a deprecated name "
                         "of it); the model has no Results")
        elif row == {}:  # the row is there, but none of its accuracies is a number
            notes.append(f"{full_name}: the results CSV's row of it has no Top 1 or Top 5 Accuracy that is a "
                         "number; the model has no Results")
        entries.append(model_entry(full_name, family, registry, None if "error" in model_facts else model_facts,
                                   flops_facts.get("flops"), row))
    papers = {name: paper(registry.cfg(name)) for name in full_names}
    block = metadata_block(family, entries, papers)
    text = prose(family, registry, full_names, entries, block["Collections"][0].get("Paper"))
    return NewCard(text + "\n" + yaml_text.html_comment(block), notes)


def write(names: list[str], family: str | None, results: str | None, cache_dir: str | None, use_cache: bool,
          workers: int | None, progress: bool) -> NewCard:
    """Expand `names`, measure what the card states (from the cache when it can) and compose it."""
    from ..crosscheck import load_registry
    from ..crosscheck import results as results_mod
    from ..crosscheck.cache import Cache
    from ..crosscheck.parallel import measure_all

    table = results_mod.read(results) if results else None
    cache = Cache(cache_dir, use_cache)
    registry = load_registry(cache)
    full_names = expand(names, registry)
    family = family or default_family(full_names, registry)
    if not family:
        raise UnknownModel("these models come from several timm modules: name the collection with --family")
    facts = measure_all({unit for name in full_names for unit in units(name, registry)}, cache, progress, workers)
    return compose(full_names, family, registry, facts, table)
