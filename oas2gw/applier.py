"""Applying a plan to a live REST API with an injected boto3 client: compare first, then put.

The plan is the one the shell and boto3 scripts render; `apply` walks it in order, but reads the
API first (`read_live_api`) and touches only what differs: a method whose normalised form equals
the deployed one is left alone, a missing one is created, a different one is deleted and put
again (API Gateway refuses a second `PutMethod`). Definitions (models, validators, authorizers,
gateway responses, API settings) are created when missing and updated only when they differ.

A run stops at the first hard error and reports what was applied and what was not; since
everything applied compares equal afterwards, a second run completes the rest. Calls are paced
within API Gateway's control-plane quotas (`oas2gw.aws.Pacer`) on top of botocore's retries.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from botocore.exceptions import ClientError

from oas2gw.aws import AwsFailure, Pacer, describe_failure, make_client, printable
from oas2gw.diagnostics import Diagnostic, has_errors
from oas2gw.emit.boto3 import method_name
from oas2gw.model.normalize import normalize
from oas2gw.model.types import ApiModel, Method
from oas2gw.plan import (
    Plan,
    PlanError,
    PlanOptions,
    Ref,
    Step,
    Sub,
    build_plan,
    place,
    resource_path,
)

Action = Literal["create", "update", "unchanged", "run"]
#: `progress(done, total, label)`, called after each unit of the plan
Progress = Callable[[int, int, str], None]

#: The operations that make up one method, in the plan's order.
METHOD_OPERATIONS = frozenset(
    {"DeleteMethod", "PutMethod", "PutMethodResponse", "PutIntegration", "PutIntegrationResponse"}
)
#: Calls that change nothing; `--dry-run` makes only these.
READ_PREFIXES = ("Get", "List", "Describe")


@dataclass(frozen=True)
class Change:
    """What a run does (or would do) to one unit of the plan: a method, a resource, a model."""

    label: str
    kind: str  # method, resource, model, request validator, authorizer, ...
    action: Action
    #: for an update: the fields that differ (`integration.timeoutInMillis`)
    fields: tuple[str, ...] = ()

    def render(self) -> str:
        detail = f" ({', '.join(self.fields)})" if self.fields else ""
        return printable(f"{self.action:9} {self.label}{detail}")


@dataclass
class ApplyReport:
    """The outcome of `apply`: every unit's change, what was applied, and the failure if any."""

    rest_api_id: str
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)
    failure: AwsFailure | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: every call made, in order, by botocore operation name
    calls: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failure is None and not has_errors(self.diagnostics)

    def count(self, action: Action, kind: str = "method") -> int:
        return sum(1 for c in self.changes if c.action == action and c.kind == kind)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def summary(self) -> str:
        """One line: `methods: 2 created, 1 updated, 5 unchanged; other: 3 created`."""
        other = [c for c in self.changes if c.kind != "method" and c.action != "unchanged"]
        text = (
            f"methods: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if other:
            made = sum(1 for c in other if c.action == "create")
            text += f"; other: {made} created, {len(other) - made} updated"
        if self.dry_run:
            text += " (dry run: nothing was changed)"
        if self.failure is not None:
            text += f"; stopped after {len(self.applied)} applied, {len(self.not_applied)} not"
        return text

    def render(self) -> str:
        """The changes, what a failure left undone, and the summary, one per line."""
        lines = [c.render() for c in self.changes if c.action != "unchanged"]
        if self.failure is not None:
            lines.append(f"failed: {self.failure.message}")
            lines.extend(printable(f"not applied: {label}") for label in self.not_applied)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"


def apply(
    model: ApiModel,
    client: Any,
    rest_api_id: str,
    *,
    options: PlanOptions | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
    clients: Mapping[str, Any] | None = None,
) -> ApplyReport:
    """Make `model` true on the REST API `rest_api_id` through `client` (boto3 `apigateway`).

    `dry_run` reads but changes nothing. `clients` may supply the `lambda` and `sts` clients
    that `--lambda-permissions` needs; else they are made from the environment. A plan the
    model cannot make (unresolved intrinsics, undefined references) is reported as
    diagnostics, with no call made.
    """
    try:
        plan = build_plan(model, options)
    except PlanError as exc:
        return ApplyReport(rest_api_id, dry_run, diagnostics=list(exc.diagnostics))
    return apply_plan(
        plan,
        model,
        client,
        rest_api_id,
        dry_run=dry_run,
        progress=progress,
        pacer=pacer,
        clients=clients,
    )


def apply_plan(
    plan: Plan,
    model: ApiModel,
    client: Any,
    rest_api_id: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
    clients: Mapping[str, Any] | None = None,
) -> ApplyReport:
    """Run `plan` (built from `model`) against the live API; see `apply`."""
    run = _Run(plan, model, client, rest_api_id, dry_run, pacer or Pacer(), dict(clients or {}))
    return run.go(progress)


# --- one run -------------------------------------------------------------------------------


@dataclass
class _Unit:
    """Consecutive steps of the plan about one thing (its label), applied or skipped together."""

    label: str
    kind: str
    steps: list[Step]


def units_of(plan: Plan) -> list[_Unit]:
    units: list[_Unit] = []
    for step in plan.steps:
        kind = _kind(step)
        if units and units[-1].label == step.label and units[-1].kind == kind:
            units[-1].steps.append(step)
        else:
            units.append(_Unit(step.label, kind, [step]))
    return units


def _kind(step: Step) -> str:
    if step.operation in METHOD_OPERATIONS:
        return "method"
    return {
        "CreateResource": "resource",
        "CreateModel": "model",
        "CreateRequestValidator": "request validator",
        "CreateAuthorizer": "authorizer",
        "PutGatewayResponse": "gateway response",
        "UpdateRestApi": "settings",
        "CreateDeployment": "deployment",
        "AddPermission": "permission",
    }.get(step.operation, step.operation)


class _Stop(Exception):
    """The first hard error: the run ends here."""

    def __init__(self, failure: AwsFailure) -> None:
        self.failure = failure
        super().__init__(failure.message)


@dataclass
class _Run:
    plan: Plan
    model: ApiModel
    client: Any
    rest_api_id: str
    dry_run: bool
    pacer: Pacer
    clients: dict[str, Any]
    report: ApplyReport = field(init=False)
    #: ids known so far: (kind, key) -> id
    ids: dict[tuple[str, str], str] = field(default_factory=dict)
    live: ApiModel = field(default_factory=ApiModel)
    #: (path, http method) -> the deployed method
    live_methods: dict[tuple[str, str], Method] = field(default_factory=dict)
    #: the model as `normalize` puts it, to compare with the equally normalised live API
    desired: ApiModel = field(default_factory=ApiModel)
    #: listing operation -> name -> id
    listings: dict[str, dict[str, str]] = field(default_factory=dict)
    step: str = "list resources"

    def __post_init__(self) -> None:
        self.report = ApplyReport(self.rest_api_id, self.dry_run)
        self.report.diagnostics.extend(self.plan.diagnostics)
        self.ids[("rest_api", "")] = self.rest_api_id

    def go(self, progress: Progress | None) -> ApplyReport:
        units = units_of(self.plan)
        try:
            self._read_live()
        except _Stop as stop:
            self.report.failure = stop.failure
            self.report.not_applied = [u.label for u in units]
            return self.report
        self.desired = normalize(self.model)
        desired = {
            (resource_path(r.path), m.http_method): m
            for r in self.desired.resources
            for m in r.methods
        }
        for index, unit in enumerate(units):
            try:
                change = self._decide(unit, desired)
                if change.action != "unchanged" and not self.dry_run:
                    self._apply(unit, change)
                    self.report.applied.append(unit.label)
                elif change.action != "unchanged":
                    self.report.not_applied.append(unit.label)
                self.report.changes.append(change)  # a unit that failed is counted as not done
            except _Stop as stop:
                self.report.failure = stop.failure
                self.report.not_applied = [u.label for u in units[index:]]
                break
            if progress is not None:
                progress(index + 1, len(units), unit.label)
        return self.report

    # --- reading -----------------------------------------------------------------------------

    def _read_live(self) -> None:
        from oas2gw.export.live import read_live_api

        for item in self._list("GetResources"):
            self.ids[("resource", str(item["path"]))] = str(item["id"])
        self.step = "read the REST API"
        live, diags = read_live_api(_Paced(self), self.rest_api_id)
        if live is None:
            message = "; ".join(d.message for d in diags) or "the REST API could not be read"
            raise _Stop(AwsFailure("rejected", printable(message)))
        self.live = live
        self.live_methods = {(r.path, m.http_method): m for r in live.resources for m in r.methods}
        self.report.diagnostics.extend(d for d in diags if not d.is_error)

    def _list(self, operation: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a `position`-paginated listing, paced like any call."""
        items: list[dict[str, Any]] = []
        position: str | None = None
        while True:
            args = dict(params, restApiId=self.rest_api_id, limit=500)
            if position:
                args["position"] = position
            page = self._call("apigateway", operation, args)
            items.extend(page.get("items", []))
            next_position = page.get("position")
            if not next_position or next_position == position:
                return items
            position = next_position

    def _find(self, lookup: str, name: str) -> str | None:
        if lookup not in self.listings:
            self.listings[lookup] = {
                str(item["name"]): str(item["id"]) for item in self._list(lookup) if "name" in item
            }
        return self.listings[lookup].get(name)

    # --- deciding ----------------------------------------------------------------------------

    def _decide(self, unit: _Unit, desired: Mapping[tuple[str, str], Method]) -> Change:
        first = unit.steps[0]
        if unit.kind == "method":
            path = first.key or _resource_key(first)
            verb = str(first.params["httpMethod"])
            return _method_change(
                unit.label,
                desired.get((path, verb)),
                self.live_methods.get((path, verb)),
                self.model.default_request_validator,
            )
        if first.action == "create_resource":
            exists = ("resource", first.key) in self.ids
            return Change(unit.label, unit.kind, "unchanged" if exists else "create")
        if first.action == "ensure":
            assert first.lookup is not None
            self.step = f"{unit.label}: {method_name(first.lookup)}"
            found = self._find(first.lookup, first.key)
            if found is None:
                return Change(unit.label, unit.kind, "create")
            if first.saves is not None:
                self.ids[(first.saves.kind, first.saves.key)] = found
            fields = self._definition_differs(unit.kind, first.key) if first.update else ()
            return Change(unit.label, unit.kind, "update" if fields else "unchanged", fields)
        if first.operation == "UpdateRestApi":
            fields = _settings_differ(self.desired, self.live)
            return Change(unit.label, unit.kind, "update" if fields else "unchanged", fields)
        if first.operation == "PutGatewayResponse":
            kind = str(first.params.get("responseType"))
            mine = [g for g in self.desired.gateway_responses if g.response_type == kind]
            theirs = [g for g in self.live.gateway_responses if g.response_type == kind]
            if not theirs:
                return Change(unit.label, unit.kind, "create")
            fields = _differences(_dump(mine[0]) if mine else {}, _dump(theirs[0]))
            return Change(unit.label, unit.kind, "update" if fields else "unchanged", fields)
        return Change(unit.label, unit.kind, "run")

    def _definition_differs(self, kind: str, name: str) -> tuple[str, ...]:
        groups: dict[str, tuple[Any, Any]] = {
            "request validator": (self.desired.request_validators, self.live.request_validators),
            "authorizer": (self.desired.authorizers, self.live.authorizers),
        }
        if kind == "model":  # schemas as normalising leaves them: references by name
            want, have = self.desired.models.get(name), self.live.models.get(name)
            return () if want == have else ("schema",)
        if kind not in groups:
            return ()
        mine, theirs = groups[kind]
        want = next((_dump(x) for x in mine if x.name == name), {})
        have = next((_dump(x) for x in theirs if x.name == name), {})
        return _differences(want, have)

    # --- applying ----------------------------------------------------------------------------

    def _apply(self, unit: _Unit, change: Change) -> None:
        for step in unit.steps:
            self.step = f"{unit.label}: {method_name(step.operation)}"
            if step.action == "delete_method":
                if change.action == "update":
                    self._call(step.service, step.operation, self._params(step))
            elif step.action == "ensure":
                self._ensure(step, change)
            else:
                response = self._call(step.service, step.operation, self._params(step), step)
                if step.saves is not None and response:
                    self.ids[(step.saves.kind, step.saves.key)] = str(response["id"])

    def _ensure(self, step: Step, change: Change) -> None:
        if change.action == "create":
            response = self._call(step.service, step.operation, self._params(step))
            if step.saves is not None:
                self.ids[(step.saves.kind, step.saves.key)] = str(response["id"])
        elif change.action == "update" and step.update is not None:
            update = step.update
            self.step = f"{step.label}: {method_name(update.operation)}"
            self._call(update.service, update.operation, self._params(update))

    def _params(self, step: Step) -> dict[str, Any]:
        params = dict(step.params)
        for name, ref in step.refs.items():
            if "/" in name:  # a value inside a parameter (`patchOperations/0/value`)
                params = place(params, name, self._resolve(ref))
            else:
                params[name] = self._resolve(ref)
        return params

    def _resolve(self, ref: Ref | Sub) -> str:
        if isinstance(ref, Sub):
            return "".join(p if isinstance(p, str) else self._resolve(p) for p in ref.parts)
        if ref.kind in ("region", "account", "partition"):
            return self._identity()[ref.kind]
        try:
            return self.ids[(ref.kind, ref.key)]
        except KeyError:
            message = printable(f"{self.step}: no id known for {ref.kind} {ref.key!r}")
            raise _Stop(AwsFailure("rejected", message)) from None

    def _identity(self) -> dict[str, str]:
        if ("account", "") not in self.ids:
            caller = self._call("sts", "GetCallerIdentity", {})
            self.ids[("account", "")] = str(caller["Account"])
            self.ids[("partition", "")] = str(caller["Arn"]).split(":")[1]
            self.ids[("region", "")] = str(self.client.meta.region_name)
        return {k: self.ids[(k, "")] for k in ("region", "account", "partition")}

    def _call(
        self, service: str, operation: str, params: Mapping[str, Any], step: Step | None = None
    ) -> Any:
        """One paced call; a tolerated error is success, any other AWS error stops the run."""
        if self.dry_run and not operation.startswith(READ_PREFIXES):
            raise AssertionError(f"dry run reached the mutating call {operation}")
        client = self.client if service == "apigateway" else self._client(service)
        self.pacer.wait(operation)
        self.report.calls.append(operation)
        try:
            return getattr(client, method_name(operation))(**params)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if step is not None and code in step.tolerate:
                return {}
            raise self._stop(exc) from exc
        except Exception as exc:
            if describe_failure(exc) is None:
                raise  # not an AWS failure: a bug
            raise self._stop(exc) from exc

    def _client(self, service: str) -> Any:
        """The given client for `service`, else one from the environment in the API's region."""
        if service not in self.clients:
            try:
                self.clients[service] = make_client(service, region=self.client.meta.region_name)
            except Exception as exc:
                raise self._stop(exc) from exc
        return self.clients[service]

    def _stop(self, exc: Exception) -> _Stop:
        failure = describe_failure(exc, rest_api_id=self.rest_api_id, step=self.step)
        assert failure is not None
        return _Stop(failure)


class _Paced:
    """The client as `read_live_api` sees it: each of its calls paced and recorded like ours."""

    def __init__(self, run: _Run) -> None:
        self._run = run

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._run.client, name)
        operation = self._run.client.meta.method_to_api_mapping.get(name)
        if operation is None:
            return attribute

        def call(**params: Any) -> Any:
            self._run.pacer.wait(operation)
            self._run.report.calls.append(operation)
            return attribute(**params)

        return call


# --- comparing -----------------------------------------------------------------------------


def _resource_key(step: Step) -> str:
    ref = step.refs.get("resourceId")
    return ref.key if isinstance(ref, Ref) else ""


def _dump(value: Any) -> dict[str, Any]:
    return value.model_dump(mode="json", by_alias=True, exclude_none=True)  # type: ignore[no-any-return]


def _method_view(method: Method, default_validator: str | None) -> dict[str, Any]:
    """An already normalised method as API Gateway would hold it: the default validator made
    explicit, as the plan sends it."""
    view = _dump(method)
    validator = method.request_validator or default_validator
    if validator is not None:
        view["requestValidator"] = validator
    return view


def _method_change(
    label: str, want: Method | None, have: Method | None, default_validator: str | None
) -> Change:
    if have is None or want is None:
        return Change(label, "method", "create")
    fields = _differences(_method_view(want, default_validator), _method_view(have, None))
    return Change(label, "method", "update" if fields else "unchanged", fields)


def _differences(
    want: Mapping[str, Any], have: Mapping[str, Any], prefix: str = ""
) -> tuple[str, ...]:
    """The dotted names of the fields whose values differ, one level into nested objects."""
    out: list[str] = []
    for key in sorted(set(want) | set(have)):
        a, b = want.get(key), have.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict) and not prefix and key == "integration":
            out.extend(_differences(a, b, f"{key}."))
        else:
            out.append(prefix + key)
    return tuple(out)


