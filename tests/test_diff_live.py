"""diff against moto's server after the generated aws CLI script built the API there."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DUMMY_ENV
from typer.testing import CliRunner

from oas2gw.cli import app
from oas2gw.diff import diff_models, render_changes
from oas2gw.diff_sources import diff_sides
from oas2gw.emit.openapi import emit_openapi
from oas2gw.export.live import read_live_api
from oas2gw.model.types import (
    ApiModel,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
    Resource,
)

pytestmark = pytest.mark.e2e

#: moto 5.2 drops `version` from CreateRestApi and reports "V1" for every API; AWS keeps it
MOTO_DROPS = ("version",)

TEMPLATE = '{\n  "id": "$input.params(\'id\')",\n  "source": "api"\n}'


def petstore() -> ApiModel:
    """What the petstore sample holds that moto keeps on read-back."""
    ok = (MethodResponse(statusCode="200"), MethodResponse(statusCode="500"))
    replies = (
        IntegrationResponse(statusCode="200"),
        IntegrationResponse(
            statusCode="500",
            selectionPattern="5\\d{2}",
            responseTemplates={"application/json": '{"error": "$input.path(\'$.message\')"}'},
        ),
    )
    return ApiModel(
        name="diff-live",
        version="2024-05-01",
        requestValidators=(RequestValidator(name="params", validateRequestParameters=True),),
        resources=(
            Resource(
                path="/pets",
                methods=(
                    Method(
                        httpMethod="GET",
                        requestParameters={"method.request.querystring.limit": False},
                        responses=ok,
                        integration=Integration(
                            type="HTTP",
                            httpMethod="GET",
                            uri="https://petstore.example.com/pets",
                            timeoutInMillis=10000,
                            requestParameters={
                                "integration.request.querystring.limit": (
                                    "method.request.querystring.limit"
                                )
                            },
                            responses=replies,
                        ),
                    ),
                    Method(
                        httpMethod="POST",
                        requestValidator="params",
                        responses=ok,
                        integration=Integration(
                            type="MOCK",
                            requestTemplates={"application/json": TEMPLATE},
                            responses=replies,
                        ),
                    ),
                ),
            ),
            Resource(
                path="/pets/{id}",
                methods=(
                    Method(
                        httpMethod="GET",
                        requestParameters={"method.request.path.id": True},
                        responses=ok,
                        integration=Integration(
                            type="HTTP_PROXY",
                            httpMethod="GET",
                            uri="https://petstore.example.com/pets/{id}",
                            requestParameters={
                                "integration.request.path.id": "method.request.path.id"
                            },
                        ),
                    ),
                ),
            ),
        ),
    )


@dataclass(frozen=True)
class Live:
    model: ApiModel
    document: Path
    rest_api_id: str
    client: Any
    env: dict[str, str]

    def diff(self, *args: str) -> Any:
        """`oas2gw diff DOCUMENT apigateway:ID ...` with the emulator's environment."""
        side = f"apigateway:{self.rest_api_id}"
        ignore = [option for field in MOTO_DROPS for option in ("--ignore", field)]
        argv = ["diff", str(self.document), side, *ignore, *args]
        return CliRunner().invoke(app, argv, env=self.env)


