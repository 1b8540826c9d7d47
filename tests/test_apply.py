"""`apply`: the plan run in process through an injected boto3 client, comparing before it puts.

Against the emulator: the API read back equals the document, a second run changes nothing that
AWS would keep (moto drops a few fields, so those methods are put again), a dry run calls no
mutating operation, a run cut short by a dropped connection is completed by the next one, and
throttling is retried by botocore. `Stubber` checks the exact parameters of every call.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, NoRegionError
from botocore.stub import Stubber
from conftest import _free_port, corpus_files, requires_corpus, sample_files
from shell_harness import MOTO_DROPS_INTEGRATION, read_back_differences
from test_shell_e2e import create_lambda_function, loadable, models_api, rich_model

from oas2gw.applier import ApplyReport, TerminalProgress, apply, units_of
from oas2gw.aws import Pacer, describe_failure, make_client, redact, retry_config
from oas2gw.model import (
    ApiModel,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    Resource,
)
from oas2gw.plan import Plan, PlanError, PlanOptions, Ref, Sub, build_plan

UNPACED = Pacer.unpaced()
MUTATING = ("Create", "Put", "Update", "Delete", "Add")


def recorded(client: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every call `client` makes from now on, as (operation, parameters)."""
    calls: list[tuple[str, dict[str, Any]]] = []
    client.meta.events.register(
        "provide-client-params.apigateway.*",
        lambda params, model, **_: calls.append((model.name, dict(params))),
    )
    return calls


def moto_kept(model: ApiModel) -> set[str]:
    """The methods whose every field moto keeps: a second run must leave them unchanged."""
    kept = set()
    for resource, method in model.iter_methods():
        integration = method.integration
        dropped = integration is not None and any(
            getattr(integration, name) not in (None, (), {})
            for name, field in Integration.model_fields.items()
            if (field.alias or name) in MOTO_DROPS_INTEGRATION
        )
        if not dropped:
            path = "/" + "/".join(s for s in resource.path.split("/") if s)
            kept.add(f"{method.http_method} {path}")
    return kept


def apply_twice_and_compare(model: ApiModel, client: Any, name: str) -> list[str]:
    rest_api_id = client.create_rest_api(name=name[:100])["id"]
    first = apply(model, client, rest_api_id, pacer=UNPACED)
    if not first.ok:
        return [f"{name}: {first.render()}"]
    problems = [f"{name}: {p}" for p in read_back_differences(model, client, rest_api_id)]
    calls = recorded(client)
    second = apply(model, client, rest_api_id, pacer=UNPACED)
    made = [op for op, _ in calls]
    if any(op.startswith("Create") for op in made):
        problems.append(f"{name}: second run created {made}")
    models = [c.label for c in second.changes if c.kind == "model" and c.action != "unchanged"]
    if models:  # the document's schema and the one read back compare equal once normalised
        problems.append(f"{name}: second run updated {models}")
    changed = {c.label for c in second.changes if c.kind == "method" and c.action != "unchanged"}
    if changed & moto_kept(model):
        problems.append(f"{name}: second run changed {sorted(changed & moto_kept(model))}")
    problems += [f"{name}: {p}" for p in read_back_differences(model, client, rest_api_id)]
    return problems


# --- against the emulator ---------------------------------------------------------------------


def test_rich_model_applies_exactly_and_a_second_run_changes_only_what_moto_drops(
    apigw: Any,
) -> None:
    assert apply_twice_and_compare(rich_model(), apigw, "rich") == []


def test_a_changed_schema_updates_the_existing_model_and_only_that(apigw: Any) -> None:
    rest_api_id = apigw.create_rest_api(name="models")["id"]
    before = models_api({"type": "object"}, {"type": "array"})
    after = models_api({"type": "object"}, {"type": "array", "maxItems": 5})
    assert apply(before, apigw, rest_api_id, pacer=UNPACED).ok
    calls = recorded(apigw)
    report = apply(after, apigw, rest_api_id, pacer=UNPACED)
    assert report.ok, report.render()
    models = {c.label: (c.action, c.fields) for c in report.changes if c.kind == "model"}
    assert models == {"model Item": ("unchanged", ()), "model ItemList": ("update", ("schema",))}
    url = f"https://apigateway.amazonaws.com/restapis/{rest_api_id}/models/Item"
    want = '{"type":"array","maxItems":5,"items":{"$ref":"' + url + '"}}'
    sent = [params for op, params in calls if op == "UpdateModel"]
    assert sent == [
        {
            "restApiId": rest_api_id,
            "modelName": "ItemList",
            "patchOperations": [{"op": "replace", "path": "/schema", "value": want}],
        }
    ]
    assert apigw.get_model(restApiId=rest_api_id, modelName="ItemList")["schema"] == want
    again = apply(after, apigw, rest_api_id, pacer=UNPACED)
    assert all(c.action == "unchanged" for c in again.changes if c.kind == "model")


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_sample_applies_exactly_twice(sample: Any, apigw: Any) -> None:
    model = loadable(sample)
    if model is None:
        pytest.skip("the sample has errors")
    assert apply_twice_and_compare(model, apigw, sample.stem) == []


