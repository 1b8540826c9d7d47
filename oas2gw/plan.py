"""The model as an ordered list of API Gateway calls: one plan that every executor renders.

The shell script, the boto3 script and `apply` all walk the same `Plan`, so they cannot drift
apart. A step names a botocore operation (`PutIntegration`) with botocore parameter names and
JSON-compatible values; ids that exist only at run time (the REST API, a resource by path, an
authorizer or request validator by name, the caller's region and account) are symbolic `Ref`s
that each executor resolves its own way.

Step actions, and what an executor must do with them:

- `call`: make the call. Error codes in `tolerate` mean "already done" and are not failures.
- `create_resource`: make the call only if no resource exists at `key` (a path) yet, then
  remember the new id under `saves`. Resources are listed once (`GetResources`) at the start.
- `ensure`: look the item named `key` up with `lookup` (`GetModels`, ...); if missing make the
  call, else make the `update` step (if any). Either way remember its id under `saves`.
- `delete_method`: make the call only if the method existed when the run began (API Gateway
  answers 409 to a second `PutMethod`; the delete touches only the working copy, which takes
  effect at the next deployment).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from oas2gw.codes import register
from oas2gw.diagnostics import Diagnostic, error, warning
from oas2gw.model.types import (
    ApiModel,
    Authorizer,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
    TlsConfig,
    api_name,
)

E_INTRINSIC = register(
    "E580",
    "value needs a literal",
    "A field sent to API Gateway still holds an unresolved CloudFormation intrinsic "
    "(`Fn::Sub`, `Ref`, ...); no script can send it.",
    "Resolve the intrinsic (pass the template's parameters), or use `--force` to skip "
    "the method or definition that holds it.",
)
E_UNDEFINED = register(
    "E581",
    "reference to an undefined authorizer or request validator",
    "A method names an authorizer or request validator that the document does not define, "
    "so the plan cannot create it nor look up its id.",
    "Define it (`securitySchemes` / `x-amazon-apigateway-request-validators`) or fix the name.",
)
W_SKIPPED = register(
    "W580",
    "skipped by --force",
    "A method or definition had an error and `--force` left it out of the plan.",
    "Fix the error the message names; the next run then includes it.",
)
W_NO_PERMISSION = register(
    "W581",
    "no Lambda permission added",
    "`--lambda-permissions` found a Lambda integration whose function is not a literal ARN "
    "(a stage variable, say), so no permission can be granted at import time.",
    "Grant `lambda:InvokeFunction` to `apigateway.amazonaws.com` for each function yourself.",
)

RefKind = Literal[
    "rest_api", "resource", "authorizer", "request_validator", "region", "account", "partition"
]
Action = Literal["call", "create_resource", "ensure", "delete_method"]

#: Models every REST API has from birth; the plan never creates them.
BUILTIN_MODELS = frozenset({"Empty", "Error"})


@dataclass(frozen=True, slots=True)
class Ref:
    """An id known only at run time: `Ref("resource", "/pets")`, `Ref("rest_api")`."""

    kind: RefKind
    key: str = ""

    def to_json(self) -> dict[str, str]:
        return {"ref": self.kind, "key": self.key} if self.key else {"ref": self.kind}


@dataclass(frozen=True, slots=True)
class Sub:
    """A string assembled at run time from literal parts and references."""

    parts: tuple[str | Ref, ...]

    def to_json(self) -> dict[str, Any]:
        return {"sub": [p if isinstance(p, str) else p.to_json() for p in self.parts]}


@dataclass(frozen=True, slots=True)
class Step:
    """One API call (or a guarded one; see the module docstring for each `action`).

    `params` holds literal values (botocore names, JSON-compatible); `refs` the parameters
    resolved at run time. Together they are the call's complete input. A `refs` name with a
    `/` is a JSON pointer into `params` (`patchOperations/0/value`): the value resolved at
    run time goes there, in place of the placeholder `params` holds (`place` does it).
    """

    action: Action
    operation: str
    params: Mapping[str, Any]
    refs: Mapping[str, Ref | Sub]
    #: what the step is about, for progress and failure messages: `GET /pets`, `model Pet`
    label: str
    service: str = "apigateway"
    #: `create_resource`/`delete_method`: the path; `ensure`: the name looked up
    key: str = ""
    #: the id this step makes known
    saves: Ref | None = None
    #: `ensure`: the listing operation that finds an existing item by name
    lookup: str | None = None
    #: `ensure`: the call made instead of the create when the item exists
    update: Step | None = None
    #: error codes that mean the call's effect is already in place
    tolerate: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "action": self.action,
            "service": self.service,
            "operation": self.operation,
            "label": self.label,
        }
        if self.key:
            out["key"] = self.key
        out["params"] = dict(self.params)
        out["refs"] = {name: ref.to_json() for name, ref in self.refs.items()}
        if self.saves is not None:
            out["saves"] = self.saves.to_json()
        if self.lookup is not None:
            out["lookup"] = self.lookup
        if self.update is not None:
            out["update"] = self.update.to_json()
        if self.tolerate:
            out["tolerate"] = list(self.tolerate)
        return out


@dataclass(frozen=True)
class PlanOptions:
    #: `--deploy STAGE`: end with `CreateDeployment` to this stage
    deploy_stage: str | None = None
    #: `--lambda-permissions`: grant API Gateway `lambda:InvokeFunction` per Lambda method
    lambda_permissions: bool = False
    #: `--force`: leave out what has errors (with a warning) instead of refusing
    force: bool = False


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    #: warnings about what was left out; errors only when built with `force`
    diagnostics: tuple[Diagnostic, ...] = ()
    title: str | None = None

    @property
    def method_count(self) -> int:
        return sum(1 for s in self.steps if s.operation == "PutMethod")

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "oas2gw-plan/1",
            "title": self.title,
            "steps": [s.to_json() for s in self.steps],
        }


_IDENTITY_KINDS = frozenset(("region", "account", "partition"))


def uses_identity(steps: Iterable[Step]) -> bool:
    """Whether a step refers to the caller's region, account or partition, which an executor
    then looks up before the first step."""
    previous: object = None
    for step in steps:
        refs = step.refs
        if refs is previous:  # a method's steps share one mapping: same answer
            continue
        previous = refs
        for ref in refs.values():
            if isinstance(ref, Sub):
                if any(isinstance(p, Ref) and p.kind in _IDENTITY_KINDS for p in ref.parts):
                    return True
            elif isinstance(ref, Ref) and ref.kind in _IDENTITY_KINDS:
                return True
    return False


class PlanError(Exception):
    """The model holds what no script can send; `diagnostics` says where."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.render() for d in self.diagnostics))


