"""The one normalisation that export, the round trips and diff share.

API Gateway fills in values on read-back that a document rarely writes (timeout 29000, the
resource id as cache namespace, INTERNET, WHEN_NO_MATCH), spells "no selection pattern" in more
than one way and returns empty templates as null. Two models that API Gateway would treat the
same must compare equal after `normalize`, whichever side they came from.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from oas2gw.model.types import (
    HTTP_METHODS,
    ApiModel,
    Integration,
    IntegrationResponse,
    Method,
)

#: Integration fields whose value API Gateway reports when none was given.
INTEGRATION_DEFAULTS: dict[str, Any] = {
    "timeout_in_millis": 29000,
    "connection_type": "INTERNET",
    "passthrough_behavior": "WHEN_NO_MATCH",
}

#: Authorizer fields API Gateway fills in when none was given.
AUTHORIZER_DEFAULTS: dict[str, Any] = {"authorizer_result_ttl_in_seconds": 300}

#: API-level values API Gateway reports when none was given.
API_DEFAULTS: dict[str, Any] = {
    "api_key_source": "HEADER",
    "disable_execute_api_endpoint": False,
}
#: endpoint configuration members and their read-back defaults
ENDPOINT_DEFAULTS: dict[str, Any] = {"types": ["EDGE"], "ipAddressType": "ipv4"}

#: The models `create-rest-api` makes in every API (their `$schema` marker left out);
#: exported only when a method uses them or they were changed.
DEFAULT_MODELS: dict[str, dict[str, Any]] = {
    "Empty": {"title": "Empty Schema", "type": "object"},
    "Error": {
        "title": "Error Schema",
        "type": "object",
        "properties": {"message": {"type": "string"}},
    },
}

#: the three ways a schema names an API Gateway model
_MODEL_REF = re.compile(
    r"^(?:https://apigateway\.amazonaws\.com/restapis/[^/]+/models/|#/definitions/"
    r"|#/components/schemas/)([^/]+)$"
)
#: the form models refer to each other in after normalisation
CANONICAL_REF = "#/components/schemas/"


def model_ref_name(ref: str) -> str | None:
    """`#/definitions/Pet`, `#/components/schemas/Pet` or API Gateway's model URL -> `Pet`."""
    found = _MODEL_REF.match(ref)
    if found is None:
        return None
    return found.group(1).replace("~1", "/").replace("~0", "~")