#: Corpus documents that load cleanly but that API Gateway refuses in this account, as AWS
#: would: each must fail with exactly this one line.
REFUSED = {
    "apigw-openapi-lambda-dynamodb-xray-terraform": (
        "rejected",
        "POST /customers: put_integration: PutIntegration failed: BadRequestException "
        "(Invalid ARN specified in the request)",  # uri is a Terraform placeholder ${...}
    ),
    "apigw-sns-sms": (
        "access-denied",
        "POST /: put_integration: access denied to apigateway:PutIntegration (Cross-account "
        "pass role is not allowed.); the credentials in use need that permission",
    ),
}


@requires_corpus
def test_corpus_documents_apply_exactly(apigw: Any) -> None:
    problems: list[str] = []
    applied = 0
    for path in corpus_files():
        model = loadable(path)
        try:
            build_plan(model) if model is not None else None
        except PlanError:  # unresolved intrinsics: no script could send it either
            continue
        if model is None:
            continue
        applied += 1
        refused = next((v for k, v in REFUSED.items() if k in path.name), None)
        if refused is not None:  # refused where the emulator checks it, else imported as any
            report = apply(model, apigw, apigw.create_rest_api(name="r")["id"], pacer=UNPACED)
            if report.failure is not None:
                assert (report.failure.kind, report.failure.message) == refused
                continue
        problems += apply_twice_and_compare(model, apigw, path.stem)
    assert problems == []
    assert applied >= 1  # the corpus holds REST APIs that load without errors


def test_summary_counts_created_updated_unchanged(apigw: Any, rest_api_id: str) -> None:
    model = small_model()
    first = apply(model, apigw, rest_api_id, pacer=UNPACED)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert first.summary().startswith("methods: 3 created, 0 updated, 0 unchanged")
    changed = small_model(timeout=1234)
    second = apply(changed, apigw, rest_api_id, pacer=UNPACED)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 2)
    [update] = [c for c in second.changes if c.action == "update"]
    assert update.label == "GET /a/b" and update.fields == ("integration.timeoutInMillis",)
    assert "update    GET /a/b (integration.timeoutInMillis)" in second.render()


def small_model(timeout: int = 5000) -> ApiModel:
    """Three methods with nothing moto drops, so that unchanged means unchanged."""

    def mock(code: str) -> Integration:
        return Integration(
            type="MOCK",
            request_templates={"application/json": f'{{"statusCode": {code}}}'},
            responses=(IntegrationResponse(status_code=code),),
        )

    return ApiModel(
        resources=(
            Resource(
                path="/a",
                methods=(
                    Method(
                        http_method="POST",
                        responses=(MethodResponse(status_code="201"),),
                        integration=mock("201"),
                    ),
                ),
            ),
            Resource(
                path="/a/b",
                methods=(
                    Method(
                        http_method="GET",
                        responses=(MethodResponse(status_code="200"),),
                        integration=Integration(
                            type="HTTP",
                            http_method="GET",
                            uri="https://example.com/b",
                            timeout_in_millis=timeout,
                        ),
                    ),
                    Method(
                        http_method="DELETE",
                        responses=(MethodResponse(status_code="204"),),
                        integration=mock("204"),
                    ),
                ),
            ),
        )
    )


def test_dry_run_calls_no_mutating_operation_and_says_what_would_change(
    apigw: Any, rest_api_id: str
) -> None:
    calls = recorded(apigw)
    report = apply(rich_model(), apigw, rest_api_id, dry_run=True, pacer=UNPACED)
    assert report.ok and report.dry_run
    assert calls and all(not op.startswith(MUTATING) for op, _ in calls), calls
    assert report.calls == [op for op, _ in calls]  # the report saw every call, reads included
    assert report.created == len(rich_model().iter_methods())
    assert report.applied == [] and "POST /pets/{id}/toys" in report.not_applied
    assert "dry run: nothing was changed" in report.summary()
    assert len(apigw.get_resources(restApiId=rest_api_id)["items"]) == 1  # the root only


