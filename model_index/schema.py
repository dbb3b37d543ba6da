"""The model-index schema: pydantic models of what a card may say.

Keys are spelled as in Papers with Code's format (``In Collection``); like that format, they are
matched case-insensitively (see `canonical_key`). Unknown keys are kept (``model_extra``) so that a
rule can report them with a did-you-mean. Field docstrings are the schema's documentation.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, ClassVar, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, ValidationError, model_validator
from pydantic_core import PydanticCustomError

# Read through `schema` by other modules; they need no pydantic and live where loading reaches them.
from .extra_keys import EXTRA_KEY_SCOPES, EXTRA_KEY_TYPES, ValueType, extra_key  # noqa: F401
from .numbers import INTEGER_TEXT, NUMBER_TEXT, as_list, as_number, parse_number, read_number  # noqa: F401
from .shape import canonical_key, comparable_key  # noqa: F401

Number = Annotated[Union[int, float], BeforeValidator(
    read_number, json_schema_input_type=Union[int, float, Annotated[str, Field(pattern=NUMBER_TEXT)]])]
Integer = Annotated[int, BeforeValidator(
    read_number, json_schema_input_type=Union[int, Annotated[str, Field(pattern=INTEGER_TEXT)]])]
Words = Annotated[list[str], BeforeValidator(as_list, json_schema_input_type=Union[str, list[str]])]
# A metric keeps an int as an int (`Count: 5`, a count beyond a float's precision).
Metric = Annotated[Union[int, float, str, None], BeforeValidator(read_number)]


class Node(BaseModel):
    """Base of every schema node: unknown keys are kept for the unknown-key rule."""

    model_config = ConfigDict(extra="allow", validate_by_alias=True, validate_by_name=False, use_attribute_docstrings=True)
    # Keys (aliases) a mapping of this node must hold, each with what it gives; every other key is optional.
    needs: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _holds_what_it_needs(self) -> "Node":
        if not self.needs:
            return self
        for name, field in type(self).model_fields.items():
            if field.alias in self.needs and getattr(self, name) is None:
                raise PydanticCustomError("missing_key", "a mapping needs a {key} key ({gives})",
                                          {"key": field.alias, "gives": self.needs[field.alias]})
        return self


class PaperRef(Node):
    title: str | None = Field(None, alias="Title")
    """The paper's title."""
    url: str | None = Field(None, alias="URL")
    """Link to the paper (arXiv, Papers with Code, the publisher)."""


PaperField = Union[str, PaperRef]


class CodeRef(Node):
    """`Code` written as a mapping, as OpenMMLab's metafiles do: `{URL: ..., Version: v0.20.1}`.
    It needs its `URL`: without one it links nowhere."""

    needs: ClassVar[dict[str, str]] = {"URL": "the link to the code"}
    url: str | None = Field(None, alias="URL")
    """Link to the code that defines the model."""
    version: Union[str, int, float] | None = Field(None, alias="Version")
    """The release of the code that the link points into, e.g. v0.20.1."""


def _code_shape(value: Any) -> str:
    """A mapping is a `CodeRef`, anything else must be a link: so a mapping's error is its own,
    never "input should be a valid string"."""
    return "mapping" if isinstance(value, (dict, CodeRef)) else "link"  # a CodeRef: when serialized


CodeField = Annotated[Union[Annotated[str, Tag("link")], Annotated[CodeRef, Tag("mapping")]],
                      Discriminator(_code_shape)]


def url_of_code(code: Any) -> str | None:
    """The link a `Code` value holds, whether written as a string or as a mapping with a `URL`
    (raw card data or a validated node): the one place that knows both shapes."""
    if isinstance(code, CodeRef):
        code = code.url
    elif isinstance(code, dict):
        code = code.get("URL")
    return code if isinstance(code, str) else None


