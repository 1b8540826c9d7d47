"""Running generated scripts with bash and the real aws CLI, and judging the API they leave.

Every `aws` the script runs is a wrapper on PATH that runs the aws CLI in process and records
each API call's parameters (botocore's `provide-client-params` event) as one JSON line: this
is how fields the emulator drops (`cacheKeyParameters`, `connectionId`, ...) are checked at the
request, and how idempotency is judged the way AWS would judge it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oas2gw.model import ApiModel, Integration, Method
from oas2gw.plan import BUILTIN_MODELS, Plan, Sub, resource_path

_WRAPPER = """\
#!{python}
import json, os, sys
from awscli.clidriver import create_clidriver

def main():
    log = os.environ["OAS2GW_CALL_LOG"]
    driver = create_clidriver()

    def record(params, model, **kwargs):
        entry = {{"service": model.service_model.service_name, "operation": model.name,
                  "params": params}}
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, default=str) + "\\n")

    driver.session.register("provide-client-params", record)
    return driver.main(sys.argv[1:])

sys.exit(main())
"""

#: What moto 5.2 drops from PutIntegration (read back empty); checked at the request instead.
MOTO_DROPS_INTEGRATION = {
    "cacheKeyParameters",
    "connectionId",
    "integrationTarget",
    "responseTransferMode",
}


def install_wrapper(directory: Path) -> Path:
    """An `aws` executable in `directory` that records calls; returns the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    wrapper = directory / "aws"
    wrapper.write_text(_WRAPPER.format(python=sys.executable), encoding="utf-8")
    wrapper.chmod(0o755)
    return directory


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    calls: list[dict[str, Any]]

    def operations(self) -> list[str]:
        return [c["operation"] for c in self.calls]

    def mutating(self) -> list[dict[str, Any]]:
        return [c for c in self.calls if not c["operation"].startswith("Get")]


def run_script(
    script: Path,
    env: Mapping[str, str],
    wrapper_dir: Path,
    args: tuple[str, ...] = (),
    cwd: Path | None = None,
) -> Run:
    log = script.with_suffix(f".calls{len(list(script.parent.glob('*.calls*')))}.jsonl")
    full = dict(os.environ)
    full.update(env)
    full["PATH"] = f"{wrapper_dir}{os.pathsep}{full.get('PATH', '')}"
    full["OAS2GW_CALL_LOG"] = str(log)
    done = subprocess.run(
        ["bash", str(script), *args],
        env=full,
        cwd=cwd or script.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    calls = []
    if log.exists():
        calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return Run(done.returncode, done.stdout, done.stderr, calls)


# --- the plan's calls versus the calls made ----------------------------------------------------


_RUNTIME = {
    "restApiId",
    "resourceId",
    "parentId",
    "authorizerId",
    "requestValidatorId",
    "StatementId",
    "SourceArn",
}
#: how a run-time REST API id inside a literal (a model schema's model URL) is compared
API_ID = "{restApiId}"


def literal_calls(plan: Plan) -> list[tuple[str, str, dict[str, Any]]]:
    """Each call the plan makes on an empty API, with its literal parameters only.

    A `Sub` of literals and the REST API id (a model schema referring to another model) counts
    as a literal, with `{restApiId}` standing for the id.
    """
    out: list[tuple[str, str, dict[str, Any]]] = []
    for step in plan.steps:
        if step.action == "delete_method":
            continue
        params = dict(step.params)
        for name, ref in step.refs.items():
            if isinstance(ref, Sub) and name not in _RUNTIME:
                params[name] = "".join(p if isinstance(p, str) else API_ID for p in ref.parts)
        out.append((step.service, step.operation, params))
    return out


def made_calls(run: Run) -> list[tuple[str, str, dict[str, Any]]]:
    """The calls a run made, less lookups and the parameters resolved at run time."""
    out = []
    for call in run.calls:
        if call["operation"].startswith("Get") and call["service"] == "apigateway":
            continue
        if call["operation"] == "GetCallerIdentity":
            continue
        api_id = call["params"].get("restApiId")
        params = {
            k: v.replace(api_id, API_ID) if api_id and isinstance(v, str) else v
            for k, v in call["params"].items()
            if k not in _RUNTIME
        }
        out.append((call["service"], call["operation"], params))
    return out


# --- the API read back versus the model ----------------------------------------------------------


def _drop_empty(data: Mapping[str, Any], keep: set[str] | None = None) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, {}, [], "") or (keep and k in keep)}