class DropsConnection:
    """A client whose connection drops at the `nth` call of `operation` (once)."""

    def __init__(self, client: Any, operation: str, nth: int) -> None:
        self.client, self.operation, self.left = client, operation, nth

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if name != self.operation:
            return attribute

        def call(**params: Any) -> Any:
            self.left -= 1
            if self.left == 0:
                raise EndpointConnectionError(endpoint_url="https://apigateway.example")
            return attribute(**params)

        return call


def test_partial_failure_reports_what_was_applied_and_a_second_run_completes(
    apigw: Any, rest_api_id: str
) -> None:
    model = small_model()
    flaky = DropsConnection(apigw, "put_integration", nth=2)
    first = apply(model, flaky, rest_api_id, pacer=UNPACED)
    assert not first.ok and first.failure is not None
    assert first.failure.kind == "connection"
    assert first.failure.message.startswith("GET /a/b: put_integration: could not reach")
    assert "POST /a" in first.applied
    assert first.not_applied == ["GET /a/b", "DELETE /a/b"]
    assert "not applied: DELETE /a/b" in first.render()

    second = apply(model, apigw, rest_api_id, pacer=UNPACED)
    assert second.ok, second.render()
    actions = {c.label: c.action for c in second.changes if c.kind == "method"}
    assert actions == {"POST /a": "unchanged", "GET /a/b": "update", "DELETE /a/b": "create"}
    assert read_back_differences(model, apigw, rest_api_id) == []


class Throttle:
    """Answers the first `times` sends of an operation with 429 TooManyRequestsException."""

    def __init__(self, times: int) -> None:
        self.left = times
        self.sent = 0

    def __call__(self, request: Any, **_: Any) -> AWSResponse | None:
        if self.left == 0:
            return None
        self.left -= 1
        self.sent += 1
        body = b'{"message": "Too Many Requests"}'

        class Raw:
            def stream(self, **_: Any) -> Iterator[bytes]:
                yield body

        headers = {
            "x-amzn-ErrorType": "TooManyRequestsException",
            "Content-Type": "application/json",
        }
        return AWSResponse(request.url, 429, headers, Raw())


def throttled_client(endpoint: str, attempts: int, throttle: Throttle) -> Any:
    config = Config(retries={"mode": "adaptive", "total_max_attempts": attempts})
    client = boto3.client(
        "apigateway", region_name="us-east-1", endpoint_url=endpoint, config=config
    )
    client.meta.events.register("before-send.apigateway.PutMethod", throttle)
    return client


def test_throttling_is_retried_by_botocore_and_the_run_recovers(
    aws_env: dict[str, str], apigw: Any, rest_api_id: str
) -> None:
    throttle = Throttle(times=2)
    client = throttled_client(aws_env["AWS_ENDPOINT_URL"], attempts=5, throttle=throttle)
    report = apply(small_model(), client, rest_api_id, pacer=UNPACED)
    assert report.ok, report.render()
    assert throttle.sent == 2 and throttle.left == 0
    assert read_back_differences(small_model(), apigw, rest_api_id) == []


def test_throttling_past_the_retries_is_one_clear_line(
    aws_env: dict[str, str], rest_api_id: str
) -> None:
    throttle = Throttle(times=100)
    client = throttled_client(aws_env["AWS_ENDPOINT_URL"], attempts=2, throttle=throttle)
    report = apply(small_model(), client, rest_api_id, pacer=UNPACED)
    assert report.failure is not None and report.failure.kind == "throttled"
    assert report.failure.message == (
        "POST /a: put_method: API Gateway kept throttling PutMethod after 2 attempts "
        "(TooManyRequestsException); wait a minute and run again"
    )
    assert "\n" not in report.failure.message