_SETTINGS = ("api_key_source", "minimum_compression_size", "disable_execute_api_endpoint")


def _settings_differ(want: ApiModel, have: ApiModel) -> tuple[str, ...]:
    """The API-level settings the plan's UpdateRestApi sets and the live API does not have."""
    out = [name for name in _SETTINGS if getattr(want, name) not in (None, getattr(have, name))]
    if set(want.binary_media_types) - set(have.binary_media_types):
        out.append("binary_media_types")
    if want.policy is not None and _json(want.policy) != _json(have.policy):
        out.append("policy")
    return tuple(out)


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# --- progress ------------------------------------------------------------------------------


class TerminalProgress:
    """A one-line progress bar on a terminal; silent when `stream` is not one (CI logs, pipes).

    Plain characters only, no colours; `close()` clears the line.
    """

    def __init__(self, stream: IO[str] | None = None, minimum: int = 2) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.minimum = minimum
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = False

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.active or total < self.minimum:
            return
        columns = shutil.get_terminal_size((80, 24)).columns
        width = 24
        filled = width * done // max(total, 1)
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
        text = bar + "".join(ch if ch.isprintable() else "?" for ch in label)
        self.stream.write("\r" + text[: columns - 1].ljust(columns - 1))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            columns = shutil.get_terminal_size((80, 24)).columns
            self.stream.write("\r" + " " * (columns - 1) + "\r")
            self.stream.flush()
            self.shown = False
