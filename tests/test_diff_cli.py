"""`oas2gw diff` on the command line: sides, output formats, `--ignore`, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DUMMY_ENV, SAMPLES
from typer.testing import CliRunner

from oas2gw.cli import app

PETSTORE = SAMPLES / "petstore.yaml"


def run(*args: str, env: dict[str, str | None] | None = None) -> Any:
    """`oas2gw diff ARGS`; in `env`, None unsets a variable."""
    return CliRunner().invoke(app, ["diff", *args], env=env)


def edited(tmp_path: Path, old: str, new: str, name: str = "api.yaml") -> Path:
    """The petstore sample with one textual change."""
    text = PETSTORE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    target = tmp_path / name
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_document_against_itself_is_exit_0_and_only_a_summary() -> None:
    result = run(str(PETSTORE), str(PETSTORE))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("no differences (")


@pytest.mark.parametrize("oas,fmt", [("3.0", "yaml"), ("3.0", "json"), ("2.0", "json")])
def test_document_against_its_own_export_is_the_same(tmp_path: Path, oas: str, fmt: str) -> None:
    from oas2gw import api
    from oas2gw.emit.openapi import emit_openapi

    model = api.load(PETSTORE).model
    assert model is not None
    text, _ = emit_openapi(model, oas, fmt)  # type: ignore[arg-type]
    exported = tmp_path / f"exported.{fmt}"
    exported.write_text(text, encoding="utf-8")
    result = run(str(PETSTORE), str(exported))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("no differences (")


def test_changed_timeout_is_named_with_old_and_new_value(tmp_path: Path) -> None:
    changed = edited(tmp_path, "timeoutInMillis: 10000", "timeoutInMillis: 5000")
    result = run(str(PETSTORE), str(changed))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "~ GET /pets integration.timeoutInMillis: 10000 -> 5000",
        "1 difference: 1 method changed",
    ]


def test_ignore_leaves_the_field_out(tmp_path: Path) -> None:
    changed = edited(tmp_path, "timeoutInMillis: 10000", "timeoutInMillis: 5000")
    result = run(str(PETSTORE), str(changed), "--ignore", "integration.timeoutInMillis")
    assert result.exit_code == 0
    assert result.stdout.startswith("no differences")


def test_method_removed_is_named(tmp_path: Path) -> None:
    changed = edited(
        tmp_path,
        "    post:\n      operationId: createPet",
        "    x-post:\n      operationId: createPet",
    )
    result = run(str(PETSTORE), str(changed))
    assert result.exit_code == 1
    assert "- POST /pets" in result.stdout.splitlines()


def test_json_format_for_machines(tmp_path: Path) -> None:
    changed = edited(tmp_path, "timeoutInMillis: 10000", "timeoutInMillis: 5000")
    result = run(str(PETSTORE), str(changed), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["same"] is False
    assert doc["changes"] == [
        {
            "change": "changed",
            "scope": "method",
            "subject": "GET /pets",
            "httpMethod": "GET",
            "path": "/pets",
            "field": "integration.timeoutInMillis",
            "old": 10000,
            "new": 5000,
        }
    ]


def test_no_colour_when_not_a_terminal(tmp_path: Path) -> None:
    changed = edited(tmp_path, "timeoutInMillis: 10000", "timeoutInMillis: 5000")
    assert "\033[" not in run(str(PETSTORE), str(changed)).stdout
    coloured = run(str(PETSTORE), str(changed), "--color", "always").stdout
    assert coloured.startswith("\033[33m~ GET /pets")


def test_missing_side_is_exit_2_in_one_line(tmp_path: Path) -> None:
    result = run(str(PETSTORE), str(tmp_path / "absent.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'absent.yaml'}: error E503 cannot read")


def test_malformed_live_side_is_exit_2(tmp_path: Path) -> None:
    result = run(str(PETSTORE), "apigateway:")
    assert result.exit_code == 2
    assert "E503" in result.stderr and "Traceback" not in result.stderr


def test_saved_get_resources_output_is_a_side(tmp_path: Path) -> None:
    """The benchmark generator writes a document and, independently, what `get-resources`
    prints for the same API: their methods compare equal. A bare get-resources dump holds
    authorizers and validators by id only (W404), so those references are left out."""
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "benchmarks"))
    import generate  # type: ignore[import-not-found]

    doc = tmp_path / "api.json"
    dump = tmp_path / "resources.json"
    for fmt, target in (("json", doc), ("dump", dump)):
        assert generate.main(["--ops", "40", "--format", fmt, "-o", str(target)]) in (0, None)
    ignore = ("--ignore", "authorizer", "--ignore", "requestValidator")
    result = run(str(doc), str(dump), "--format", "json", *ignore)
    assert result.exit_code == 1, result.output  # the API-level parts the dump lacks
    assert "W404" in result.stderr
    report = json.loads(result.stdout)
    assert report["methodsCompared"] == 40
    assert "methods" not in report["summary"], report["changes"][:5]


def test_live_side_without_credentials_is_exit_2_in_one_line(moto_server: str) -> None:
    env: dict[str, str | None] = {
        **DUMMY_ENV,
        "AWS_ENDPOINT_URL": moto_server,
        "AWS_ACCESS_KEY_ID": None,
        "AWS_SECRET_ACCESS_KEY": None,
        "AWS_SESSION_TOKEN": None,
        "AWS_PROFILE": None,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    result = run(str(PETSTORE), "apigateway:abcdef1234", env=env)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "E401" in line and "credentials" in line.lower()


def test_unknown_live_api_is_exit_2_in_one_line(moto_server: str) -> None:
    env: dict[str, str | None] = {**DUMMY_ENV, "AWS_ENDPOINT_URL": moto_server}
    result = run(str(PETSTORE), "apigateway:abcdef1234", env=env)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("apigateway:abcdef1234: error E401 cannot read REST API")
    assert "testing" not in line


def test_live_side_without_a_region_is_exit_2_in_one_line(tmp_path: Path) -> None:
    env: dict[str, str | None] = {
        **DUMMY_ENV,
        "AWS_DEFAULT_REGION": None,
        "AWS_REGION": None,
        "AWS_PROFILE": None,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    result = run(str(PETSTORE), "apigateway:abcdef1234", env=env)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "E401" in line and "region" in line
    assert "testing" not in line


def test_sides_over_the_size_limit_are_E105_and_exit_2(tmp_path: Path) -> None:
    dump = tmp_path / "saved.json"
    dump.write_text('{"items": [' + ",".join(['{"path": "/"}'] * 200) + "]}\n")
    result = run(str(PETSTORE), str(dump), "--max-bytes", "1000")
    assert result.exit_code == 2
    assert f"{dump}: error E105" in result.stderr
    result = run(str(dump), str(PETSTORE), "--max-bytes", "100")  # the document too
    assert result.exit_code == 2
    assert f"{PETSTORE}:1:1: error E105" in result.stderr