class Metadata(Node):
    flops: Number | None = Field(None, alias="FLOPs")
    """Floating point operations of one forward pass at `Image Size` (some cards count MACs)."""
    parameters: Number | None = Field(None, alias="Parameters")
    """Number of parameters (timm convention: sum of numel over model.parameters())."""
    file_size: Number | None = Field(None, alias="File Size")
    """Size of the checkpoint file in bytes."""
    epochs: Number | None = Field(None, alias="Epochs")
    """Training epochs."""
    batch_size: Integer | None = Field(None, alias="Batch Size")
    """Training batch size."""
    minibatch_size: Integer | None = Field(None, alias="Minibatch Size")
    """Per-device batch size."""
    lr: Number | None = Field(None, alias="LR")
    """Base learning rate."""
    lr_gamma: Number | None = Field(None, alias="LR Gamma")
    """Learning-rate decay factor."""
    lr_step_size: Number | None = Field(None, alias="LR Step Size")
    """Epochs between learning-rate decays."""
    momentum: Number | None = Field(None, alias="Momentum")
    """Optimizer momentum."""
    batchnorm_momentum: Number | None = Field(None, alias="BatchNorm Momentum")
    """Batch normalization momentum."""
    rmsprop_decay: Number | None = Field(None, alias="RMSProp Decay")
    """RMSProp decay."""
    rmsprop_epsilon: Number | None = Field(None, alias="RMSProp $\\epsilon$")
    """RMSProp epsilon."""
    weight_decay: Number | None = Field(None, alias="Weight Decay")
    """Weight decay."""
    label_smoothing: Number | None = Field(None, alias="Label Smoothing")
    """Label smoothing factor."""
    dropout: Number | None = Field(None, alias="Dropout")
    """Dropout rate."""
    stochastic_depth_survival: Number | None = Field(None, alias="Stochastic Depth Survival")
    """Survival probability of stochastic depth."""
    layers: Integer | None = Field(None, alias="Layers")
    """Depth of the network."""
    training_steps: Integer | None = Field(None, alias="Training Steps")
    """Training steps."""
    warmup_steps: Integer | None = Field(None, alias="Warmup Steps")
    """Learning-rate warm-up steps."""
    fps_gpu_rtx_2070: Number | None = Field(None, alias="FPS (GPU RTX 2070)")
    """Measured inference throughput."""
    training_data: Words | None = Field(None, alias="Training Data")
    """Datasets the weights were trained on."""
    training_techniques: Words | None = Field(None, alias="Training Techniques")
    """Techniques used in training."""
    training_resources: str | None = Field(None, alias="Training Resources")
    """Hardware used in training."""
    training_time: str | None = Field(None, alias="Training Time")
    """Wall-clock training time."""
    architecture: Words | None = Field(None, alias="Architecture")
    """Building blocks of the architecture."""
    tasks: Words | None = Field(None, alias="Tasks")
    """Tasks the model solves."""
    id: str | None = Field(None, alias="ID")
    """The model's name in the library (timm's model name)."""
    crop_pct: Number | None = Field(None, alias="Crop Pct")
    """Center-crop fraction used at evaluation."""
    image_size: Integer | None = Field(None, alias="Image Size")
    """Input resolution (pixels) used at evaluation."""
    interpolation: str | None = Field(None, alias="Interpolation")
    """Resize interpolation used at evaluation."""
    mean: list[Number] | None = Field(None, alias="Mean")
    """Per-channel normalization mean."""
    std: list[Number] | None = Field(None, alias="Std")
    """Per-channel normalization standard deviation."""


class Result(Node):
    task: str | None = Field(None, alias="Task")
    """The task evaluated, e.g. Image Classification."""
    dataset: str | None = Field(None, alias="Dataset")
    """The evaluation dataset, e.g. ImageNet."""
    metrics: dict[str, Metric] | None = Field(None, alias="Metrics")
    """Metric name to value; percentages like 80.05% are read as numbers."""


