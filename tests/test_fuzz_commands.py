"""Mutated sample documents through every command's library entry point: findings, never a crash.

Each example takes a sample, breaks it (a node deleted, replaced, retyped, a list swapped for a
map, hostile text injected, integer keys, bytes corrupted or cut) and feeds it to what the
commands call: `api.load` (validate), `api.render_import` for each target with and without
`--force` (import), `emit_openapi` (export), `export_api(into=...)` (export --into) and
`api.diff` (diff). Any exception is a bug; a problem in the document must come back as a
diagnostic.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import sample_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw import api
from oas2gw.diagnostics import Diagnostic
from oas2gw.emit.openapi import emit_openapi
from oas2gw.export.command import export_api
from oas2gw.plan import PlanOptions

DUMP = Path(__file__).resolve().parent / "bad_inputs" / "source" / "get-resources.json"

HOSTILE = [
    "",
    " ",
    "$(touch /tmp/oas2gw-fuzz-canary)",
    "'\"`\\",
    "${stageVariables.x}",
    "\n",
    "\u2028",
    "é日🙂",
    "#/components/schemas/Nope",
    "../../etc/passwd",
    "http://127.0.0.1:9/x",
    "-1",
    "1e999",
    "Fn::Sub",
    "aws_proxy",
    "GET",
    "{proxy+}",
    "method.request.header.x",
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/f/invocations",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False),
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _parse(path: Path) -> Any | None:
    """The sample as plain data; templates with short tags (`!Sub`) are mutated as bytes only."""
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None


SAMPLES = sample_files()
TREES = {p.name: _parse(p) for p in SAMPLES}


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def _retype(value: Any) -> Any:
    """The same content in the wrong kind of node."""
    if isinstance(value, dict):
        return list(value.values()) or [list(value)]
    if isinstance(value, list):
        return {index: item for index, item in enumerate(value)}  # integer keys
    if isinstance(value, str):
        return [value]
    return {str(value): value}


def mutate(tree: Any, data: st.DataObject) -> Any:
    tree = json.loads(json.dumps(tree))  # a private copy
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = list(_paths(tree))
        path = data.draw(st.sampled_from(paths), label="at")
        kind = data.draw(
            st.sampled_from(["delete", "replace", "retype", "inject", "int-key"]), label="how"
        )
        if not path:
            tree = data.draw(VALUES) if kind == "replace" else _retype(tree)
            continue
        parent, key = _get(tree, path[:-1]), path[-1]
        if kind == "delete":
            del parent[key]
        elif kind == "replace":
            parent[key] = data.draw(VALUES, label="value")
        elif kind == "retype":
            parent[key] = _retype(parent[key])
        elif kind == "inject":
            text = data.draw(st.sampled_from(HOSTILE), label="text")
            old = parent[key]
            parent[key] = f"{text}{old}{text}" if isinstance(old, str) else text
        elif isinstance(parent, dict):
            parent[data.draw(st.integers(0, 999), label="int key")] = parent.pop(key)
    return tree


def serialize(tree: Any, as_json: bool) -> bytes:
    if as_json:
        return json.dumps(tree, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode(
        "utf-8", "surrogatepass"
    )


def corrupt(raw: bytes, data: st.DataObject) -> bytes:
    how = data.draw(st.sampled_from(["flip", "insert", "cut"]), label="corrupt")
    at = data.draw(st.integers(0, max(len(raw) - 1, 0)), label="offset")
    if how == "cut":
        return raw[:at]
    chunk = data.draw(st.binary(min_size=1, max_size=8), label="bytes")
    if how == "insert":
        return raw[:at] + chunk + raw[at:]
    return raw[:at] + chunk + raw[at + len(chunk) :]


def every_command(path: Path, sample: Path) -> None:
    """What each command does with the document; raises only on a bug."""
    loaded = api.load(path)
    assert all(isinstance(d, Diagnostic) for d in loaded.diagnostics)
    for d in loaded.diagnostics:
        d.render()
    if loaded.model is not None:
        for force in (False, True):
            options = PlanOptions(deploy_stage="dev", lambda_permissions=True, force=force)
            for to in ("cli", "plan", "boto3"):
                rendered = api.render_import(
                    loaded.model, to=to, options=options, cli_input_json=force
                )
                assert rendered.text is not None or rendered.diagnostics
        for oas, fmt in (("3.0", "yaml"), ("2.0", "json")):
            text, _ = emit_openapi(loaded.model, oas, fmt)  # type: ignore[arg-type]
            api.load(f"exported.{fmt}", text=text)
    merged = export_api(dumps=[DUMP], into=path)
    assert merged.text is not None or merged.diagnostics
    compared = api.diff(str(path), str(sample))
    assert compared.same or compared.changes or compared.diagnostics


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_samples_give_diagnostics_not_exceptions(data: st.DataObject) -> None:
    if not SAMPLES:
        pytest.skip("no samples")
    sample = data.draw(st.sampled_from(SAMPLES), label="sample")
    tree = TREES[sample.name]
    as_json = data.draw(st.booleans(), label="json")
    if tree is not None and data.draw(st.booleans(), label="tree mutation"):
        raw = serialize(mutate(tree, data), as_json)
    else:
        raw = sample.read_bytes()
    if tree is None or data.draw(st.booleans(), label="byte corruption"):
        raw = corrupt(raw, data)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / ("doc.json" if as_json else "doc.yaml")
        path.write_bytes(raw)
        every_command(path, sample)