REST_API = Ref("rest_api")


def build_plan(model: ApiModel, options: PlanOptions | None = None) -> Plan:
    """Order the calls that make `model` true on an existing REST API.

    Raises `PlanError` when a field holds an unresolved intrinsic or a method names an
    undefined authorizer or validator, unless `options.force`, which skips the affected
    method (or definition) and reports it as a warning.
    """
    return _Planner(model, options or PlanOptions()).build()


@dataclass
class _Planner:
    model: ApiModel
    options: PlanOptions
    steps: list[Step] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    #: shared parameters of the method steps (see `_method`)
    where: dict[str, dict[str, Ref | Sub]] = field(default_factory=dict)
    verbs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def build(self) -> Plan:
        m = self.model
        self._rest_api_settings()
        for name in _models_in_dependency_order(m.models):
            if name not in BUILTIN_MODELS:
                self.steps.append(_model_step(name, m.models[name], set(m.models)))
        validators = {v.name for v in m.request_validators}
        for validator in m.request_validators:
            self.steps.append(_validator_step(validator))
        authorizers: set[str] = set()
        for authorizer in m.authorizers:
            if self._accept(_authorizer_problems(authorizer), f"authorizer {authorizer.name}"):
                self.steps.append(_authorizer_step(authorizer))
                authorizers.add(authorizer.name)
        for response in m.gateway_responses:
            if self._accept(
                _texts_problems(_gateway_texts(response), ""),
                f"gateway response {response.response_type}",
            ):
                self.steps.append(_gateway_response_step(response))
        methods: list[tuple[str, Method]] = []
        for resource in m.resources:
            for method in resource.methods:
                problems = _method_problems(
                    method, m.default_request_validator, authorizers, validators
                )
                if self._accept(problems, f"{method.http_method} {resource.path}"):
                    methods.append((resource.path, method))
        self._resources([r.path for r in m.resources])
        for path, method in methods:
            self._method(path, method)
        if self.options.lambda_permissions:
            for path, method in methods:
                self._lambda_permission(path, method)
        if self.options.deploy_stage is not None:
            self.steps.append(
                _call(
                    "CreateDeployment",
                    f"deployment to stage {self.options.deploy_stage}",
                    {"stageName": self.options.deploy_stage},
                )
            )
        if self.errors and not self.options.force:
            raise PlanError(self.errors)
        return Plan(tuple(self.steps), tuple(self.warnings), m.name)

    def _accept(self, problems: list[Diagnostic], what: str) -> bool:
        """Record problems; under `--force` the subject is skipped with a warning."""
        if not problems:
            return True
        self.errors.extend(problems)
        if self.options.force:
            self.warnings.extend(problems)
            self.warnings.append(
                warning(W_SKIPPED, f"{what} left out: {problems[0].message}", problems[0].pointer)
            )
        return False

    def _rest_api_settings(self) -> None:
        m = self.model
        ops: list[dict[str, Any]] = []
        if m.api_key_source is not None:
            ops.append(_replace("/apiKeySource", m.api_key_source))
        if m.minimum_compression_size is not None:
            ops.append(_replace("/minimumCompressionSize", str(m.minimum_compression_size)))
        if m.disable_execute_api_endpoint is not None:
            ops.append(
                _replace("/disableExecuteApiEndpoint", _bool_text(m.disable_execute_api_endpoint))
            )
        if m.policy is not None:
            policy = m.policy if isinstance(m.policy, str) else _json_text(m.policy)
            ops.append(_replace("/policy", policy))
        if ops:
            self.steps.append(_call("UpdateRestApi", "REST API settings", {"patchOperations": ops}))
        for media_type in m.binary_media_types:
            # one call each: a type the API has already must not stop the others
            add = {"op": "add", "path": "/binaryMediaTypes/" + _pointer_token(media_type)}
            step = _call(
                "UpdateRestApi", f"binary media type {media_type}", {"patchOperations": [add]}
            )
            self.steps.append(replace(step, tolerate=("ConflictException",)))

    def _resources(self, paths: Iterable[str]) -> None:
        """`create_resource` for every path and its parents, parent first, document order."""
        seen = {"/"}
        for path in paths:
            segments = _segments(path)
            for depth in range(1, len(segments) + 1):
                sub = "/" + "/".join(segments[:depth])
                if sub in seen:
                    continue
                seen.add(sub)
                parent = "/" + "/".join(segments[: depth - 1])
                self.steps.append(
                    Step(
                        action="create_resource",
                        operation="CreateResource",
                        params={"pathPart": segments[depth - 1]},
                        refs={"restApiId": REST_API, "parentId": Ref("resource", parent)},
                        label=f"resource {sub}",
                        key=sub,
                        saves=Ref("resource", sub),
                    )
                )

    def _method(self, path: str, method: Method) -> None:
        path = resource_path(path)
        label = f"{method.http_method} {path}"
        # the steps' parameters are only read: one `where` per path, one `verb` per HTTP method
        where = self.where.get(path)
        if where is None:
            where = self.where[path] = {"restApiId": REST_API, "resourceId": Ref("resource", path)}
        http_method = method.http_method
        verb = self.verbs.get(http_method)
        if verb is None:
            verb = self.verbs[http_method] = {"httpMethod": http_method}
        steps = self.steps
        steps.append(Step("delete_method", "DeleteMethod", verb, where, label, key=path))
        params, refs = _method_params(method, self.model.default_request_validator)
        steps.append(
            Step("call", "PutMethod", verb | params, where | refs if refs else where, label)
        )
        for response in method.responses:
            params = {"httpMethod": http_method, _MR_STATUS: response.status_code}
            params = _add_fields(params, response, _MR_NAMES)
            steps.append(Step("call", "PutMethodResponse", params, where, label))
        integration = method.integration
        if integration is None:
            return
        params = _add_fields({"httpMethod": http_method}, integration, _INTEGRATION_NAMES)
        steps.append(Step("call", "PutIntegration", params, where, label))
        for ir in integration.responses:
            params = {"httpMethod": http_method, _IR_STATUS: ir.status_code}
            params = _add_fields(params, ir, _IR_NAMES)
            steps.append(Step("call", "PutIntegrationResponse", params, where, label))

    def _lambda_permission(self, path: str, method: Method) -> None:
        integration = method.integration
        if integration is None or integration.type not in ("AWS", "AWS_PROXY"):
            return
        if integration.credentials is not None or not isinstance(integration.uri, str):
            return
        match = _LAMBDA_URI.match(integration.uri)
        if match is None:
            return
        function = match.group("function")
        path = resource_path(path)
        label = f"{method.http_method} {path}"
        if "${" in function:
            self.warnings.append(
                warning(
                    W_NO_PERMISSION,
                    f"{label}: function {function!r} is not known until run time",
                    integration.pointer,
                )
            )
            return
        self.steps.append(
            Step(
                "call",
                "AddPermission",
                {
                    "FunctionName": function,
                    "Action": "lambda:InvokeFunction",
                    "Principal": "apigateway.amazonaws.com",
                },
                {
                    "StatementId": Sub(
                        ("oas2gw-", REST_API, "-" + statement_suffix(method.http_method, path))
                    ),
                    "SourceArn": Sub(
                        (
                            "arn:",
                            Ref("partition"),
                            ":execute-api:",
                            Ref("region"),
                            ":",
                            Ref("account"),
                            ":",
                            REST_API,
                            source_arn_suffix(method.http_method, path),
                        )
                    ),
                },
                label,
                service="lambda",
                tolerate=("ResourceConflictException",),
            )
        )