def rewrite_model_refs(schema: Any, prefix: str) -> Any:
    """`schema` with every reference to a model written `prefix` + its name."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            name = model_ref_name(value) if key == "$ref" and isinstance(value, str) else None
            if name is not None:
                out[key] = prefix + name.replace("~", "~0").replace("/", "~1")
            else:
                out[key] = rewrite_model_refs(value, prefix)
        return out
    if isinstance(schema, list):
        return [rewrite_model_refs(v, prefix) for v in schema]
    return schema


class _Response(Protocol):
    @property
    def status_code(self) -> str: ...


R = TypeVar("R", bound=_Response)

_METHOD_ORDER = {name: i for i, name in enumerate(HTTP_METHODS)}


def method_order(http_method: str) -> tuple[int, str]:
    """GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, ANY: the fixed order of an export."""
    return (_METHOD_ORDER.get(http_method, len(_METHOD_ORDER)), http_method)


def status_order(status_code: str) -> tuple[int, str]:
    """Numeric status codes in numeric order, anything else (`default`, `2XX`) after them."""
    order = _STATUS_ORDERS.get(status_code)
    if order is None:
        order = (int(status_code), "") if status_code.isdigit() else (1000, status_code)
        if len(_STATUS_ORDERS) < 4096:  # a few dozen codes in any real API
            _STATUS_ORDERS[status_code] = order
    return order


_STATUS_ORDERS: dict[str, tuple[int, str]] = {}


M = TypeVar("M", bound=BaseModel)


def _copy(obj: M, update: dict[str, Any]) -> M:
    """`obj.model_copy(update=update)` without its general path, for the models here (extra
    fields forbidden, no private attributes): a new instance over the updated `__dict__`, the
    updated names added to the fields set. Once per integration and method a document sets a
    default in, so it counts; anything else goes through `model_copy`."""
    cls = type(obj)
    if obj.__pydantic_extra__ is not None or obj.__pydantic_private__ is not None:
        return obj.model_copy(update=update)
    new = cls.__new__(cls)
    _set(new, "__dict__", {**obj.__dict__, **update})
    _set(new, "__pydantic_extra__", None)
    _set(new, "__pydantic_fields_set__", obj.__pydantic_fields_set__ | update.keys())
    _set(new, "__pydantic_private__", None)
    return new


_set = object.__setattr__


def drop_integration_defaults(
    integration: Integration, resource_id: str | None = None
) -> Integration:
    """Leave out what API Gateway reports for an integration that did not set it."""
    values = integration.__dict__  # the fields: one lookup each
    changes: dict[str, Any] = {}
    for name, default in INTEGRATION_DEFAULTS.items():
        if values[name] == default:
            changes[name] = None
    if resource_id is not None and values["cache_namespace"] == resource_id:
        changes["cache_namespace"] = None
    return _copy(integration, changes) if changes else integration


def _templates(templates: Mapping[str, Any]) -> dict[str, Any]:
    """API Gateway returns an empty template as null."""
    return {k: ("" if v is None else v) for k, v in templates.items()}


def _has_null(templates: Mapping[str, Any]) -> bool:
    # `in` compares in C; the values are text or JSON objects, none of which equals None
    return bool(templates) and None in templates.values()


def same_objects(new: Sequence[Any], old: Sequence[Any]) -> bool:
    """The same objects in the same order: a copy would change nothing (the models are
    frozen, so the canonical form is often the object itself, and two readings of one saved
    JSON share their methods)."""
    return len(new) == len(old) and all(map(operator.is_, new, old))


def normalize_integration_response(response: IntegrationResponse) -> IntegrationResponse:
    if response.selection_pattern != "" and not _has_null(response.response_templates):
        return response
    updates: dict[str, Any] = {"response_templates": _templates(response.response_templates)}
    if response.selection_pattern == "":
        updates["selection_pattern"] = None
    return _copy(response, updates)


def by_status(items: Sequence[R]) -> Sequence[R]:
    """Responses by `status_order`, stably: `items` itself when in that order already."""
    if len(items) > 1:
        previous = status_order(items[0].status_code)
        for item in items[1:]:
            order = status_order(item.status_code)
            if order < previous:
                return sorted(items, key=lambda r: status_order(r.status_code))
            previous = order
    return items


def normalize_integration(
    integration: Integration, *, keep_defaults: bool = False, resource_id: str | None = None
) -> Integration:
    given = integration.responses
    responses: Sequence[IntegrationResponse] = given
    for index, response in enumerate(given):
        if (first := normalize_integration_response(response)) is not response:  # from here on
            later = map(normalize_integration_response, given[index + 1 :])
            responses = [*given[:index], first, *later]
            break
    responses = by_status(responses)
    updated = integration
    if responses is not given or _has_null(integration.request_templates):
        updated = _copy(
            integration,
            {
                "responses": tuple(responses),
                "request_templates": _templates(integration.request_templates),
            },
        )
    return updated if keep_defaults else drop_integration_defaults(updated, resource_id)


def normalize_method(
    method: Method, *, keep_defaults: bool = False, resource_id: str | None = None
) -> Method:
    responses = by_status(method.responses)
    integration = method.integration
    if integration is not None:
        integration = normalize_integration(
            integration, keep_defaults=keep_defaults, resource_id=resource_id
        )
    if integration is method.integration and responses is method.responses:
        return method
    return _copy(method, {"responses": tuple(responses), "integration": integration})


def used_models(model: ApiModel) -> set[str]:
    names: set[str] = set()
    for _, method in model.iter_methods():
        names.update(method.request_models.values())
        for response in method.responses:
            names.update(response.response_models.values())
    return names


def _schema_key(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True)


def drop_default_models(model: ApiModel) -> dict[str, Any]:
    """The API's models without the untouched `Empty`/`Error` that no method uses."""
    if DEFAULT_MODELS.keys().isdisjoint(model.models):  # nothing to drop: no need to look
        return dict(model.models)
    used = used_models(model)
    return {
        name: schema
        for name, schema in model.models.items()
        if name in used
        or name not in DEFAULT_MODELS
        or _schema_key(schema) != _schema_key(DEFAULT_MODELS[name])
    }


