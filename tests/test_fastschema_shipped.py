"""The shipped validators (`oas2gw/read/validators/`) are the ones the installed schemas and
fastjsonschema generate, and judge as fastjsonschema's own compiled validators do."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import sample_files

from oas2gw.read import fastschema as fs
from oas2gw.read import load_document

fastjsonschema = pytest.importorskip("fastjsonschema")


@pytest.mark.parametrize("name", sorted(fs._SCHEMAS))
def test_the_shipped_validator_is_current_and_loaded(name: str) -> None:
    """Regenerate with `python -m oas2gw.read.fastschema` (then `ruff format`) when this fails."""
    module = __import__(f"{fs.SHIPPED}.{name}", fromlist=["KEY"])
    assert fs._key(name, fastjsonschema.VERSION) == module.KEY
    assert fs._compile(name) is module.validate


def _verdict(check: Any, tree: Any) -> bool:
    try:
        check(copy.deepcopy(tree))
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _broken(tree: dict[str, Any]) -> list[Any]:
    """A few structural breakages, each of which the schema rejects or accepts alike."""
    out: list[Any] = []
    for key, value in [("info", None), ("paths", []), ("openapi", 3), ("x-y", {"a": 1})]:
        broken = copy.deepcopy(tree)
        broken[key] = value
        out.append(broken)
    first = next(iter(tree.get("paths") or {}), None)
    if first is not None:
        broken = copy.deepcopy(tree)
        broken["paths"][first] = {"get": {"responses": {"999": {}}, "parameters": [{}]}}
        out.append(broken)
    return out


def test_shipped_and_freshly_compiled_validators_agree_on_samples_and_breakages() -> None:
    for path in sample_files():
        doc = load_document(path)
        version = fs._spec_version(doc.tree)
        if version is None:
            continue
        name = "oas" + version.replace(".", "")
        fresh = fastjsonschema.compile(
            fs._package_json(*fs._schema_file(name)),
            handlers={"http": fs._local_only, "https": fs._local_only},
            **fs._OPTIONS,
        )
        shipped = fs._compile(name)
        for tree in [doc.tree, *_broken(doc.tree)]:
            assert _verdict(shipped, tree) == _verdict(fresh, tree), path
