"""`oas2gw export` on the command line: sources, outputs, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from test_export_dump import AUTHORIZERS, MODELS, PAGE_1, PAGE_2, REST_API, VALIDATORS, write
from test_export_merge import DOC
from typer.testing import CliRunner

from oas2gw.cli import app


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def dump_files(tmp_path: Path) -> list[str]:
    return [
        str(write(tmp_path, "resources.json", PAGE_1, PAGE_2)),
        str(write(tmp_path, "rest.json", REST_API, AUTHORIZERS, VALIDATORS, MODELS)),
    ]


def test_from_dump_prints_openapi_3_yaml(tmp_path: Path) -> None:
    a, b = dump_files(tmp_path)
    result = run("export", "--from-dump", a, "--from-dump", b)
    assert result.exit_code == 0, result.output
    tree = yaml.safe_load(result.stdout)
    assert tree["openapi"].startswith("3.0")
    assert "x-amazon-apigateway-integration" in tree["paths"]["/pets/{id}"]["get"]


def test_swagger_json_to_a_file(tmp_path: Path) -> None:
    a, b = dump_files(tmp_path)
    out = tmp_path / "api.json"
    result = run(
        "export", "--from-dump", a, "--from-dump", b, "--oas", "2.0", "--format", "json",
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["swagger"] == "2.0"


def test_a_file_gets_what_standard_output_gets(tmp_path: Path) -> None:
    """`-o FILE` writes the text as it is rendered (in pieces); the file is the same text."""
    a, b = dump_files(tmp_path)
    for oas in ("3.0", "2.0"):
        for fmt in ("yaml", "json"):
            out = tmp_path / f"api-{oas}.{fmt}"
            args = ["export", "--from-dump", a, "--from-dump", b, "--oas", oas, "--format", fmt]
            printed = run(*args)
            written = run(*args, "-o", str(out))
            assert printed.exit_code == written.exit_code == 0, written.output
            assert out.read_text(encoding="utf-8") == printed.stdout


def test_keep_defaults_writes_the_filled_in_values(tmp_path: Path) -> None:
    a, b = dump_files(tmp_path)
    result = run("export", "--from-dump", a, "--from-dump", b, "--keep-defaults")
    assert result.exit_code == 0
    assert "timeoutInMillis: 29000" in result.stdout
    assert "timeoutInMillis" not in run("export", "--from-dump", a, "--from-dump", b).stdout


def test_into_an_unchanged_document_leaves_the_file_alone(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(DOC)
    page = {
        "items": [
            {
                "id": "r1",
                "path": "/pets",
                "resourceMethods": {
                    "GET": {
                        "httpMethod": "GET",
                        "authorizationType": "NONE",
                        "requestParameters": {"method.request.querystring.limit": False},
                        "methodResponses": {"200": {"statusCode": "200"}},
                        "methodIntegration": {
                            "type": "HTTP",
                            "httpMethod": "GET",
                            "uri": "https://pets.example.com/pets",
                            "integrationResponses": {"200": {"statusCode": "200"}},
                        },
                    }
                },
            },
            {
                "id": "r2",
                "path": "/pets/{id}",
                "resourceMethods": {
                    "GET": {
                        "httpMethod": "GET",
                        "authorizationType": "NONE",
                        "requestParameters": {"method.request.path.id": True},
                        "methodResponses": {"200": {"statusCode": "200"}},
                        "methodIntegration": {
                            "type": "MOCK",
                            "requestTemplates": {"application/json": '{"statusCode": 200}'},
                            "integrationResponses": {"200": {"statusCode": "200"}},
                        },
                    }
                },
            },
        ]
    }
    rest = {"id": "a1", "name": "pets", "version": "1.0"}
    dump = write(tmp_path, "dump.json", page, rest)
    before = spec.stat().st_mtime_ns
    result = run("export", "--from-dump", str(dump), "--into", str(spec))
    assert result.exit_code == 0, result.output
    assert spec.read_text() == DOC and spec.stat().st_mtime_ns == before
    page["items"][0]["resourceMethods"]["GET"]["methodIntegration"]["timeoutInMillis"] = 900
    dump = write(tmp_path, "dump.json", page, rest)
    assert run("export", "--from-dump", str(dump), "--into", str(spec)).exit_code == 0
    assert "timeoutInMillis: 900" in spec.read_text()


def test_no_source_or_two_sources_is_a_usage_error(tmp_path: Path) -> None:
    a, _ = dump_files(tmp_path)
    assert run("export").exit_code == 2
    assert run("export", "--rest-api-id", "abc", "--from-dump", a).exit_code == 2


def test_an_unreadable_dump_exits_2_naming_E402(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    result = run("export", "--from-dump", str(bad))
    assert result.exit_code == 2
    assert "E402" in result.output
    assert run("export", "--from-dump", str(tmp_path / "missing.json")).exit_code == 2