class Model(Node):
    name: str | None = Field(None, alias="Name")
    """The model's unique name."""
    in_collection: Words | None = Field(None, alias="In Collection")
    """The collection (family) the model belongs to."""
    metadata: Metadata | None = Field(None, alias="Metadata")
    """Training and architecture facts."""
    results: list[Result] | None = Field(None, alias="Results")
    """Evaluation results."""
    paper: PaperField | None = Field(None, alias="Paper")
    """The paper that introduced the model."""
    code: CodeField | None = Field(None, alias="Code")
    """Link to the code that defines the model: a URL, or a mapping with `URL` and `Version`."""
    weights: str | None = Field(None, alias="Weights")
    """Link to the checkpoint file."""
    config: str | None = Field(None, alias="Config")
    """Link to the training configuration."""
    readme: str | None = Field(None, alias="README")
    """Link or path to the model's documentation."""
    image: str | None = Field(None, alias="Image")
    """Link to an image for the model."""


class Collection(Node):
    name: str | None = Field(None, alias="Name")
    """The collection's unique name."""
    paper: PaperField | None = Field(None, alias="Paper")
    """The paper that introduced the family."""
    metadata: Metadata | None = Field(None, alias="Metadata")
    """Facts shared by the collection's models."""
    code: CodeField | None = Field(None, alias="Code")
    """Link to the code of the family: a URL, or a mapping with `URL` and `Version`."""
    readme: str | None = Field(None, alias="README")
    """Link or path to the family's documentation."""
    image: str | None = Field(None, alias="Image")
    """Link to an image for the family."""


class Library(Node):
    name: str | None = Field(None, alias="Name")
    """The library's name."""
    headline: str | None = Field(None, alias="Headline")
    """One line about the library."""
    website: str | None = Field(None, alias="Website")
    """The library's home page."""
    repository: str | None = Field(None, alias="Repository")
    """The library's source repository."""
    docs: str | None = Field(None, alias="Docs")
    """The library's documentation."""
    readme: str | None = Field(None, alias="README")
    """Path to the library's README."""


class ModelIndex(Node):
    """The top level of a block. Models and Collections are validated one by one (see index.py)."""

    models: list[Any] | None = Field(None, alias="Models")
    """The models of this file."""
    collections: list[Any] | None = Field(None, alias="Collections")
    """The collections (families) of this file."""
    imports: Words | None = Field(None, alias="Import")
    """Globs of further model-index files, relative to this file."""
    library: Library | None = Field(None, alias="Library")
    """The library the models belong to."""
    type: str | None = Field(None, alias="Type")
    """Marks an HTML comment as model-index metadata (``model-index``)."""


SCHEMA_NODES: tuple[type[Node], ...] = (ModelIndex, Model, Collection, Metadata, Result, PaperRef, CodeRef, Library)


def validate(node: type[Node], raw: Any, attempts: int = 8) -> tuple[Node | None, list[tuple[tuple, str]]]:
    """Validate `raw` as `node`. Returns the node (with invalid values dropped, so one bad field
    does not lose a whole model) and every error as (key path into `raw`, message). An error that
    only dropping a value caused (a Code mapping without the URL that was dropped) is not one."""
    errors: list[tuple[tuple, str]] = []
    data = raw
    for _ in range(attempts):
        try:
            return node.model_validate(data), errors
        except ValidationError as error:
            found = {}
            for item in error.errors(include_url=False):
                path = data_path(data, item["loc"])
                found.setdefault(path, item["msg"])
            errors.extend((path, message) for path, message in found.items()
                          if not any(dropped[:len(path)] == path for dropped, _ in errors))
            if () in found or not isinstance(data, dict):
                return None, errors
            data = _without(data, found)
    return None, errors


def data_path(data: Any, loc: tuple) -> tuple:
    """The part of pydantic's `loc` that indexes into the data (union member names dropped)."""
    path: list = []
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            continue
        path.append(step)
    return tuple(path)


def _without(data: Any, paths) -> Any:
    """A copy of `data` with the values at `paths` removed."""
    data = copy.deepcopy(data)
    for path in sorted(paths, key=lambda p: [(isinstance(s, str), s) for s in p], reverse=True):
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent.pop(path[-1])
    return data