def _apply_default_validator(model: ApiModel) -> ApiModel:
    default = model.default_request_validator
    resources = tuple(
        r.model_copy(
            update={
                "methods": tuple(
                    m
                    if m.request_validator is not None
                    else m.model_copy(update={"request_validator": default})
                    for m in r.methods
                )
            }
        )
        for r in model.resources
    )
    return model.model_copy(update={"resources": resources, "default_request_validator": None})


def drop_endpoint_defaults(config: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """An edge-optimised IPv4 endpoint is what every API has unless told otherwise."""
    if config is None:
        return None
    kept = {
        k: v
        for k, v in config.items()
        if not (k in ENDPOINT_DEFAULTS and v == ENDPOINT_DEFAULTS[k]) and v not in ([], None)
    }
    return kept or None


def normalize(
    model: ApiModel,
    *,
    keep_defaults: bool = False,
    resource_ids: Mapping[str, str] | None = None,
    methods_normalized: bool = False,
) -> ApiModel:
    """The canonical form of `model`: resources by path, methods and responses in fixed order,
    read-back defaults left out unless `keep_defaults`. `resource_ids` (path -> id) lets a
    cache namespace equal to its resource id count as a default. `methods_normalized` says
    each method is already what `normalize_method` makes of it with these arguments (a reader
    that normalises as it reads): it would hand each back as it is, so it is not asked."""
    ids = resource_ids or {}
    if model.default_request_validator is not None:  # API Gateway applies it to each method
        model = _apply_default_validator(model)
        methods_normalized = False  # a method given the default validator is a new one
    resources = []
    for resource in sorted(model.resources, key=lambda r: r.path):
        if not resource.methods:  # API Gateway makes parents as needed; a bare path says nothing
            continue
        resource_id = ids.get(resource.path)
        methods: Sequence[Method] = (
            resource.methods
            if methods_normalized
            else [
                normalize_method(m, keep_defaults=keep_defaults, resource_id=resource_id)
                for m in resource.methods
            ]
        )
        if len(methods) > 1:  # most resources have one method
            methods = sorted(methods, key=lambda m: method_order(m.http_method))
        if not same_objects(methods, resource.methods):
            resource = _copy(resource, {"methods": tuple(methods)})
        resources.append(resource)
    updated = model.model_copy(update={"resources": tuple(resources)})
    gateway_responses = tuple(
        sorted(
            (
                g.model_copy(update={"response_templates": _templates(g.response_templates)})
                for g in model.gateway_responses
            ),
            key=lambda g: g.response_type,
        )
    )
    api_level: dict[str, Any] = {}
    if not keep_defaults:
        api_level = {k: None for k, v in API_DEFAULTS.items() if getattr(model, k) == v}
        api_level["endpoint_configuration"] = drop_endpoint_defaults(model.endpoint_configuration)
    return updated.model_copy(
        update={
            **api_level,
            "models": {
                name: rewrite_model_refs(schema, CANONICAL_REF)
                for name, schema in (
                    model.models if keep_defaults else drop_default_models(updated)
                ).items()
            },
            "gateway_responses": gateway_responses,
            "request_validators": tuple(sorted(model.request_validators, key=lambda v: v.name)),
            "authorizers": tuple(
                sorted(
                    (
                        a
                        if keep_defaults
                        else a.model_copy(
                            update={
                                k: None
                                for k, v in AUTHORIZER_DEFAULTS.items()
                                if getattr(a, k) == v
                            }
                        )
                        for a in model.authorizers
                    ),
                    key=lambda a: a.name,
                )
            ),
        }
    )


def comparable(model: ApiModel) -> dict[str, Any]:
    """The normalised model as plain data for deepdiff: pointers and source details left out."""
    return normalize(model).model_dump(mode="json", by_alias=True, exclude_none=True)


__all__ = [
    "API_DEFAULTS",
    "AUTHORIZER_DEFAULTS",
    "CANONICAL_REF",
    "DEFAULT_MODELS",
    "ENDPOINT_DEFAULTS",
    "INTEGRATION_DEFAULTS",
    "by_status",
    "comparable",
    "drop_default_models",
    "drop_endpoint_defaults",
    "drop_integration_defaults",
    "method_order",
    "model_ref_name",
    "normalize",
    "normalize_integration",
    "normalize_method",
    "rewrite_model_refs",
    "same_objects",
    "status_order",
]