def apply(document: Path, env: dict[str, str], rest_api_id: str) -> None:
    """`oas2gw import DOCUMENT -o import.sh`, then the script run with bash and the real aws
    CLI, as a user would."""
    script = document.parent / "import.sh"
    made = CliRunner().invoke(app, ["import", str(document), "-o", str(script)])
    assert made.exit_code == 0, made.output
    done = subprocess.run(
        ["bash", str(script), rest_api_id],
        env={**os.environ, **env},
        cwd=document.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def live(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> Live:
    """One API built by the script for the whole module: the script takes ~10 s on moto."""
    import boto3

    env = dict(DUMMY_ENV, AWS_ENDPOINT_URL=moto_server)
    client = boto3.client(
        "apigateway",
        region_name="us-east-1",
        endpoint_url=moto_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    model = petstore()
    document = tmp_path_factory.mktemp("diff-live") / "api.yaml"
    document.write_text(emit_openapi(model)[0], encoding="utf-8")
    rest_api_id = str(client.create_rest_api(name=str(model.name), version="2024-05-01")["id"])
    apply(document, env, rest_api_id)
    return Live(model, document, rest_api_id, client, env)


def resource_id(client: Any, rest_api_id: str, path: str) -> str:
    items = client.get_resources(restApiId=rest_api_id)["items"]
    return str(next(r["id"] for r in items if r["path"] == path))


def test_live_api_after_the_script_is_the_same_as_the_model(live: Live) -> None:
    read, diags = read_live_api(live.client, live.rest_api_id)
    assert read is not None, diags
    changes = diff_models(live.model, read, ignore=MOTO_DROPS)
    assert changes == [], render_changes(changes)


def test_diff_of_the_document_against_the_live_api_is_exit_0(live: Live) -> None:
    result = live.diff()
    assert result.exit_code == 0, result.output
    assert result.stdout == "no differences (3 methods compared)\n"


def test_integration_changed_by_hand_on_the_server_is_named(live: Live) -> None:
    """moto 5.2 has no UpdateIntegration, so the change by hand is a put-integration with one
    field changed, as `aws apigateway put-integration` typed at a terminal would make it."""
    where = {
        "restApiId": live.rest_api_id,
        "resourceId": resource_id(live.client, live.rest_api_id, "/pets/{id}"),
        "httpMethod": "GET",
    }
    same = {
        "type": "HTTP_PROXY",
        "integrationHttpMethod": "GET",
        "uri": "https://petstore.example.com/pets/{id}",
        "requestParameters": {"integration.request.path.id": "method.request.path.id"},
    }
    live.client.put_integration(**where, **same, timeoutInMillis=5000)
    try:
        result = live.diff()
        as_json = live.diff("--format", "json")
    finally:  # the other tests share the API
        live.client.put_integration(**where, **same)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "~ GET /pets/{id} integration.timeoutInMillis: 29000 -> 5000",
        "1 difference: 1 method changed",
    ]
    (change,) = json.loads(as_json.stdout)["changes"]
    assert (change["field"], change["old"], change["new"]) == (
        "integration.timeoutInMillis",
        29000,
        5000,
    )


def test_api_setting_patched_on_the_server_is_named(live: Live) -> None:
    """On an API of its own: the others share theirs, and a description once set stays set."""
    rest_api_id = str(live.client.create_rest_api(name="patched")["id"])
    before, _ = read_live_api(live.client, rest_api_id)
    patch = [{"op": "replace", "path": "/description", "value": "changed by hand"}]
    live.client.update_rest_api(restApiId=rest_api_id, patchOperations=patch)
    after, _ = read_live_api(live.client, rest_api_id)
    assert before is not None and after is not None
    changes = diff_models(before, after)
    assert render_changes(changes).splitlines() == [
        '+ API description: "changed by hand"',
        "1 difference: 1 API setting changed",
    ]
    assert diff_models(before, after, ignore=["description"]) == []


def test_diff_sides_reads_apigateway_prefix_with_the_given_client(live: Live) -> None:
    side = f"apigateway:{live.rest_api_id}"
    result = diff_sides(side, side, client=live.client)
    assert not result.failed and result.same
    assert result.compared == 3


def test_unknown_rest_api_is_one_error_and_no_model(live: Live) -> None:
    result = diff_sides("apigateway:nosuchapi0", "apigateway:nosuchapi0", client=live.client)
    assert result.failed
    assert {d.code for d in result.diagnostics} == {"E401"}
    assert all("\n" not in d.render() for d in result.diagnostics)


def test_saved_outputs_of_the_live_api_compare_equal_to_the_document(
    live: Live, tmp_path: Path
) -> None:
    """What `aws apigateway get-resources ... >> saved.json` and its siblings save, as docs/ci.md
    tells: the pages one after the other in one file."""
    calls = (
        live.client.get_resources(restApiId=live.rest_api_id, embed=["methods"]),
        live.client.get_authorizers(restApiId=live.rest_api_id),
        live.client.get_request_validators(restApiId=live.rest_api_id),
        live.client.get_rest_api(restApiId=live.rest_api_id),
    )
    saved = tmp_path / "saved.json"
    with saved.open("w", encoding="utf-8") as handle:
        for output in calls:
            output.pop("ResponseMetadata", None)
            handle.write(json.dumps(output, indent=4, default=str) + "\n")
    ignore = [option for field in MOTO_DROPS for option in ("--ignore", field)]
    result = CliRunner().invoke(app, ["diff", str(live.document), str(saved), *ignore])
    assert result.exit_code == 0, result.output
    assert "W404" not in result.stderr
