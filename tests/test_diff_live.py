"""diff against moto's server after the generated aws CLI script built the API there."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import DUMMY_ENV

from oas2gw.diff import diff_models, render_changes
from oas2gw.diff_sources import diff_sides
from oas2gw.emit.shell import render_shell
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
from oas2gw.plan import build_plan

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


def apply(model: ApiModel, tmp: Path, env: dict[str, str], rest_api_id: str) -> None:
    """Run the generated script with bash and the real aws CLI, as a user would."""
    script = render_shell(build_plan(model))
    path = tmp / "import.sh"
    path.write_text(script.text, encoding="utf-8")
    for name, text in script.files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["bash", str(path), rest_api_id],
        env={**os.environ, **env},
        cwd=tmp,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def live(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[ApiModel, str, Any]:
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
    rest_api_id = str(client.create_rest_api(name=str(model.name), version="2024-05-01")["id"])
    apply(model, tmp_path_factory.mktemp("diff-live"), env, rest_api_id)
    return model, rest_api_id, client


def resource_id(client: Any, rest_api_id: str, path: str) -> str:
    items = client.get_resources(restApiId=rest_api_id)["items"]
    return str(next(r["id"] for r in items if r["path"] == path))


def test_live_api_after_the_script_is_the_same_as_the_model(
    live: tuple[ApiModel, str, Any],
) -> None:
    model, rest_api_id, client = live
    read, diags = read_live_api(client, rest_api_id)
    assert read is not None, diags
    changes = diff_models(model, read, ignore=MOTO_DROPS)
    assert changes == [], render_changes(changes)


def test_integration_changed_by_hand_on_the_server_is_named(
    live: tuple[ApiModel, str, Any],
) -> None:
    """moto 5.2 has no UpdateIntegration, so the change by hand is a put-integration with one
    field changed, as `aws apigateway put-integration` typed at a terminal would make it."""
    model, rest_api_id, client = live
    where = {
        "restApiId": rest_api_id,
        "resourceId": resource_id(client, rest_api_id, "/pets/{id}"),
        "httpMethod": "GET",
    }
    same = {
        "type": "HTTP_PROXY",
        "integrationHttpMethod": "GET",
        "uri": "https://petstore.example.com/pets/{id}",
        "requestParameters": {"integration.request.path.id": "method.request.path.id"},
    }
    client.put_integration(**where, **same, timeoutInMillis=5000)
    try:
        read, _ = read_live_api(client, rest_api_id)
    finally:  # the other tests share the API
        client.put_integration(**where, **same)
    assert read is not None
    assert render_changes(diff_models(model, read, ignore=MOTO_DROPS)).splitlines() == [
        "~ GET /pets/{id} integration.timeoutInMillis: 29000 -> 5000",
        "1 difference: 1 method changed",
    ]


def test_api_setting_patched_on_the_server_is_named(live: tuple[ApiModel, str, Any]) -> None:
    model, rest_api_id, client = live
    patch = [{"op": "replace", "path": "/description", "value": "changed by hand"}]
    client.update_rest_api(restApiId=rest_api_id, patchOperations=patch)
    try:
        read, _ = read_live_api(client, rest_api_id)
    finally:
        patch[0]["value"] = ""
        client.update_rest_api(restApiId=rest_api_id, patchOperations=patch)
    assert read is not None
    changes = diff_models(model, read, ignore=MOTO_DROPS)
    assert render_changes(changes).splitlines()[0] == '+ API description: "changed by hand"'
    assert diff_models(model, read, ignore=[*MOTO_DROPS, "description"]) == []


def test_diff_sides_reads_apigateway_prefix_with_the_given_client(
    live: tuple[ApiModel, str, Any],
) -> None:
    _, rest_api_id, client = live
    result = diff_sides(f"apigateway:{rest_api_id}", f"apigateway:{rest_api_id}", client=client)
    assert not result.failed and result.same
    assert result.compared == 3


def test_unknown_rest_api_is_one_error_and_no_model(live: tuple[ApiModel, str, Any]) -> None:
    result = diff_sides("apigateway:nosuchapi0", "apigateway:nosuchapi0", client=live[2])
    assert result.failed
    assert {d.code for d in result.diagnostics} == {"E401"}
    assert all("\n" not in d.render() for d in result.diagnostics)
