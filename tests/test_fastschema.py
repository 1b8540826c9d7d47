"""The fast OpenAPI check gives openapi-spec-validator's verdicts: on real documents, on the
generated benchmark documents, and on documents broken on purpose in every way it checks."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw.read import fastschema
from tests.conftest import ROOT, corpus_files, requires_corpus

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # benchmarks/ is not a package: found through sys.path

pytest.importorskip("fastjsonschema")


def reference_valid(tree: Any) -> bool:
    from openapi_spec_validator import validate

    try:
        validate(copy.deepcopy(tree))
    except Exception:  # any error the reference raises is its "invalid"
        return False
    return True


def assert_same_verdict(tree: Any) -> bool:
    """The fast verdict never says valid where the reference does not; the full check agrees."""
    expected = reference_valid(tree)
    fast = fastschema.fast_verdict(tree)
    if fast:
        assert expected, "fast path called an invalid document valid"
    problems = fastschema.validate_tree(tree)
    assert (not problems) == expected, problems[:3]
    return fast


class _TolerantLoader(yaml.CSafeLoader):
    """CloudFormation short tags (`!Sub`) read as their long form, as templates need."""


def _tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_TolerantLoader.add_multi_constructor("!", _tag)


def openapi_documents(path: Path) -> Iterator[Any]:
    """The OpenAPI documents in a corpus file: itself, or the bodies inside a template."""
    text = path.read_bytes()
    tree = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_TolerantLoader)
    if isinstance(tree, dict) and ("swagger" in tree or "openapi" in tree):
        yield tree
        return
    resources = tree.get("Resources", {}) if isinstance(tree, dict) else {}
    for resource in resources.values():
        props = resource.get("Properties", {}) if isinstance(resource, dict) else {}
        for key in ("DefinitionBody", "Body"):
            body = props.get(key) if isinstance(props, dict) else None
            if isinstance(body, dict) and ("swagger" in body or "openapi" in body):
                yield body


def _operations(tree: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for url, item in tree.get("paths", {}).items():
        if isinstance(item, dict):
            for name, op in item.items():
                if name in fastschema.OPERATIONS and isinstance(op, dict):
                    yield url, name, op


def _first_schema_holder(tree: dict[str, Any]) -> dict[str, Any] | None:
    holders = [tree.get("definitions"), (tree.get("components") or {}).get("schemas")]
    for schemas in holders:
        for schema in (schemas or {}).values():
            if isinstance(schema, dict) and "$ref" not in schema:
                return schema
    for _, _, op in _operations(tree):
        for response in op.get("responses", {}).values():
            if isinstance(response, dict):
                if isinstance(response.get("schema"), dict) and "$ref" not in response["schema"]:
                    return response["schema"]  # type: ignore[no-any-return]
                for media in (response.get("content") or {}).values():
                    schema = media.get("schema") if isinstance(media, dict) else None
                    if isinstance(schema, dict) and "$ref" not in schema:
                        return schema
    return None


Mutation = Callable[[dict[str, Any]], bool]  # changes the tree; False when it does not apply


def _duplicate_operation_id(tree: dict[str, Any]) -> bool:
    ops = list(_operations(tree))
    if len(ops) < 2:
        return False
    ops[1][2]["operationId"] = ops[0][2].setdefault("operationId", "same")
    return True


def _undeclared_path_parameter(tree: dict[str, Any]) -> bool:
    paths = tree.get("paths", {})
    for url in list(paths):
        paths[url.rstrip("/") + "/{undeclared}"] = paths.pop(url)
        return True
    return False


def _unused_path_parameter(tree: dict[str, Any]) -> bool:
    for _, _, op in _operations(tree):
        p: dict[str, Any] = {"name": "ghost", "in": "path", "required": True}
        p.update({"type": "string"} if "swagger" in tree else {"schema": {"type": "string"}})
        op.setdefault("parameters", []).append(p)
        return True
    return False


def _duplicate_parameter(tree: dict[str, Any]) -> bool:
    for _, _, op in _operations(tree):
        p: dict[str, Any] = {"name": "twice", "in": "query"}
        p.update({"type": "string"} if "swagger" in tree else {"schema": {"type": "string"}})
        op.setdefault("parameters", []).extend([p, dict(p, description="again")])
        return True
    return False


def _bad_schema_type(tree: dict[str, Any]) -> bool:
    schema = _first_schema_holder(tree)
    if schema is None:
        return False
    schema["type"] = "strin"
    return True


def _bad_default(tree: dict[str, Any]) -> bool:
    schema = _first_schema_holder(tree)
    if schema is None:
        return False
    schema.clear()
    schema.update({"type": "integer", "default": "ten"})
    return True


def _good_default(tree: dict[str, Any]) -> bool:
    schema = _first_schema_holder(tree)
    if schema is None:
        return False
    schema.clear()
    schema.update({"type": "integer", "default": 10, "minimum": 1})
    return True


def _meta_schema_breaches(tree: dict[str, Any]) -> bool:
    """Draft-04 meta-schema rules the OpenAPI schema itself may not catch."""
    schema = _first_schema_holder(tree)
    if schema is None:
        return False
    schema.update({"required": [], "exclusiveMinimum": True, "minLength": 1.0})
    return True


def _all_of_required_undefined(tree: dict[str, Any]) -> bool:
    schema = _first_schema_holder(tree)
    if schema is None:
        return False
    schema.clear()
    schema.update(
        {
            "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
            "required": ["a", "b"],
        }
    )
    return True


def _duplicate_tags(tree: dict[str, Any]) -> bool:
    tree["tags"] = [{"name": "t"}, {"name": "t"}]
    return True


def _no_info(tree: dict[str, Any]) -> bool:
    return tree.pop("info", None) is not None


def _response_without_description(tree: dict[str, Any]) -> bool:
    for _, _, op in _operations(tree):
        for response in op.get("responses", {}).values():
            if isinstance(response, dict) and "description" in response:
                del response["description"]
                return True
    return False


def _dangling_ref(tree: dict[str, Any]) -> bool:
    for _, _, op in _operations(tree):
        op["responses"] = {"200": {"$ref": "#/nowhere/at/all"}}
        return True
    return False


def _integer_status_key(tree: dict[str, Any]) -> bool:
    for _, _, op in _operations(tree):
        responses = op.get("responses", {})
        for code in list(responses):
            responses[int(code) if str(code).isdigit() else 200] = responses.pop(code)
            return True
    return False


def _wrong_version(tree: dict[str, Any]) -> bool:
    key = "swagger" if "swagger" in tree else "openapi"
    tree[key] = "1.2"
    return True


def _extension_under_paths(tree: dict[str, Any]) -> bool:
    tree.setdefault("paths", {})["x-note"] = {"anything": True}
    return True


MUTATIONS: list[Mutation] = [
    _duplicate_operation_id,
    _undeclared_path_parameter,
    _unused_path_parameter,
    _duplicate_parameter,
    _bad_schema_type,
    _bad_default,
    _good_default,
    _all_of_required_undefined,
    _meta_schema_breaches,
    _duplicate_tags,
    _no_info,
    _response_without_description,
    _dangling_ref,
    _integer_status_key,
    _wrong_version,
    _extension_under_paths,
]


def _generated() -> list[Any]:
    return [generate.document(40, "2.0"), generate.document(40, "3.0")]


def test_generated_documents_are_valid_on_the_fast_path() -> None:
    for tree in _generated():
        assert assert_same_verdict(tree), "the fast path should vouch for a clean document"


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda m: m.__name__.strip("_"))
def test_each_kind_of_breakage_gets_the_reference_verdict(mutate: Mutation) -> None:
    for tree in _generated():
        broken = copy.deepcopy(tree)
        assert mutate(broken)
        assert_same_verdict(broken)


@requires_corpus
def test_corpus_documents_and_their_mutations_get_the_reference_verdict() -> None:
    checked = fast = valid = 0
    for path in corpus_files():
        for tree in openapi_documents(path):
            fast += assert_same_verdict(tree)
            valid += reference_valid(tree)
            checked += 1
            for mutate in MUTATIONS:
                broken = copy.deepcopy(tree)
                if mutate(broken):
                    assert_same_verdict(broken)
    assert checked >= 20
    assert fast == valid, "the fast path should vouch for every valid real document"


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _nodes(value, (*path, i))


_SMALL = generate.document(12, "3.0")
_SMALL_2 = generate.document(12, "2.0")
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 600),
    st.sampled_from(["", "x", "string", "object", "#/components/schemas/Item", "{id}", "path"]),
    st.just({}),
    st.just([]),
    st.just({"$ref": "#/components/schemas/Item"}),
    st.just({"type": "string", "default": 3}),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.booleans(),
    pick=st.integers(0, 10_000),
    value=_VALUES,
    delete=st.booleans(),
)
def test_random_replacements_get_the_reference_verdict(
    which: bool, pick: int, value: Any, delete: bool
) -> None:
    tree = copy.deepcopy(_SMALL if which else _SMALL_2)
    paths = [p for p in _nodes(tree) if p]
    target = paths[pick % len(paths)]
    parent = tree
    for key in target[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        parent[target[-1]] = copy.deepcopy(value)
    assert_same_verdict(tree)


_JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=4)
    | st.sampled_from(["\ud800", "é", "a\\u00e9", "1", "1.0", "true"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(
            st.text(max_size=3) | st.integers(0, 3) | st.booleans(), inner, max_size=3
        )
    ),
    max_leaves=12,
)


def _standard_canonical(value: Any) -> str:
    """The cache key as the standard library alone writes it."""
    fastschema._only_string_keys(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _outcome_of(write: Callable[[Any], str], value: Any) -> str:
    try:
        text = write(value)
    except Exception:  # refused: the reference decides
        return "refused"
    return json.dumps(json.loads(text), sort_keys=True)  # what the check is run on


@settings(max_examples=300, deadline=None)
@given(value=_JSONISH)
def test_cache_keys_read_back_as_the_standard_library_writes_them(value: Any) -> None:
    assert _outcome_of(fastschema._canonical, value) == _outcome_of(_standard_canonical, value)
    if _outcome_of(fastschema._canonical, value) != "refused":
        assert fastschema._canonical(value) == fastschema._canonical(copy.deepcopy(value))
