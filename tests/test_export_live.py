"""Export from a live API: a model made true on moto's server by the generated CLI script, read
back with `read_live_api`, equals the model after normalisation (emulator gaps named)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import DUMMY_ENV, sample_files
from deepdiff import DeepDiff
from test_export_openapi import rich_model

from oas2gw.emit.openapi import emit_openapi
from oas2gw.emit.shell import render_shell
from oas2gw.export.command import export_api
from oas2gw.export.live import read_live_api
from oas2gw.model.normalize import normalize
from oas2gw.model.types import ApiModel, Integration
from oas2gw.plan import build_plan

#: PutIntegration members moto 5.2 drops (read back empty); AWS keeps them
MOTO_DROPS = {
    "cache_key_parameters": (),
    "connection_id": None,
    "integration_target": None,
    "response_transfer_mode": None,
}


def apply_with_script(model: ApiModel, rest_api_id: str, tmp: Path, env: dict[str, str]) -> None:
    """Make `model` true on the emulator the way a user would: the generated bash script."""
    script = render_shell(build_plan(model), rest_api_id=rest_api_id)
    path = tmp / "import.sh"
    path.write_text(script.text, encoding="utf-8")
    for name, text in script.files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["bash", str(path)],
        env={**os.environ, **env},
        cwd=tmp,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def as_moto_keeps(model: ApiModel) -> ApiModel:
    """`model` less what moto drops, so that the rest can be compared exactly."""

    def integration(i: Integration | None) -> Integration | None:
        return i.model_copy(update=MOTO_DROPS) if i is not None else None

    resources = tuple(
        r.model_copy(
            update={
                "methods": tuple(
                    m.model_copy(update={"integration": integration(m.integration)})
                    for m in r.methods
                )
            }
        )
        for r in model.resources
    )
    # moto's CreateAuthorizer drops identityValidationExpression (a misspelt parameter)
    authorizers = tuple(
        a.model_copy(update={"identity_validation_expression": None}) for a in model.authorizers
    )
    return model.model_copy(update={"resources": resources, "authorizers": authorizers})


def differences(got: ApiModel, want: ApiModel) -> dict[str, Any]:
    """deepdiff of the two normalised models: empty when they agree."""
    return dict(
        DeepDiff(
            normalize(want).model_dump(by_alias=True), normalize(got).model_dump(by_alias=True)
        )
    )


def scriptable(model: ApiModel) -> ApiModel:
    """The rich model without the API-level settings the import script does not set (they are
    `create-rest-api` / `update-rest-api` business, not the script's)."""
    return model.model_copy(
        update={
            "binary_media_types": (),
            "api_key_source": None,
            "minimum_compression_size": None,
            "endpoint_configuration": None,
            "policy": None,
            "disable_execute_api_endpoint": None,
            "documentation": None,
            "description": None,
            "default_request_validator": None,
        }
    )


@pytest.fixture(scope="module")
def scripted(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    """One API made by the script from the rich model, shared by the tests that only read it."""
    import boto3

    env = dict(DUMMY_ENV, AWS_ENDPOINT_URL=moto_server)
    client = boto3.client(
        "apigateway",
        region_name="us-east-1",
        endpoint_url=moto_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    rest_api_id = str(client.create_rest_api(name="scripted")["id"])
    apply_with_script(scriptable(rich_model()), rest_api_id, tmp_path_factory.mktemp("s"), env)
    return client, rest_api_id


def test_a_scripted_api_exports_back_to_its_model(scripted: tuple[Any, str]) -> None:
    apigw, rest_api_id = scripted
    model = scriptable(rich_model())
    exported, diags = read_live_api(apigw, rest_api_id)
    assert exported is not None
    # moto has no documentation parts API: the one part that may be missing
    assert [d.code for d in diags] == ["W405"]
    expected = as_moto_keeps(model).model_copy(update={"name": exported.name, "version": "V1"})
    # moto gives every API version "V1"; AWS gives none unless set
    assert differences(exported, expected) == {}


def test_export_api_from_a_live_api_gives_the_emitted_text(scripted: tuple[Any, str]) -> None:
    apigw, rest_api_id = scripted
    first = export_api(rest_api_id=rest_api_id, client=apigw)
    second = export_api(rest_api_id=rest_api_id, client=apigw)
    assert first.text is not None and first.text == second.text
    assert first.model is not None
    assert first.text == emit_openapi(first.model)[0]


def test_keep_defaults_shows_what_api_gateway_filled_in(scripted: tuple[Any, str]) -> None:
    apigw, rest_api_id = scripted
    kept, _ = read_live_api(apigw, rest_api_id, keep_defaults=True)
    assert kept is not None
    assert kept.api_key_source == "HEADER"
    assert kept.endpoint_configuration == {"types": ["EDGE"]}


def test_an_unknown_rest_api_is_E401(apigw: Any) -> None:
    model, diags = read_live_api(apigw, "nosuchapi1")
    assert model is None
    assert [d.code for d in diags] == ["E401"]
    assert "nosuchapi1" in diags[0].message


class PagedClient:
    """An injected stand-in for the boto3 client, serving items two per page."""

    def __init__(self, items: dict[str, list[dict[str, Any]]]) -> None:
        self.items = items
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def get_rest_api(self, restApiId: str) -> dict[str, Any]:
        return {"id": restApiId, "name": "paged"}

    def _page(self, name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((name, kwargs))
        start = int(kwargs.get("position", 0))
        items = self.items.get(name, [])
        page: dict[str, Any] = {"items": items[start : start + 2]}
        if start + 2 < len(items):
            page["position"] = str(start + 2)
        return page

    def __getattr__(self, name: str) -> Any:
        if name.startswith("get_"):
            return lambda **kwargs: self._page(name, kwargs)
        raise AttributeError(name)


def test_every_list_is_read_to_its_last_page() -> None:
    resources = [
        {
            "id": f"r{i}",
            "path": f"/p{i}",
            "resourceMethods": {"GET": {"httpMethod": "GET", "authorizationType": "NONE"}},
        }
        for i in range(5)
    ]
    validators = [{"id": f"v{i}", "name": f"v{i}"} for i in range(3)]
    client = PagedClient({"get_resources": resources, "get_request_validators": validators})
    model, _ = read_live_api(client, "api1")
    assert model is not None
    assert [r.path for r in model.resources] == [f"/p{i}" for i in range(5)]
    assert [v.name for v in model.request_validators] == ["v0", "v1", "v2"]
    positions = [c[1].get("position") for c in client.calls if c[0] == "get_resources"]
    assert positions == [None, "2", "4"]
    assert all(c[1]["embed"] == ["methods"] for c in client.calls if c[0] == "get_resources")


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_sample_applied_exports_back_to_its_model(
    sample: Path, apigw: Any, rest_api_id: str
) -> None:
    """The samples go in through `apply` (the same plan as the script, in process: the script
    itself is run on every sample by the shell tests and on the rich model above)."""
    from oas2gw.api import load
    from oas2gw.applier import apply

    result = load(sample)
    assert result.model is not None
    model = scriptable(result.model)
    report = apply(model, apigw, rest_api_id)
    assert report.failure is None and not [d for d in report.diagnostics if d.is_error]
    exported, _ = read_live_api(apigw, rest_api_id)
    assert exported is not None
    expected = as_moto_keeps(model).model_copy(update={"name": exported.name, "version": "V1"})
    # AWS makes the models Empty and Error with every API, so the plan never creates them;
    # moto makes neither, so a document's own Empty or Error is not there to read back
    builtin = {name: s for name, s in expected.models.items() if name not in ("Empty", "Error")}
    expected = expected.model_copy(update={"models": builtin})
    assert differences(exported, expected) == {}


def test_the_cli_exports_a_live_api_from_the_environment(
    scripted: tuple[Any, str], aws_env: dict[str, str]
) -> None:
    from typer.testing import CliRunner

    from oas2gw.cli import app

    apigw, rest_api_id = scripted
    result = CliRunner().invoke(app, ["export", "--rest-api-id", rest_api_id])
    assert result.exit_code == 0, result.output
    model, _ = read_live_api(apigw, rest_api_id)
    assert model is not None
    assert result.stdout == emit_openapi(model)[0]
    missing = CliRunner().invoke(app, ["export", "--rest-api-id", "nosuchapi1"])
    assert missing.exit_code == 2 and "E401" in missing.output
