"""The generated bash script, run with bash and the real aws CLI against the emulator.

Each test gets a fresh REST API on the session's moto server, runs the script, reads the API
back with boto3 and compares every method, integration and integration response with the
model. What moto drops (`cacheKeyParameters`, `connectionId`, `integrationTarget`,
`responseTransferMode`) is checked in the requests the aws CLI made instead.
"""

from __future__ import annotations

import contextlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_files, requires_corpus, sample_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shell_harness import (
    Run,
    install_wrapper,
    literal_calls,
    made_calls,
    read_back_differences,
    run_script,
)

from oas2gw.emit.shell import render_shell
from oas2gw.model import (
    ApiModel,
    Authorizer,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
    Resource,
    TlsConfig,
)
from oas2gw.plan import Plan, PlanOptions, build_plan, resource_path

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"  # moto's account: its only acceptable `credentials` owner
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:pets"
LAMBDA_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FN}/invocations"


@pytest.fixture(scope="session")
def wrapper_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wrapper(tmp_path_factory.mktemp("bin"))


def rich_model() -> ApiModel:
    """Every kind of step: settings, models, validators, authorizers, nested resources."""
    return ApiModel(
        name="Rich",
        binary_media_types=("image/png",),
        api_key_source="HEADER",
        default_request_validator="params",
        request_validators=(
            RequestValidator(name="params", validate_request_parameters=True),
            RequestValidator(
                name="all", validate_request_body=True, validate_request_parameters=True
            ),
        ),
        authorizers=(
            Authorizer(
                name="token",
                type="TOKEN",
                authorizer_uri=LAMBDA_URI,
                identity_source="method.request.header.Authorization",
                authorizer_result_ttl_in_seconds=60,
            ),
        ),
        gateway_responses=(
            GatewayResponse(
                response_type="DEFAULT_4XX",
                status_code="400",
                response_templates={"application/json": '{"message":$context.error.messageString}'},
            ),
        ),
        models={"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
        resources=(
            Resource(
                path="/",
                methods=(
                    Method(
                        http_method="GET",
                        responses=(MethodResponse(status_code="200"),),
                        integration=Integration(
                            type="MOCK",
                            request_templates={"application/json": '{"statusCode": 200}'},
                            responses=(IntegrationResponse(status_code="200"),),
                        ),
                    ),
                ),
            ),
            Resource(
                path="/pets/{id}/toys",
                methods=(
                    Method(
                        http_method="POST",
                        authorization_type="CUSTOM",
                        authorizer="token",
                        api_key_required=True,
                        operation_name="addToy",
                        request_validator="all",
                        request_parameters={"method.request.path.id": True},
                        request_models={"application/json": "Pet"},
                        responses=(
                            MethodResponse(
                                status_code="201",
                                response_parameters={"method.response.header.Location": True},
                                response_models={"application/json": "Pet"},
                            ),
                            MethodResponse(status_code="400"),
                        ),
                        integration=Integration(
                            type="HTTP",
                            http_method="POST",
                            uri="https://toys.example.com/pets/{id}/toys",
                            connection_type="INTERNET",
                            credentials=f"arn:aws:iam::{ACCOUNT}:role/apigw",
                            request_parameters={
                                "integration.request.path.id": "method.request.path.id"
                            },
                            request_templates={
                                "application/json": "#set($b = $input.json('$'))\n{\"toy\": $b}"
                            },
                            passthrough_behavior="NEVER",
                            cache_namespace="toys",
                            cache_key_parameters=("method.request.path.id",),
                            content_handling="CONVERT_TO_TEXT",
                            timeout_in_millis=5000,
                            tls_config=TlsConfig(insecure_skip_verification=True),
                            responses=(
                                IntegrationResponse(
                                    status_code="201",
                                    selection_pattern="2\\d{2}",
                                    response_parameters={
                                        "method.response.header.Location": (
                                            "integration.response.header.Location"
                                        )
                                    },
                                    response_templates={"application/json": "$input.body"},
                                ),
                                IntegrationResponse(status_code="400", selection_pattern="4\\d{2}"),
                            ),
                        ),
                    ),
                    Method(
                        http_method="ANY",
                        integration=Integration(
                            type="AWS_PROXY", http_method="POST", uri=LAMBDA_URI
                        ),
                    ),
                ),
            ),
            Resource(
                path="/vpc",
                methods=(
                    Method(
                        http_method="GET",
                        integration=Integration(
                            type="HTTP_PROXY",
                            http_method="GET",
                            uri="http://internal.example.com/",
                            connection_type="VPC_LINK",
                            connection_id="abc123",
                        ),
                    ),
                    Method(http_method="DELETE"),  # no integration: method and responses only
                ),
            ),
        ),
    )


def run_plan(
    plan: Plan,
    tmp: Path,
    env: dict[str, str],
    wrapper: Path,
    rest_api_id: str,
    name: str = "import.sh",
    **render: Any,
) -> Run:
    script = render_shell(plan, **render)
    path = tmp / name
    path.write_text(script.text, encoding="utf-8")
    for file_name, text in script.files.items():
        (tmp / file_name).write_text(text, encoding="utf-8")
    return run_script(path, env, wrapper, (rest_api_id,))


def assert_ok(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-3000:]


def create_lambda_function() -> None:
    """The function the rich model's Lambda integration names, for `AddPermission`."""
    import boto3

    iam = boto3.client("iam", region_name="us-east-1")
    try:
        role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName="fn-role")["Role"]["Arn"]
    lam = boto3.client("lambda", region_name="us-east-1")
    with contextlib.suppress(lam.exceptions.ResourceConflictException):
        lam.create_function(
            FunctionName="pets",
            Runtime="python3.12",
            Role=role,
            Handler="x.h",
            Code={"ZipFile": b"PK\x05\x06" + b"\0" * 18},
        )