_LAMBDA_URI = re.compile(
    r"^arn:[^:]+:apigateway:[^:]+:lambda:path/[^/]+/functions/(?P<function>.+)/invocations$"
)


def resource_path(path: str) -> str:
    """The path as API Gateway spells it: `/` joins non-empty segments, no trailing slash."""
    return "/" + "/".join(_segments(path))


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def statement_suffix(http_method: str, path: str) -> str:
    """A Lambda statement id tail that is stable, unique per method and within Lambda's rules.

    `[A-Za-z0-9_-]` only and short enough that `oas2gw-<rest api id>-` plus this stays far
    under Lambda's 100 characters; the hash keeps methods apart whose slugs collide.
    """
    digest = hashlib.sha256(f"{http_method} {path}".encode("utf-8", "surrogatepass")).hexdigest()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{http_method}-{path.strip('/') or 'root'}")
    return f"{slug.strip('-')[:50]}-{digest[:10]}"


def source_arn_suffix(http_method: str, path: str) -> str:
    """`/*/GET/pets/*`: every stage, this method; path parameters match any value."""
    verb = "*" if http_method == "ANY" else http_method
    parts = ["*" if s.startswith("{") else s for s in _segments(path)]
    return f"/*/{verb}/" + "/".join(parts)


# --- parameters -----------------------------------------------------------------------------


