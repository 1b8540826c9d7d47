"""Round trips over samples/ and the corpus: read -> model -> export -> read is the identity.

Every document is read into the model, exported as OpenAPI 3.0 and Swagger 2.0, in YAML and
JSON, and read back; the models must agree after normalisation. Differences that remain for a
reason are listed in `KNOWN` with that reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import corpus_files, requires_corpus, sample_files
from deepdiff import DeepDiff

from oas2gw.emit.openapi import emit_openapi
from oas2gw.model.build import build_model
from oas2gw.model.normalize import normalize
from oas2gw.model.types import ApiModel

#: file name -> (OpenAPI version, reason) for exports that cannot hold the whole model
KNOWN: dict[str, tuple[str, str]] = {}


class _TagTolerantLoader(yaml.CSafeLoader):
    """CloudFormation short tags (`!Sub`) kept as their long form, as the reader keeps them."""


def _intrinsic(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_TagTolerantLoader.add_multi_constructor("!", _intrinsic)


def document_model(path: Path) -> ApiModel | None:
    """The document's model as `oas2gw validate` reads it; until the reader lands, plain
    OpenAPI documents are read here (templates are then skipped). None: nothing to model."""
    try:
        from oas2gw.api import load

        result = load(path, rules=False)
    except (ImportError, AttributeError):
        tree = yaml.load(path.read_text(encoding="utf-8"), Loader=_TagTolerantLoader)
        if not isinstance(tree, dict) or not ({"openapi", "swagger"} & tree.keys()):
            return None
        model, _ = build_model(tree)
        return model if model.resources else None
    if result.model is None or not result.model.resources:
        return None
    return result.model


def read_back(text: str, fmt: str) -> ApiModel:
    tree = json.loads(text) if fmt == "json" else yaml.load(text, Loader=yaml.CSafeLoader)
    model, diags = build_model(tree)
    assert [d for d in diags if d.is_error] == []
    return model


def view(model: ApiModel) -> dict[str, Any]:
    return normalize(model).model_dump(by_alias=True)


def round_trip_problems(path: Path) -> list[str]:
    model = document_model(path)
    if model is None:
        return []
    problems = []
    for oas in ("3.0", "2.0"):
        for fmt in ("yaml", "json"):
            text, diags = emit_openapi(model, oas, fmt)  # type: ignore[arg-type]
            known = KNOWN.get(path.name)
            if known and known[0] == oas:
                continue
            lossy = [d.code for d in diags if d.code == "W401"]
            if lossy:  # Swagger 2.0 cannot hold a model per content type: said, not hidden
                continue
            diff = DeepDiff(view(model), view(read_back(text, fmt)))
            if diff:
                problems.append(f"{path.name} {oas} {fmt}: {diff}")
            again, _ = emit_openapi(read_back(text, fmt), oas, fmt)  # type: ignore[arg-type]
            if again != text:
                problems.append(f"{path.name} {oas} {fmt}: a second export differs")
    return problems


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_sample_round_trips_through_every_export_format(sample: Path) -> None:
    assert round_trip_problems(sample) == []


@requires_corpus
def test_corpus_round_trips_through_every_export_format() -> None:
    problems = [p for path in corpus_files() for p in round_trip_problems(path)]
    assert problems == []