def expected_method(
    method: Method, default_validator: str | None, ids: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """The method as get-resources (embed=methods) reads it back, from the model alone."""
    out: dict[str, Any] = {
        "httpMethod": method.http_method,
        "authorizationType": method.authorization_type,
        "apiKeyRequired": method.api_key_required,
        "operationName": method.operation_name,
        "requestParameters": dict(method.request_parameters),
        "requestModels": dict(method.request_models),
        "authorizationScopes": list(method.authorization_scopes),
    }
    if method.authorizer:
        out["authorizerId"] = ids["authorizer"][method.authorizer]
    validator = method.request_validator or default_validator
    if validator:
        out["requestValidatorId"] = ids["request_validator"][validator]
    out["methodResponses"] = {
        r.status_code: _drop_empty(
            {
                "statusCode": r.status_code,
                "responseParameters": dict(r.response_parameters),
                "responseModels": dict(r.response_models),
            }
        )
        for r in method.responses
    }
    if method.integration is not None:
        out["methodIntegration"] = expected_integration(method.integration)
    return _drop_empty(out, keep={"apiKeyRequired"})


def expected_integration(integration: Integration) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": integration.type,
        "httpMethod": integration.http_method,
        "uri": integration.uri,
        "connectionType": integration.connection_type,
        "credentials": integration.credentials,
        "requestParameters": dict(integration.request_parameters),
        "requestTemplates": dict(integration.request_templates),
        "passthroughBehavior": integration.passthrough_behavior,
        "cacheNamespace": integration.cache_namespace,
        "contentHandling": integration.content_handling,
        "timeoutInMillis": integration.timeout_in_millis,
    }
    if integration.tls_config is not None:
        out["tlsConfig"] = integration.tls_config.model_dump(by_alias=True, exclude_none=True)
    out["integrationResponses"] = {
        r.status_code: _drop_empty(
            {
                "statusCode": r.status_code,
                "selectionPattern": r.selection_pattern,
                "responseParameters": dict(r.response_parameters),
                "responseTemplates": dict(r.response_templates),
                "contentHandling": r.content_handling,
            }
        )
        for r in integration.responses
    }
    return _drop_empty(out)


def _empty_templates(data: Mapping[str, Any]) -> dict[str, Any]:
    """API Gateway (and moto) read an empty mapping template back as null."""
    out = dict(data)
    for key in ("requestTemplates", "responseTemplates"):
        if isinstance(out.get(key), dict):
            out[key] = {k: "" if v is None else v for k, v in out[key].items()}
    return out


def actual_method(data: Mapping[str, Any]) -> dict[str, Any]:
    out = _drop_empty(data, keep={"apiKeyRequired"})
    out["methodResponses"] = {
        code: _drop_empty(r) for code, r in data.get("methodResponses", {}).items()
    }
    if not out["methodResponses"]:
        del out["methodResponses"]
    integration = data.get("methodIntegration")
    if integration:
        integ = _drop_empty(_empty_templates(integration))
        for dropped in MOTO_DROPS_INTEGRATION:
            integ.pop(dropped, None)
        integ["integrationResponses"] = {
            code: _drop_empty(_empty_templates(r))
            for code, r in integration.get("integrationResponses", {}).items()
        }
        out["methodIntegration"] = _drop_empty(integ)
    return out


def named_ids(client: Any, rest_api_id: str) -> dict[str, dict[str, str]]:
    return {
        "authorizer": {
            a["name"]: a["id"] for a in client.get_authorizers(restApiId=rest_api_id)["items"]
        },
        "request_validator": {
            v["name"]: v["id"]
            for v in client.get_request_validators(restApiId=rest_api_id)["items"]
        },
    }


def read_back_differences(model: ApiModel, client: Any, rest_api_id: str) -> list[str]:
    """Every way the API differs from the model: methods, integrations, responses, models."""
    pages = client.get_paginator("get_resources").paginate(restApiId=rest_api_id, embed=["methods"])
    resources = {r["path"]: r for page in pages for r in page["items"]}
    ids = named_ids(client, rest_api_id)
    problems: list[str] = []
    for resource in model.resources:
        path = resource_path(resource.path)
        found = resources.get(path)
        if found is None:
            problems.append(f"{path}: resource missing")
            continue
        for method in resource.methods:
            label = f"{method.http_method} {path}"
            data = found.get("resourceMethods", {}).get(method.http_method)
            if data is None:
                problems.append(f"{label}: method missing")
                continue
            want = expected_method(method, model.default_request_validator, ids)
            got = actual_method(data)
            if want != got:
                problems.append(f"{label}: expected {want!r}\n    read back {got!r}")
    names = {m["name"] for m in client.get_models(restApiId=rest_api_id)["items"]}
    for name in model.models:
        if name not in names and name not in BUILTIN_MODELS:
            problems.append(f"model {name} missing")
    return problems