def _set(params: dict[str, Any], model: type[Any], field_name: str, value: Any) -> None:
    """Add a parameter under its botocore name when the model holds a value for it."""
    _put(params, api_name(model, field_name), value)


def _put(params: dict[str, Any], parameter: str, value: Any) -> None:
    """`_set` with the botocore name already looked up (the plan asks per object)."""
    if value is None or value == {} or value == ():
        return
    if isinstance(value, tuple):
        value = list(value)
    params[parameter] = value


def _api_names(model: type[Any], fields: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(field, botocore name) pairs, looked up once per module rather than once per object."""
    return tuple((f, api_name(model, f)) for f in fields)


_M = dict(
    _api_names(
        Method,
        (
            "authorization_type",
            "authorizer",
            "authorization_scopes",
            "api_key_required",
            "operation_name",
            "request_parameters",
            "request_models",
            "request_validator",
        ),
    )
)
_MR_STATUS = api_name(MethodResponse, "status_code")
_MR_NAMES = _api_names(MethodResponse, ("response_parameters", "response_models"))


def _method_params(
    method: Method, default_validator: str | None
) -> tuple[dict[str, Any], dict[str, Ref | Sub]]:
    params: dict[str, Any] = {_M["authorization_type"]: method.authorization_type}
    refs: dict[str, Ref | Sub] = {}
    if method.authorizer is not None:
        refs[_M["authorizer"]] = Ref("authorizer", method.authorizer)
    _put(params, _M["authorization_scopes"], method.authorization_scopes)
    if method.api_key_required:
        params[_M["api_key_required"]] = True
    _put(params, _M["operation_name"], method.operation_name)
    _put(params, _M["request_parameters"], method.request_parameters)
    _put(params, _M["request_models"], method.request_models)
    validator = method.request_validator or default_validator
    if validator is not None:
        refs[_M["request_validator"]] = Ref("request_validator", validator)
    return params, refs


_INTEGRATION_FIELDS = (
    "type",
    "http_method",
    "uri",
    "connection_type",
    "connection_id",
    "credentials",
    "request_parameters",
    "request_templates",
    "passthrough_behavior",
    "cache_namespace",
    "cache_key_parameters",
    "content_handling",
    "timeout_in_millis",
    "tls_config",
    "response_transfer_mode",
    "integration_target",
)


_INTEGRATION_NAMES = _api_names(Integration, _INTEGRATION_FIELDS)
_TLS_NAMES = _api_names(TlsConfig, TlsConfig.model_fields)
_IR_STATUS = api_name(IntegrationResponse, "status_code")
_IR_NAMES = _api_names(
    IntegrationResponse,
    ("selection_pattern", "response_parameters", "response_templates", "content_handling"),
)


def _add_fields(
    params: dict[str, Any], obj: Any, names: tuple[tuple[str, str], ...]
) -> dict[str, Any]:
    """`_put` each field of `obj` under its botocore name, a TLS config as its dict.

    Exact `str`, `dict` and `tuple` values (nearly all) are decided by their type and length,
    which is what `_put`'s comparisons with `{}` and `()` come to for them, without the calls.
    """
    values = obj.__dict__  # a pydantic model's fields: one lookup each, not a getattr call
    for name, parameter in names:
        value = values[name]
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            params[parameter] = value
        elif kind is dict:
            if value:
                params[parameter] = value
        elif kind is tuple:
            if value:
                params[parameter] = list(value)
        else:
            if isinstance(value, TlsConfig):
                value = {p: v for f, p in _TLS_NAMES if (v := getattr(value, f)) is not None}
            _put(params, parameter, value)
    return params


_SCHEMA_REF = re.compile(r"^#/(?:definitions|components/schemas)/([^/]+)$")
_MODEL_MARK = re.compile(r"@@oas2gw-model-(\d+)@@")


def _model_refs(schema: Any, models: set[str]) -> list[str]:
    """Names of the document's models that `schema` refers to, in order of first use."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            target = node.get("$ref")
            match = _SCHEMA_REF.match(target) if isinstance(target, str) else None
            if match:
                name = match.group(1).replace("~1", "/").replace("~0", "~")
                if name in models and name not in found:
                    found.append(name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def _models_in_dependency_order(models: Mapping[str, Any]) -> list[str]:
    """Document order, except that a model comes after the models it refers to."""
    names = set(models)
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered or name in visiting:  # a cycle keeps document order
            return
        visiting.add(name)
        for dependency in _model_refs(models[name], names):
            visit(dependency)
        visiting.discard(name)
        ordered.append(name)

    for name in models:
        visit(name)
    return ordered


def _model_schema(schema: Any, models: set[str]) -> str | Sub:
    """The schema as API Gateway takes it: references to other models become model URLs.

    API Gateway only resolves `https://apigateway.amazonaws.com/restapis/{id}/models/{name}`,
    and the id is known at run time, so such a schema is a `Sub`.
    """
    if isinstance(schema, str):
        return schema
    targets: list[str] = []

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            target = node.get("$ref")
            match = _SCHEMA_REF.match(target) if isinstance(target, str) else None
            out = {k: swap(v) for k, v in node.items()}
            if match:
                name = match.group(1).replace("~1", "/").replace("~0", "~")
                if name in models or name in BUILTIN_MODELS:
                    out["$ref"] = f"@@oas2gw-model-{len(targets)}@@"
                    targets.append(name)
            return out
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    text = _json_text(swap(schema))
    if not targets:
        return text
    pieces = _MODEL_MARK.split(text)
    parts: list[str | Ref] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            parts.append(piece)
        else:
            name = json.dumps(targets[int(piece)], ensure_ascii=False)[1:-1]
            parts += ["https://apigateway.amazonaws.com/restapis/", REST_API, f"/models/{name}"]
    merged: list[str | Ref] = []
    for part in parts:  # adjacent literals joined: one quoted word per run of text
        if merged and isinstance(part, str) and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return Sub(tuple(merged))


def _model_step(name: str, schema: Any, models: set[str]) -> Step:
    params: dict[str, Any] = {"name": name, "contentType": "application/json"}
    refs: dict[str, Ref | Sub] = {"restApiId": REST_API}
    text = _model_schema(schema, models)
    label = f"model {name}"
    # an existing model gets the document's schema: `CreateModel` refuses a second model of
    # one name, and a model left as it was would keep a schema the document no longer has
    patch: dict[str, Any] = {"modelName": name, "patchOperations": [_replace("/schema", "")]}
    patch_refs: dict[str, Ref | Sub] = {"restApiId": REST_API}
    if isinstance(text, Sub):
        refs["schema"] = text
        patch_refs[SCHEMA_PATCH] = text
    else:
        params["schema"] = text
        patch["patchOperations"] = [_replace("/schema", text)]
    update = Step("call", "UpdateModel", patch, patch_refs, label)
    return Step(
        "ensure",
        "CreateModel",
        params,
        refs,
        label,
        key=name,
        lookup="GetModels",
        update=update,
    )


#: where an `UpdateModel` step's schema goes when it holds run-time ids
SCHEMA_PATCH = "patchOperations/0/value"


def place(params: Mapping[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """`params` with `value` at `pointer` (`patchOperations/0/value`, or a plain name), the
    containers on the way copied: a step's own `params` are never changed."""
    first, *rest = pointer.split("/")
    out = dict(params)
    if not rest:
        out[first] = value
        return out
    out[first] = _placed(params[first], rest, value)
    return out


def _placed(container: Any, keys: list[str], value: Any) -> Any:
    key, *rest = keys
    if isinstance(container, list):
        copy: Any = list(container)
        index: Any = int(key)
    else:
        copy, index = dict(container), key
    copy[index] = value if not rest else _placed(container[index], rest, value)
    return copy


def _validator_step(validator: RequestValidator) -> Step:
    flags = {
        api_name(RequestValidator, f): getattr(validator, f)
        for f in ("validate_request_body", "validate_request_parameters")
    }
    saves = Ref("request_validator", validator.name)
    label = f"request validator {validator.name}"
    update = Step(
        "call",
        "UpdateRequestValidator",
        {"patchOperations": [_replace("/" + k, _bool_text(v)) for k, v in flags.items()]},
        {"restApiId": REST_API, "requestValidatorId": saves},
        label,
    )
    return Step(
        "ensure",
        "CreateRequestValidator",
        {"name": validator.name} | flags,
        {"restApiId": REST_API},
        label,
        key=validator.name,
        saves=saves,
        lookup="GetRequestValidators",
        update=update,
    )


_AUTHORIZER_FIELDS = (
    "type",
    "provider_arns",
    "auth_type",
    "authorizer_uri",
    "authorizer_credentials",
    "identity_source",
    "identity_validation_expression",
    "authorizer_result_ttl_in_seconds",
)


def _authorizer_step(authorizer: Authorizer) -> Step:
    params: dict[str, Any] = {"name": authorizer.name}
    for name in _AUTHORIZER_FIELDS:
        _set(params, Authorizer, name, getattr(authorizer, name))
    saves = Ref("authorizer", authorizer.name)
    label = f"authorizer {authorizer.name}"
    # scalars only: provider ARNs of an existing Cognito authorizer are left as they are
    ops = [
        _replace("/" + k, str(v))
        for k, v in params.items()
        if k != "name" and not isinstance(v, list)
    ]
    update = Step(
        "call",
        "UpdateAuthorizer",
        {"patchOperations": ops},
        {"restApiId": REST_API, "authorizerId": saves},
        label,
    )
    return Step(
        "ensure",
        "CreateAuthorizer",
        params,
        {"restApiId": REST_API},
        label,
        key=authorizer.name,
        saves=saves,
        lookup="GetAuthorizers",
        update=update,
    )


def _gateway_response_step(response: GatewayResponse) -> Step:
    params: dict[str, Any] = {}
    for name in ("response_type", "status_code", "response_parameters", "response_templates"):
        _set(params, GatewayResponse, name, getattr(response, name))
    return _call("PutGatewayResponse", f"gateway response {response.response_type}", params)


def _call(operation: str, label: str, params: dict[str, Any]) -> Step:
    return Step("call", operation, params, {"restApiId": REST_API}, label)


def _replace(path: str, value: str) -> dict[str, Any]:
    return {"op": "replace", "path": path, "value": value}


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _pointer_token(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


# --- problems -------------------------------------------------------------------------------


def _texts_problems(texts: Iterable[tuple[str, Any]], pointer: str) -> list[Diagnostic]:
    return [
        error(E_INTRINSIC, f"{what} holds an unresolved intrinsic {_short(value)}", pointer)
        for what, value in texts
        if isinstance(value, dict)
    ]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _map_texts(prefix: str, values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The intrinsics among `values`, named; only those can be problems, so only those are
    named (formatting every key of every map cost more than the whole check)."""
    if not values:  # many maps are empty: no comprehension to run
        return []
    return [(f"{prefix}[{k!r}]", v) for k, v in values.items() if isinstance(v, dict)]


def _gateway_texts(response: GatewayResponse) -> list[tuple[str, Any]]:
    return _map_texts("responseParameters", response.response_parameters) + _map_texts(
        "responseTemplates", response.response_templates
    )


def _authorizer_problems(authorizer: Authorizer) -> list[Diagnostic]:
    texts: list[tuple[str, Any]] = [
        ("authorizerUri", authorizer.authorizer_uri),
        ("authorizerCredentials", authorizer.authorizer_credentials),
    ]
    texts += [("providerARNs", arn) for arn in authorizer.provider_arns]
    return _texts_problems(texts, authorizer.pointer)


_INTEGRATION_TEXTS = _api_names(
    Integration, ("uri", "connection_id", "credentials", "cache_namespace", "integration_target")
)


def _method_problems(
    method: Method,
    default_validator: str | None,
    authorizers: set[str],
    validators: set[str],
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if method.authorizer is not None and method.authorizer not in authorizers:
        problems.append(
            error(E_UNDEFINED, f"authorizer {method.authorizer!r} is not defined", method.pointer)
        )
    validator = method.request_validator or default_validator
    if validator is not None and validator not in validators:
        problems.append(
            error(E_UNDEFINED, f"request validator {validator!r} is not defined", method.pointer)
        )
    integration = method.integration
    if integration is None:
        return problems
    # only intrinsics (dicts) are problems: the texts list holds just those, usually none
    texts: list[tuple[str, Any]] = [
        (parameter, value)
        for f, parameter in _INTEGRATION_TEXTS
        if isinstance(value := getattr(integration, f), dict)
    ]
    texts += _map_texts("requestParameters", integration.request_parameters)
    texts += _map_texts("requestTemplates", integration.request_templates)
    if texts:
        problems += _texts_problems(texts, integration.pointer)
    for ir in integration.responses:
        ir_texts = _map_texts("responseParameters", ir.response_parameters) + _map_texts(
            "responseTemplates", ir.response_templates
        )
        if ir_texts:
            problems += _texts_problems(ir_texts, ir.pointer or integration.pointer)
    return problems


# --- the mapping table in docs/import.md --------------------------------------------------------

_INTEGRATION = "`x-amazon-apigateway-integration`"
_MAPPING: tuple[tuple[str, str, type[Any], tuple[tuple[str, str], ...]], ...] = (
    (
        "PutIntegration",
        f"{_INTEGRATION} of an operation",
        Integration,
        tuple((f, "") for f in _INTEGRATION_FIELDS),
    ),
    (
        "PutIntegrationResponse",
        f"{_INTEGRATION} `responses`, keyed by selection pattern",
        IntegrationResponse,
        (
            ("status_code", ""),
            ("selection_pattern", "the `responses` key (`default`: none)"),
            ("response_parameters", ""),
            ("response_templates", ""),
            ("content_handling", ""),
        ),
    ),
    (
        "PutMethod",
        "the operation",
        Method,
        (
            ("http_method", "the operation's key (`x-amazon-apigateway-any-method`: ANY)"),
            ("authorization_type", "`security` (scheme `x-amazon-apigateway-authtype`)"),
            ("authorizer", "`security` naming a scheme with `x-amazon-apigateway-authorizer`"),
            ("authorization_scopes", "`security` scopes"),
            ("api_key_required", "`security` naming an `apiKey` scheme"),
            ("operation_name", "`operationId`"),
            ("request_parameters", "`parameters` (path, query, header)"),
            ("request_models", "request body schema `$ref`"),
            ("request_validator", "`x-amazon-apigateway-request-validator` (else the root's)"),
        ),
    ),
    (
        "PutMethodResponse",
        "the operation's `responses`",
        MethodResponse,
        (
            ("status_code", "the `responses` key"),
            ("response_parameters", "the response's `headers`"),
            ("response_models", "the response schema `$ref`"),
        ),
    ),
    (
        "CreateRequestValidator",
        "`x-amazon-apigateway-request-validators`, keyed by name",
        RequestValidator,
        (("name", "the key"), ("validate_request_body", ""), ("validate_request_parameters", "")),
    ),
    (
        "CreateAuthorizer",
        "a security scheme's `x-amazon-apigateway-authorizer`",
        Authorizer,
        (
            ("name", "the scheme's name"),
            *((f, "") for f in _AUTHORIZER_FIELDS if f != "auth_type"),
            ("auth_type", "the scheme's `x-amazon-apigateway-authtype`"),
        ),
    ),
    (
        "PutGatewayResponse",
        "`x-amazon-apigateway-gateway-responses`, keyed by response type",
        GatewayResponse,
        (
            ("response_type", "the key"),
            ("status_code", ""),
            ("response_parameters", ""),
            ("response_templates", ""),
        ),
    ),
)

_REST_API_SETTINGS = (
    ("binary_media_types", "`x-amazon-apigateway-binary-media-types`", "add /binaryMediaTypes/…"),
    ("api_key_source", "`x-amazon-apigateway-api-key-source`", "replace /apiKeySource"),
    (
        "minimum_compression_size",
        "`x-amazon-apigateway-minimum-compression-size`",
        "replace /minimumCompressionSize",
    ),
    ("policy", "`x-amazon-apigateway-policy`", "replace /policy"),
    (
        "disable_execute_api_endpoint",
        "`x-amazon-apigateway-endpoint-configuration` `disableExecuteApiEndpoint`",
        "replace /disableExecuteApiEndpoint",
    ),
)


def mapping_markdown() -> str:
    """The document ↔ aws CLI ↔ boto3 ↔ model table, from the model's own spellings."""
    from oas2gw.model.types import cli_option, extension_name

    lines: list[str] = []
    for operation, where, model, fields in _MAPPING:
        lines += [
            f"### `{operation}` — from {where}",
            "",
            "| OpenAPI document | aws CLI option | boto3 parameter | model field |",
            "|---|---|---|---|",
        ]
        for name, source in fields:
            parameter = api_name(model, name)
            key = source or f"`{extension_name(model, name)}`"
            lines.append(
                f"| {key} | `{cli_option(parameter)}` | `{parameter}` | `{model.__name__}.{name}` |"
            )
        lines.append("")
    lines += [
        "### `UpdateRestApi` — from the document's root",
        "",
        "| OpenAPI document | aws CLI `--patch-operations` | boto3 `patchOperations` "
        "| model field |",
        "|---|---|---|---|",
    ]
    for name, source, patch in _REST_API_SETTINGS:
        lines.append(f"| {source} | `{patch}` | `{patch}` | `ApiModel.{name}` |")
    lines += [
        "",
        "### `CreateModel` — from `definitions` / `components.schemas`",
        "",
        "| OpenAPI document | aws CLI option | boto3 parameter | model field |",
        "|---|---|---|---|",
        "| the schema's name | `--name` | `name` | key of `ApiModel.models` |",
        "| the schema (JSON text) | `--schema` | `schema` | value of `ApiModel.models` |",
        "| — | `--content-type` | `contentType` | always `application/json` |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mapping_markdown(), end="")
