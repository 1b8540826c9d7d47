"""What the model shares to stay small, and what lets the reader's tree go early.

Objects share their fields sets, empty dicts and equal dicts of strings and flags
(`Frozen.model_post_init`); the builder can let each path item go once it is built
(`build_model(consume=True)`, `load(keep_tree=False)`). None of it may change a model.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
from conftest import ROOT, benchmark_generator, sample_files

from oas2gw import api
from oas2gw.model.build import build_model
from oas2gw.model.types import Integration, IntegrationResponse, Method, MethodResponse


def _response(code: str, models: dict[str, str]) -> MethodResponse:
    return MethodResponse.model_validate({"statusCode": code, "responseModels": models})


def test_equal_dicts_and_fields_sets_are_shared() -> None:
    a = _response("200", {"application/json": "Item"})
    b = _response("404", {"application/json": "Item"})
    assert a.response_models is b.response_models
    assert a.response_parameters is b.response_parameters  # both empty
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__


def test_dicts_that_differ_in_order_or_type_are_not_shared() -> None:
    a = _response("200", {"a": "X", "b": "Y"})
    b = _response("200", {"b": "Y", "a": "X"})
    assert list(b.response_models) == ["b", "a"]
    assert a.response_models is not b.response_models
    # `extensions` may hold anything: 1 and True compare equal, so it is never shared
    x = Integration.model_validate({"type": "MOCK", "extensions": {"k": 1}})
    y = Integration.model_validate({"type": "MOCK", "extensions": {"k": True}})
    assert x.extensions["k"] is not True and y.extensions["k"] is True


def test_intrinsics_among_the_values_are_kept_as_they_are() -> None:
    value = {"Fn::Sub": "${Stage}"}
    r = IntegrationResponse.model_validate({"statusCode": "200", "responseTemplates": {"a": value}})
    assert r.response_templates == {"a": value}


def test_a_copy_with_changes_leaves_the_shared_fields_set_alone() -> None:
    a = _response("200", {"application/json": "Item"})
    b = _response("201", {"application/json": "Item"})
    shared = set(a.__pydantic_fields_set__)
    c = a.model_copy(update={"response_parameters": {"h": True}})
    assert "response_parameters" in c.model_fields_set
    assert a.__pydantic_fields_set__ == shared == b.__pydantic_fields_set__
    assert a.model_dump(exclude_unset=True) == {
        "status_code": "200",
        "response_models": {"application/json": "Item"},
    }


def test_sharing_changes_no_dump() -> None:
    """Models built from every sample dump as the same JSON as a plain pydantic copy of them
    (which shares nothing)."""
    for path in sample_files():
        result = api.load(path)
        assert result.model is not None
        for _, method in result.model.iter_methods():
            fresh = Method.model_validate(copy.deepcopy(method.model_dump(by_alias=True)))
            assert fresh.model_dump(by_alias=True) == method.model_dump(by_alias=True)


def _tree(path: Path) -> Any:
    return api.load(path).document.tree  # type: ignore[union-attr]


def test_consuming_the_tree_builds_the_same_model() -> None:
    for path in sample_files():
        kept_tree = _tree(path)
        kept, kept_diags = build_model(copy.deepcopy(kept_tree))
        tree = copy.deepcopy(kept_tree)
        consumed, diags = build_model(tree, consume=True)
        assert consumed == kept and diags == kept_diags
        paths = tree.get("paths") or {}
        assert all(item is None for key, item in paths.items() if key.startswith("/"))


def test_load_without_the_tree_gives_the_same_model_and_findings() -> None:
    path = ROOT / "samples" / "petstore.yaml"
    kept, dropped = api.load(path), api.load(path, keep_tree=False)
    assert dropped.document is not None and dropped.document.tree is None
    assert kept.document is not None and kept.document.tree is not None
    assert dropped.model == kept.model
    assert dropped.diagnostics == kept.diagnostics
    dump = orjson.dumps
    assert dump(dropped.model.model_dump(mode="json")) == dump(kept.model.model_dump(mode="json"))


def test_reading_a_dump_that_lets_its_json_go_builds_the_same_model(tmp_path: Path) -> None:
    from oas2gw.diagnostics import DiagnosticList
    from oas2gw.export.dump import AwsParts, classify, model_from_aws, read_dump

    generate = benchmark_generator()
    dump = tmp_path / "resources.json"
    dump.write_bytes(generate.to_json(generate.resources_dump(80)))
    consumed, _ = read_dump([dump])  # reads with consume=True
    parts = AwsParts()
    classify(orjson.loads(dump.read_bytes()), parts, str(dump), DiagnosticList())
    kept, _ = model_from_aws(parts)
    assert consumed == kept
    fresh = AwsParts()
    classify(orjson.loads(dump.read_bytes()), fresh, str(dump), DiagnosticList())
    assert parts.resources == fresh.resources  # without `consume`, the JSON is left alone
