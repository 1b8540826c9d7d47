"""The benchmark inputs are real documents: valid, deterministic, complete, readable by every
parser we use and by oas2gw itself; the runner reports a missing command instead of crashing.
No timings are asserted here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from ruamel.yaml import YAML

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # benchmarks/ is not a package: found through sys.path
import run

OPS = 60


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("bench")
    return {p.name: p for p in generate.write_set(out, (OPS,))}


def _integrations(tree: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for item in tree["paths"].values():
        for key, op in item.items():
            if key != "parameters":
                found.append(op["x-amazon-apigateway-integration"])
    return found


def test_generation_is_deterministic() -> None:
    assert generate.to_yaml(generate.document(OPS, "3.0")) == generate.to_yaml(
        generate.document(OPS, "3.0")
    )
    assert generate.to_json(generate.resources_dump(OPS)) == generate.to_json(
        generate.resources_dump(OPS)
    )


@pytest.mark.parametrize("oas", ["2.0", "3.0"])
def test_generated_document_is_valid_openapi_with_every_feature(oas: str) -> None:
    from openapi_spec_validator import validate

    tree = generate.document(OPS, oas)
    validate(tree)
    methods = [op for item in tree["paths"].values() for k, op in item.items() if k != "parameters"]
    assert len(methods) == OPS
    inline = [i for i in _integrations(tree) if "$ref" not in i]
    assert {i["type"].upper() for i in inline} == set(generate.TYPES)
    assert any("$ref" in i for i in _integrations(tree)), "a shared integration by $ref"
    assert any(i.get("connectionType") == "VPC_LINK" for i in inline)
    assert any(i.get("cacheKeyParameters") for i in inline)
    assert any("tlsConfig" in i for i in inline)
    templates = [t for i in inline for r in i.get("responses", {}).values()
                 for t in r.get("responseTemplates", {}).values()]  # fmt: skip
    assert any("#foreach" in t for t in templates), "Velocity templates"
    assert any(p != "default" for i in inline for p in i.get("responses", {})), "selection patterns"
    assert any("parameters" in item for item in tree["paths"].values()), "path-level parameters"


@pytest.mark.parametrize("tag", ["openapi", "swagger"])
def test_yaml_and_json_texts_hold_the_same_tree_for_yaml_1_1_and_1_2_readers(
    written: dict[str, Path], tag: str
) -> None:
    from_json = orjson.loads(written[f"{tag}-{OPS}.json"].read_bytes())
    text = written[f"{tag}-{OPS}.yaml"].read_bytes()
    assert yaml.load(text, Loader=yaml.CSafeLoader) == from_json
    # ruamel reads YAML 1.2, where an unquoted 504e31 is a float: quoting must hold
    assert json.loads(json.dumps(YAML(typ="safe", pure=True).load(text))) == from_json


def test_resources_dump_has_every_method_of_the_document(written: dict[str, Path]) -> None:
    dump = orjson.loads(written[f"resources-{OPS}.json"].read_bytes())
    methods = [
        (item["path"], verb)
        for item in dump["items"]
        for verb, method in item.get("resourceMethods", {}).items()
        if "methodIntegration" in method
    ]
    assert len(methods) == OPS
    by_id = {item["id"]: item for item in dump["items"]}
    for item in dump["items"]:
        if "parentId" in item:
            parent = by_id[item["parentId"]]
            assert item["path"] == parent["path"].rstrip("/") + "/" + item["pathPart"]


def test_generated_documents_load_in_oas2gw_without_errors(written: dict[str, Path]) -> None:
    try:
        from oas2gw.api import load
        from oas2gw.read import load_document  # noqa: F401  (the reader must be there)
    except ImportError as exc:
        pytest.skip(f"the reader is not there yet: {exc}")
    for name in (f"openapi-{OPS}.yaml", f"openapi-{OPS}.json", f"swagger-{OPS}.yaml"):
        result = load(written[name])
        errors = [d.render() for d in result.diagnostics if d.is_error]
        assert result.model is not None and not errors, errors[:5]
        assert sum(len(r.methods) for r in result.model.resources) == OPS


def test_runner_child_measures_a_floor_and_reports_a_missing_command(
    written: dict[str, Path],
) -> None:
    doc = str(written[f"openapi-{OPS}.json"])
    floor = run.child("floor-json", [doc], "default", None)
    assert floor["status"] == "ok" and floor["peak_mib"] > 0
    assert run.child("no-such-task", [doc], "default", None)["status"] == run.NOT_AVAILABLE


@pytest.mark.parametrize(
    ("task", "stems"),
    [
        ("least-import", ["openapi"]),
        ("least-export-dump", ["resources"]),
        ("least-diff", ["openapi", "resources"]),
        ("least-diff-dumps", ["resources", "resources-drift"]),
    ],
)
def test_least_work_rows_validate_the_very_models_oas2gw_reads(
    written: dict[str, Path], task: str, stems: list[str]
) -> None:
    """A bound is only as good as its likeness: the `least-*` rows validate data that gives
    back the model oas2gw reads from the same input, every object of it."""
    from oas2gw.diff_sources import read_side
    from oas2gw.model.types import ApiModel

    files = [str(written[f"{stem}-{OPS}.json"]) for stem in stems]
    got = run.child(task, files, "default", None)
    assert got["status"] == "ok", got
    for path in files:
        data, is_document = run._model_data(path)
        assert is_document == path.endswith(f"openapi-{OPS}.json")
        read = read_side(path).model
        assert read is not None
        again = ApiModel.model_validate(data)
        assert again.model_dump(by_alias=True) == read.model_dump(by_alias=True)
        assert sum(len(r.methods) for r in again.resources) == OPS


def test_least_duplicate_check_counts_as_the_reader_does(written: dict[str, Path]) -> None:
    """The least-work rows' key count finds no duplicate where the reader finds none, and one
    where a key is written twice (spaced before its colon, next to escaped quotes)."""
    from oas2gw.read import load_document, source

    for name in ("_SPACED_KEY_END", "_ESCAPED_QUOTE_COLON"):  # the reader's patterns, as bytes
        assert getattr(run, name).pattern == getattr(source, name).pattern.encode()
    raw = written[f"openapi-{OPS}.json"].read_bytes()
    assert not run._fewer_keys_than_written(raw, run._visit(orjson.loads(raw)))
    assert raw.startswith(b'{\n  "openapi":')
    twice = b'{"x-note": "a \\":", "openapi" :"3.0.3",' + raw[1:]
    assert run._fewer_keys_than_written(twice, run._visit(orjson.loads(twice)))
    assert any(d.code == "E109" for d in load_document("twice.json", text=twice).diagnostics)