def test_second_run_gives_same_state_with_aws_style_requests(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path, apigw: Any, rest_api_id: str
) -> None:
    """Run 1 passes values as options, run 2 through `--cli-input-json` files: same calls."""
    create_lambda_function()
    model = rich_model()
    plan = build_plan(model, PlanOptions(deploy_stage="dev", lambda_permissions=True))
    first = run_plan(plan, tmp_path, aws_env, wrapper_dir, rest_api_id)
    assert_ok(first)
    assert read_back_differences(model, apigw, rest_api_id) == []
    # every literal the plan holds reached the API in the request (incl. what moto drops)
    assert made_calls(first) == literal_calls(plan)
    puts = {
        c["params"]["httpMethod"]: c["params"]
        for c in first.calls
        if c["operation"] == "PutIntegration"
    }
    assert puts["POST"]["cacheKeyParameters"] == ["method.request.path.id"]
    assert puts["GET"]["connectionId"] == "abc123"
    perms = [c["params"] for c in first.calls if c["operation"] == "AddPermission"]
    assert len(perms) == 1  # the ANY method; an authorizer's function is not a method
    assert perms[0]["SourceArn"] == (
        f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{rest_api_id}/*/*/pets/*/toys"
    )
    assert perms[0]["StatementId"].startswith(f"oas2gw-{rest_api_id}-ANY-pets-id-toys-")
    assert first.operations()[-1] == "CreateDeployment"
    assert apigw.get_stage(restApiId=rest_api_id, stageName="dev")["stageName"] == "dev"

    second = run_plan(
        plan, tmp_path, aws_env, wrapper_dir, rest_api_id, name="again.sh", cli_input_json=True
    )
    assert_ok(second)  # AddPermission's ResourceConflictException is "already done"
    assert read_back_differences(model, apigw, rest_api_id) == []
    ops = second.operations()
    # AWS-style idempotency: nothing is created twice, methods are deleted before re-put
    for created in ("CreateResource", "CreateModel", "CreateRequestValidator", "CreateAuthorizer"):
        assert created not in ops
    assert ops.count("UpdateRequestValidator") == 2 and ops.count("UpdateAuthorizer") == 1
    # each model that exists is given the document's schema: what the first run created with
    created = {
        c["params"]["name"]: c["params"]["schema"]
        for c in first.calls
        if c["operation"] == "CreateModel"
    }
    patched = {
        c["params"]["modelName"]: c["params"]["patchOperations"]
        for c in second.calls
        if c["operation"] == "UpdateModel"
    }
    assert created and patched == {
        name: [{"op": "replace", "path": "/schema", "value": schema}]
        for name, schema in created.items()
    }
    deleted: set[tuple[str, str]] = set()
    for call in second.calls:
        p = call["params"]
        if call["operation"] == "DeleteMethod":
            deleted.add((p["resourceId"], p["httpMethod"]))
        if call["operation"] in ("PutMethod", "PutMethodResponse"):
            assert (p["resourceId"], p["httpMethod"]) in deleted, call
    assert len(deleted) == model_method_count(model)
    skipped = {"CreateResource", "CreateModel", "CreateRequestValidator", "CreateAuthorizer"}
    instead = {"DeleteMethod", "UpdateRequestValidator", "UpdateAuthorizer", "UpdateModel"}
    assert [c for c in made_calls(second) if c[1] not in instead] == [
        c for c in literal_calls(plan) if c[1] not in skipped
    ]


def model_method_count(model: ApiModel) -> int:
    return len(model.iter_methods())


def test_script_completes_an_api_that_holds_part_of_the_document(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path, apigw: Any, rest_api_id: str
) -> None:
    model = rich_model()
    root = apigw.get_resources(restApiId=rest_api_id)["items"][0]["id"]
    pets = apigw.create_resource(restApiId=rest_api_id, parentId=root, pathPart="pets")["id"]
    apigw.put_method(
        restApiId=rest_api_id, resourceId=root, httpMethod="GET", authorizationType="AWS_IAM"
    )
    apigw.put_integration(restApiId=rest_api_id, resourceId=root, httpMethod="GET", type="MOCK")
    apigw.create_request_validator(restApiId=rest_api_id, name="all", validateRequestBody=False)
    run = run_plan(build_plan(model), tmp_path, aws_env, wrapper_dir, rest_api_id)
    assert_ok(run)
    assert read_back_differences(model, apigw, rest_api_id) == []
    created = [c["params"]["pathPart"] for c in run.calls if c["operation"] == "CreateResource"]
    assert created == ["{id}", "toys", "vpc"]
    parents = [c["params"]["parentId"] for c in run.calls if c["operation"] == "CreateResource"]
    assert parents[0] == pets
    deletes = [c["params"] for c in run.calls if c["operation"] == "DeleteMethod"]
    assert deletes == [{"restApiId": rest_api_id, "resourceId": root, "httpMethod": "GET"}]
    assert run.operations().count("CreateRequestValidator") == 1  # `params`; `all` updated


def schemas_sent(calls: list[dict[str, Any]]) -> dict[str, str]:
    """The schema each `UpdateModel` call sent, by model name (its one patch, checked)."""
    sent = {}
    for call in calls:
        if call["operation"] == "UpdateModel":
            [patch] = call["params"]["patchOperations"]
            assert patch["op"] == "replace" and patch["path"] == "/schema", patch
            sent[call["params"]["modelName"]] = patch["value"]
    return sent


def item_list_schema(rest_api_id: str, rest: str) -> str:
    url = f"https://apigateway.amazonaws.com/restapis/{rest_api_id}/models/Item"
    return '{"type":"array",' + rest + '"items":{"$ref":"' + url + '"}}'


def models_api(item: dict[str, Any], items: dict[str, Any]) -> ApiModel:
    """Two models, one referring to the other, used by a method."""
    method = Method(
        http_method="POST",
        request_models={"application/json": "ItemList"},
        integration=Integration(type="MOCK"),
    )
    ref = {"$ref": "#/components/schemas/Item"}
    return ApiModel(
        models={"Item": item, "ItemList": {**items, "items": ref}},
        resources=(Resource(path="/items", methods=(method,)),),
    )


@pytest.mark.parametrize("cli_input_json", [False, True])
def test_second_import_gives_existing_models_the_documents_schema(
    tmp_path: Path,
    aws_env: dict[str, str],
    wrapper_dir: Path,
    apigw: Any,
    rest_api_id: str,
    cli_input_json: bool,
) -> None:
    """A model of the name exists: `update-model` replaces its schema (the one that refers to
    another model with the REST API id spliced in at run time); a model left as it was would
    keep a schema the document no longer has."""
    before = models_api({"type": "object"}, {"type": "array"})
    after = models_api(
        {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        {"type": "array", "maxItems": 50},
    )
    for name, model in (("first.sh", before), ("second.sh", after)):
        run = run_plan(
            build_plan(model),
            tmp_path,
            aws_env,
            wrapper_dir,
            rest_api_id,
            name=name,
            cli_input_json=cli_input_json,
        )
        assert_ok(run)
    want = {
        "Item": '{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}}',
        "ItemList": item_list_schema(rest_api_id, '"maxItems":50,'),
    }
    assert schemas_sent(run.calls) == want
    assert "CreateModel" not in run.operations()
    held = {m: apigw.get_model(restApiId=rest_api_id, modelName=m)["schema"] for m in want}
    assert held == want
    assert read_back_differences(after, apigw, rest_api_id) == []


def test_missing_rest_api_id_is_usage_exit_2(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path
) -> None:
    path = tmp_path / "import.sh"
    path.write_text(render_shell(build_plan(rich_model())).text, encoding="utf-8")
    env = dict(aws_env)
    env.pop("REST_API_ID", None)
    run = run_script(path, env, wrapper_dir)
    assert run.returncode == 2
    assert "usage" in run.stderr and run.calls == []


def test_failing_step_is_named_and_exits_1(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path, rest_api_id: str
) -> None:
    # moto refuses credentials from another account, as AWS refuses a role it cannot pass
    model = ApiModel(
        resources=(
            Resource(
                path="/x",
                methods=(
                    Method(
                        http_method="PUT",
                        integration=Integration(
                            type="AWS",
                            http_method="POST",
                            uri="arn:aws:apigateway:us-east-1:sqs:path/1/q",
                            credentials="arn:aws:iam::999999999999:role/other",
                        ),
                    ),
                ),
            ),
        )
    )
    run = run_plan(build_plan(model), tmp_path, aws_env, wrapper_dir, rest_api_id)
    assert run.returncode == 1
    assert "step failed" in run.stderr and "PUT /x put-integration" in run.stderr


def test_baked_rest_api_id_wins_over_environment(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path, apigw: Any, rest_api_id: str
) -> None:
    model = ApiModel(resources=(Resource(path="/a"),))
    script = render_shell(build_plan(model), rest_api_id=rest_api_id)
    path = tmp_path / "baked.sh"
    path.write_text(script.text, encoding="utf-8")
    run = run_script(path, dict(aws_env, REST_API_ID="nope"), wrapper_dir, ("nope",))
    assert_ok(run)
    assert {c["params"]["restApiId"] for c in run.calls} == {rest_api_id}


# --- hostile strings ----------------------------------------------------------------------------

_FRAGMENTS = [
    "'",
    '"',
    "\\",
    "$(touch {canary})",
    "`touch {canary}`",
    "${{x}}",
    "${{stageVariables.x}}",
    "$HOME",
    "\n",
    "\t",
    " ",
    ";touch {canary};",
    "| touch {canary}",
    "&",
    "*",
    "!",
    "é",
    "日本",
    "🙂",
    "-",
    "--help",
    "file://{canary}",
    "%s",
    "{{",
    "}}",
    "]",
    "[",
    ",",
    "=",
    "#",
]


def hostile(canary: str) -> st.SearchStrategy[str]:
    pieces = [f.format(canary=canary) for f in _FRAGMENTS]
    return st.lists(
        st.one_of(st.sampled_from(pieces), st.text(alphabet="abcXYZ019", min_size=1, max_size=4)),
        min_size=1,
        max_size=6,
    ).map("".join)


def path_part() -> st.SearchStrategy[str]:
    """What API Gateway accepts in a path segment, leading dashes and colons included."""
    return st.from_regex(r"\A-{0,2}[a-zA-Z0-9._:-]{1,8}\Z", fullmatch=True)


CANARY = "/tmp/oas2gw-shell-canary"


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    segments=st.lists(path_part(), min_size=1, max_size=2, unique=True),
)
def test_hostile_strings_survive_the_script_exactly_and_nothing_runs(
    data: st.DataObject,
    segments: list[str],
    tmp_path_factory: pytest.TempPathFactory,
    aws_env: dict[str, str],
    wrapper_dir: Path,
    apigw: Any,
) -> None:
    text = hostile(CANARY)
    s = lambda: data.draw(text)  # noqa: E731
    validator = s()
    model = ApiModel(
        request_validators=(RequestValidator(name=validator, validate_request_body=True),),
        gateway_responses=(
            GatewayResponse(
                response_type="DEFAULT_5XX",
                response_parameters={"gatewayresponse.header.X": s()},
                response_templates={"application/json": s()},
            ),
        ),
        resources=(
            Resource(
                path="/" + "/".join(segments),
                methods=(
                    Method(
                        http_method="POST",
                        operation_name=s(),
                        request_validator=validator,
                        request_parameters={"method.request.header." + s(): True},
                        responses=(
                            MethodResponse(
                                status_code="200",
                                response_parameters={"method.response.header.X": False},
                            ),
                        ),
                        integration=Integration(
                            type="HTTP",
                            http_method="POST",
                            uri="https://example.com/" + s(),
                            credentials=f"arn:aws:iam::{ACCOUNT}:role/" + s(),
                            request_parameters={"integration.request.header.x": s()},
                            request_templates={s(): s(), "application/json": s()},
                            cache_namespace=s(),
                            cache_key_parameters=(s(),),
                            connection_id=s(),
                            responses=(
                                IntegrationResponse(
                                    status_code="200",
                                    selection_pattern=s(),
                                    response_parameters={"method.response.header.X": s()},
                                    response_templates={"application/json": s()},
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    tmp = tmp_path_factory.mktemp("hostile")
    rest_api_id = apigw.create_rest_api(name="hostile")["id"]
    plan = build_plan(model)
    run = run_plan(plan, tmp, aws_env, wrapper_dir, rest_api_id)
    assert not os.path.exists(CANARY), "a value from the document was executed"
    assert not list(tmp.glob("*touch*"))
    assert_ok(run)
    assert made_calls(run) == literal_calls(plan)
    assert read_back_differences(model, apigw, rest_api_id) == []
    validators = apigw.get_request_validators(restApiId=rest_api_id)["items"]
    assert [v["name"] for v in validators] == [validator]


# --- samples and corpus -------------------------------------------------------------------------


#: OpenAPI structure findings that leave the model complete: such documents are imported.
TOLERATED = {"E203"}
#: CloudFormation pseudo parameters, as they would be in moto's account.
PSEUDO = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": "aws",
    "AWS::StackName": "stack",
    "AWS::URLSuffix": "amazonaws.com",
}
_VAR = re.compile(r"--var ([^\s=]+)=VALUE")


def supplied_value(name: str) -> str:
    """A plausible value for a template variable, as a user would pass with `--var`."""
    base = re.sub(r"[^A-Za-z0-9]", "", name.split(".")[0]) or "x"
    lowered = name.lower()
    if "uri" in lowered and "lambda" in lowered:
        return LAMBDA_URI
    if name.endswith(".Arn") and "role" in lowered:
        return f"arn:aws:iam::{ACCOUNT}:role/{base}"
    if name.endswith(".Arn"):
        return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{base}"
    return base.lower()[:30]


def loadable(path: Path) -> ApiModel | None:
    """The document's REST API model with its template variables supplied, or None.

    Variables the reader asks for (`supply --var NAME=VALUE`) get plausible values, as the
    user would pass them; documents with errors beyond `TOLERATED` are not imported.
    """
    from oas2gw import api
    from oas2gw.read import ReadOptions

    variables = dict(PSEUDO)
    for _ in range(3):
        try:
            result = api.load(path, options=ReadOptions(variables=variables))
        except Exception as exc:  # the reader stage is still being built
            pytest.skip(f"documents cannot be loaded yet: {type(exc).__name__}: {exc}")
        wanted = {n for d in result.diagnostics for n in _VAR.findall(d.message)}
        if not wanted - set(variables):
            break
        variables.update({n: supplied_value(n) for n in wanted})
    codes = {d.code for d in result.diagnostics if d.is_error}
    if result.model is None or not result.model.resources or codes - TOLERATED:
        return None
    return result.model


def planned_part(model: ApiModel, plan: Plan) -> ApiModel:
    """The model less the methods `--force` left out."""
    kept = {s.label for s in plan.steps if s.operation == "PutMethod"}
    resources = tuple(
        r.model_copy(
            update={
                "methods": tuple(
                    m for m in r.methods if f"{m.http_method} {resource_path(r.path)}" in kept
                )
            }
        )
        for r in model.resources
    )
    return model.model_copy(update={"resources": resources})


def import_and_compare(
    path: Path, tmp: Path, env: dict[str, str], wrapper: Path, client: Any, twice: bool
) -> tuple[list[str], int]:
    """Problems found, and how many methods were imported."""
    model = loadable(path)
    if model is None:
        return [], 0
    plan = build_plan(model, PlanOptions(force=True))
    model = planned_part(model, plan)
    rest_api_id = client.create_rest_api(name=path.stem[:100])["id"]
    problems: list[str] = []
    for attempt in range(2 if twice else 1):
        run = run_plan(plan, tmp, env, wrapper, rest_api_id, name=f"{path.stem[:80]}.sh")
        if run.returncode != 0:
            return [f"{path.name} run {attempt + 1}: exit {run.returncode}: {run.stderr[-800:]}"], 0
        if attempt == 0 and made_calls(run) != literal_calls(plan):
            problems.append(f"{path.name}: requests differ from the plan")
        problems += [f"{path.name}: {p}" for p in read_back_differences(model, client, rest_api_id)]
    return problems, plan.method_count


def import_all(
    paths: list[Path], tmp: Path, env: dict[str, str], wrapper: Path, client: Any, twice: set[str]
) -> tuple[list[str], dict[str, int]]:
    """Import documents side by side (the aws CLI's start-up dominates); problems, methods."""

    def one(path: Path) -> tuple[list[str], int]:
        where = tmp / f"{paths.index(path):03d}-{path.stem[:60]}"
        where.mkdir()
        return import_and_compare(path, where, env, wrapper, client, path.name in twice)

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(one, paths))
    problems = [p for found, _ in results for p in found]
    return problems, {p.name: n for p, (_, n) in zip(paths, results, strict=True)}


def test_samples_import_exactly(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path, apigw: Any
) -> None:
    samples = sample_files()
    if not samples:
        pytest.skip("no samples/")
    problems, methods = import_all(
        samples, tmp_path, aws_env, wrapper_dir, apigw, twice=set()
    )  # a second run is the rich model's test: each run costs ~0.4 s of CPU per call
    assert problems == [], "\n".join(problems)
    assert all(methods.values()), methods


@requires_corpus
def test_corpus_documents_import_exactly(
    tmp_path: Path, aws_env: dict[str, str], wrapper_dir: Path, apigw: Any
) -> None:
    problems, methods = import_all(corpus_files(), tmp_path, aws_env, wrapper_dir, apigw, set())
    assert problems == [], "\n".join(problems)
    imported = sum(1 for n in methods.values() if n)
    assert imported >= 5, f"only {imported} corpus documents could be imported: {methods}"