# --- AWS failures as one line -------------------------------------------------------------------

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def stubbed(error_code: str, status: int, message: str) -> Any:
    client = boto3.client(
        "apigateway",
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    stubber = Stubber(client)
    stubber.add_client_error(
        "get_resources",
        service_error_code=error_code,
        service_message=message,
        http_status_code=status,
        expected_params={"restApiId": "abc123", "limit": 500},
    )
    stubber.activate()
    return client


@pytest.mark.parametrize(
    ("code", "status", "kind", "says"),
    [
        ("ExpiredTokenException", 403, "credentials", "AWS credentials have expired"),
        ("UnrecognizedClientException", 403, "credentials", "AWS rejected the credentials"),
        ("AccessDeniedException", 403, "access-denied", "access denied to apigateway:GetResources"),
        ("NotFoundException", 404, "not-found", "no REST API with id 'abc123'"),
        ("TooManyRequestsException", 429, "throttled", "API Gateway kept throttling"),
    ],
)
def test_aws_errors_become_one_line_without_credentials(
    code: str, status: int, kind: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    message = f"request by {KEY_ID} signed with Signature=abc{SECRET}\n\x1b[2J refused"
    report = apply(small_model(), stubbed(code, status, message), "abc123", pacer=UNPACED)
    assert report.failure is not None and report.failure.kind == kind
    assert says in report.failure.message
    text = report.render()
    assert SECRET not in text and KEY_ID not in text and "Signature=abc" not in text
    assert "\x1b" not in text  # a terminal escape from the message is shown, not obeyed
    assert len(report.failure.message.splitlines()) == 1
    assert report.not_applied[-1] == "DELETE /a/b"


def test_missing_rest_api_on_the_emulator_is_not_found(apigw: Any) -> None:
    report = apply(small_model(), apigw, "nope", pacer=UNPACED)
    assert report.failure is not None and report.failure.kind == "not-found"
    assert report.failure.message == (
        "list resources: no REST API with id 'nope'; check the REST API id and AWS_REGION"
    )


def test_no_credentials_is_one_line(monkeypatch: pytest.MonkeyPatch, moto_server: str) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = make_client(region="us-east-1", endpoint_url=moto_server)
    report = apply(small_model(), client, "abc123", pacer=UNPACED)
    assert report.failure is not None and report.failure.kind == "credentials"
    assert "no usable AWS credentials" in report.failure.message


def test_dropped_connection_is_one_line() -> None:
    client = boto3.client(
        "apigateway",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{_free_port()}",
        aws_access_key_id="x",
        aws_secret_access_key="y",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=2),
    )
    report = apply(small_model(), client, "abc123", pacer=UNPACED)
    assert report.failure is not None and report.failure.kind == "connection"
    assert "could not reach API Gateway" in report.failure.message


def test_no_region_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    with pytest.raises(NoRegionError) as caught:
        make_client()
    failure = describe_failure(caught.value)
    assert failure is not None and failure.kind == "region"
    assert "AWS_REGION" in failure.message


def test_a_bug_is_not_dressed_as_an_aws_failure() -> None:
    assert describe_failure(ValueError("boom")) is None


def test_redact_removes_keys_signatures_and_the_callers_secrets() -> None:
    env = {"AWS_SESSION_TOKEN": "FwoGZXIvYXdzEJr//////////wEaDL"}
    text = f"{KEY_ID} X-Amz-Security-Token=tok&Signature=deadbeef FwoGZXIvYXdzEJr//////////wEaDL"
    assert redact(text, env) == "*** X-Amz-Security-Token=***&Signature=*** ***"


# --- exact parameters, with Stubber -------------------------------------------------------------


def expect_empty_api_run(stubber: Stubber, plan: Plan, rest_api_id: str) -> None:
    """Queue what `apply` must send to an empty REST API for `plan`, parameter for parameter:
    every literal of the plan, with the ids this fake API hands out."""
    ids: dict[tuple[str, str], str] = {("rest_api", ""): rest_api_id, ("resource", "/"): "root"}
    listing = {"restApiId": rest_api_id, "limit": 500}
    stubber.add_response("get_resources", {"items": [{"id": "root", "path": "/"}]}, listing)
    live_reads = [
        ("get_rest_api", {"id": rest_api_id, "name": "empty"}, {"restApiId": rest_api_id}),
        (
            "get_resources",
            {"items": [{"id": "root", "path": "/"}]},
            dict(listing, embed=["methods"]),
        ),
        ("get_authorizers", {"items": []}, listing),
        ("get_request_validators", {"items": []}, listing),
        ("get_models", {"items": []}, listing),
        ("get_gateway_responses", {"items": []}, listing),
        ("get_documentation_parts", {"items": []}, listing),
    ]
    for method, response, params in live_reads:
        stubber.add_response(method, response, params)

    def resolve(ref: Ref | Sub) -> str:
        if isinstance(ref, Sub):
            return "".join(p if isinstance(p, str) else resolve(p) for p in ref.parts)
        return ids[(ref.kind, ref.key)]

    listed: set[str] = set()
    for number, unit in enumerate(units_of(plan)):
        for step in unit.steps:
            if step.action == "delete_method":
                continue  # nothing exists yet
            if step.lookup is not None and step.lookup not in listed:
                listed.add(step.lookup)
                stubber.add_response(xform_name(step.lookup), {"items": []}, listing)
            params = dict(step.params) | {name: resolve(ref) for name, ref in step.refs.items()}
            response: dict[str, Any] = {}
            if step.saves is not None:
                new_id = f"id{number}"
                ids[(step.saves.kind, step.saves.key)] = new_id
                response = {"id": new_id}
            stubber.add_response(xform_name(step.operation), response, params)


def stubber_model(name: str) -> ApiModel:
    if name == "rich":
        return rich_model()
    model = loadable(next(p for p in sample_files() if p.name == name))
    if model is None:
        pytest.skip("the sample has errors")
    return model


@pytest.mark.parametrize("name", ["rich", *(p.name for p in sample_files())])
def test_every_call_has_exactly_the_plans_parameters(name: str) -> None:
    model = stubber_model(name)
    client = boto3.client(
        "apigateway", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    plan = build_plan(model)
    with Stubber(client) as stubber:
        expect_empty_api_run(stubber, plan, "api1")
        report = apply(model, client, "api1", pacer=UNPACED)
        assert report.ok, report.render()
        stubber.assert_no_pending_responses()
    assert report.created == len(model.iter_methods())


# --- pacing and progress --------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_pacer_keeps_ten_calls_a_second_and_create_resource_at_five() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    for _ in range(3):
        pacer.wait("PutMethod")
    assert clock.slept == [0.1, 0.1]
    clock.slept.clear()
    for _ in range(3):
        pacer.wait("CreateResource")
    assert clock.slept == [0.1, 0.2, 0.2]  # the overall slot first, then CreateResource's own
    clock.now += 10
    clock.slept.clear()
    pacer.wait("GetResources")
    pacer.wait("GetResources")
    assert clock.slept == [0.4]  # 5 per 2 seconds


def test_unpaced_pacer_never_sleeps() -> None:
    clock = FakeClock()
    pacer = Pacer.unpaced()
    pacer.sleep = clock.sleep
    for _ in range(20):
        pacer.wait("CreateResource")
    assert clock.slept == []


def test_retry_config_is_adaptive_unless_the_environment_says_otherwise() -> None:
    assert retry_config({}) == {"mode": "adaptive", "total_max_attempts": 10}
    assert retry_config({"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "3"}) == {}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_without_colours(apigw: Any, rest_api_id: str) -> None:
    seen: list[tuple[int, int, str]] = []
    report = apply(
        small_model(), apigw, rest_api_id, pacer=UNPACED, progress=lambda *a: seen.append(a)
    )
    assert report.ok
    assert seen[-1][:2] == (len(seen), len(seen)) and seen[-1][2] == "DELETE /a/b"

    pipe, terminal = io.StringIO(), Terminal()
    for stream in (pipe, terminal):
        bar = TerminalProgress(stream)
        for done, total, label in seen:
            bar(done, total, label)
        bar.close()
    assert pipe.getvalue() == ""
    shown = terminal.getvalue()
    assert f"] {len(seen)}/{len(seen)} DELETE /a/b" in shown
    assert "\x1b" not in shown and shown.endswith("\r")


def test_report_of_a_refused_plan_carries_diagnostics_and_makes_no_call() -> None:
    model = ApiModel(
        resources=(Resource(path="/x", methods=(Method(http_method="GET", authorizer="ghost"),)),)
    )
    report = apply(model, object(), "abc123", pacer=UNPACED)
    assert isinstance(report, ApplyReport)
    assert not report.ok and report.calls == []
    assert [d.code for d in report.diagnostics] == ["E581"]


def test_lambda_permissions_and_deployment_with_clients_from_the_environment(
    aws_env: dict[str, str], apigw: Any, rest_api_id: str
) -> None:
    create_lambda_function()
    options = PlanOptions(lambda_permissions=True, deploy_stage="dev")
    for _ in range(2):  # the second AddPermission meets its own statement: not a failure
        report = apply(rich_model(), apigw, rest_api_id, options=options, pacer=UNPACED)
        assert report.ok, report.render()
    assert report.calls.count("AddPermission") == 1
    assert report.calls[-1] == "CreateDeployment"
    policy = boto3.client("lambda", region_name="us-east-1").get_policy(FunctionName="pets")
    mine = [s for s in json.loads(policy["Policy"])["Statement"] if rest_api_id in json.dumps(s)]
    # one statement id (moto keeps a duplicate where AWS answers ResourceConflictException)
    assert len({s["Sid"] for s in mine}) == 1
    assert f"{rest_api_id}/*/*/pets/*/toys" in json.dumps(mine[0]["Condition"])
    assert apigw.get_stage(restApiId=rest_api_id, stageName="dev")["stageName"] == "dev"
