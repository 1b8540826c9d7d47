"""API Gateway's own JSON -> `ApiModel`, with no AWS access.

`model_from_aws` turns the outputs of `get-rest-api`, `get-resources --embed methods`,
`get-authorizers`, `get-request-validators`, `get-models`, `get-gateway-responses` and
`get-documentation-parts` into the model; the live reader feeds it from boto3, `read_dump` from
saved files. Each saved file may hold one of those outputs, several pages concatenated, or a
`get-export` document (Swagger 2.0 / OpenAPI 3.0 JSON or YAML); the kind is told by its content.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import BaseModel, ValidationError

from oas2gw.diagnostics import Diagnostic, DiagnosticList, Severity, join_pointer
from oas2gw.export import codes as C
from oas2gw.model.normalize import (
    INTEGRATION_DEFAULTS,
    by_status,
    drop_integration_defaults,
    normalize,
    normalize_integration_response,
    normalize_method,
    same_objects,
)
from oas2gw.model.types import (
    ApiModel,
    Authorizer,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
    Resource,
)

#: the marker API Gateway puts on every model's schema; not part of an OpenAPI schema
_DRAFT4 = re.compile(r"^https?://json-schema\.org/draft-04/schema#?$")
#: what an API Gateway id looks like (resource, authorizer, validator ids)
_AWS_ID = re.compile(r"^[a-z0-9]{6,10}$")


@dataclass
class AwsParts:
    """API Gateway's outputs for one REST API, as boto3 returns them (or the CLI prints them)."""

    rest_api: dict[str, Any] = field(default_factory=dict)
    resources: list[dict[str, Any]] = field(default_factory=list)
    authorizers: list[dict[str, Any]] | None = None
    validators: list[dict[str, Any]] | None = None
    models: list[dict[str, Any]] | None = None
    gateway_responses: list[dict[str, Any]] | None = None
    documentation_parts: list[dict[str, Any]] | None = None
    #: get-export documents, turned into models by the builder
    exports: list[tuple[str, Any]] = field(default_factory=list)
    #: a saved file held NaN or an infinity (which only the json module reads)
    non_finite: bool = False


def model_from_aws(
    parts: AwsParts,
    *,
    keep_defaults: bool = False,
    source: str = "",
    memo: MethodMemo | None = None,
    consume: bool = False,
) -> tuple[ApiModel, list[Diagnostic]]:
    """The model of what API Gateway holds, normalised unless `keep_defaults`. A `memo` shared
    by several calls lets each reuse the methods an earlier one read from the same JSON.
    `consume`: `parts` is not used afterwards, so each resource's methods are let go once read
    (the JSON and the model are never whole at once)."""
    return _Converter(parts, source, memo, consume).model(keep_defaults)


# -- saved files ---------------------------------------------------------------------------


#: parts of an API a source may lack, by the `AwsParts` field that holds them
PARTS = ("rest_api", "authorizers", "validators", "models", "gateway_responses",
         "documentation_parts")  # fmt: skip


def unknown_parts(parts: AwsParts) -> frozenset[str]:
    """The parts the source did not give (not the same as an API without them)."""
    return frozenset(
        name for name in PARTS if getattr(parts, name) is None or getattr(parts, name) == {}
    )


def read_dump(
    paths: Sequence[str | os.PathLike[str]],
    *,
    keep_defaults: bool = False,
    texts: Mapping[str, str | bytes] | None = None,
    memo: MethodMemo | None = None,
) -> tuple[ApiModel | None, list[Diagnostic]]:
    """Read saved API Gateway outputs (any mix, any order) into one model.

    `texts` maps a name in `paths` to its content, for callers that hold it already. The model is
    None when no file could be used. `memo`: see `MethodMemo`.
    """
    model, diags, _ = read_dump_parts(paths, keep_defaults=keep_defaults, texts=texts, memo=memo)
    return model, diags


def read_dump_parts(
    paths: Sequence[str | os.PathLike[str]],
    *,
    keep_defaults: bool = False,
    texts: Mapping[str, str | bytes] | None = None,
    memo: MethodMemo | None = None,
) -> tuple[ApiModel | None, list[Diagnostic], frozenset[str]]:
    """`read_dump`, and the parts of the API (`PARTS`) the files did not hold."""
    parts = AwsParts()
    diags = DiagnosticList()
    for path in paths:
        name = os.fspath(path)
        raw = texts[name] if texts is not None and name in texts else Path(name).read_bytes()
        values = _json_values(raw, name, diags, parts)
        del raw  # the bytes go before the model is built
        for value in values:
            classify(value, parts, name, diags)
        del values
    if not parts.resources and not parts.exports and not parts.rest_api:
        if not diags.items:
            diags.add(
                _file_error(
                    C.E402,
                    "no get-resources, get-rest-api or get-export output found",
                    ", ".join(os.fspath(p) for p in paths),
                )
            )
        return None, diags.items, frozenset(PARTS)
    if parts.exports and not parts.resources:
        return (*_from_exports(parts, keep_defaults, diags), frozenset())
    source = ", ".join(os.fspath(p) for p in paths)
    model, more = model_from_aws(
        parts, keep_defaults=keep_defaults, source=source, memo=memo, consume=True
    )
    diagnostics = diags.items + [d if d.file else replace(d, file=source) for d in more]
    return model, diagnostics, unknown_parts(parts)


def _file_error(code: str, message: str, file: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, file=file)


#: the integration's read-back defaults as API Gateway writes them: (key, field name, value)
_WRITTEN_DEFAULTS = tuple(
    (Integration.model_fields[name].alias or name, name, value)
    for name, value in INTEGRATION_DEFAULTS.items()
)


def _drop_read_back_defaults(data: dict[str, Any], resource_id: str | None) -> None:
    """Leave out of an integration's saved JSON what `drop_integration_defaults` would leave
    out of the model, where it is written as API Gateway writes it (exact type and spelling;
    any other spelling of a default is still left to normalisation, after validation)."""
    for key, name, value in _WRITTEN_DEFAULTS:
        if key in data and name not in data:
            written = data[key]
            if type(written) is type(value) and written == value:
                del data[key]
    if (
        resource_id is not None
        and "cache_namespace" not in data
        and data.get("cacheNamespace") == resource_id
    ):
        del data["cacheNamespace"]


def _fields(cls: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """What `cls` is validated from: `data` without nulls, the keys the model does not know
    under `extensions` when it has them (AWS keeps adding fields), else left out. `data` is
    the caller's own dict, and may be what is returned."""
    known, extensible = _known_keys(cls)
    if data.keys() <= known and None not in data.values():  # as a rule: `data` as it is
        return data
    fields = {k: v for k, v in data.items() if v is not None}
    if not fields.keys() <= known:  # rare: one pass over the keys says so
        extra = {k: v for k, v in fields.items() if k not in known}
        fields = {k: v for k, v in fields.items() if k in known}
        if extensible:
            fields["extensions"] = extra
    return fields


def _integration_response(code: Any, resp: dict[str, Any]) -> dict[str, Any]:
    """An integration response's JSON, canonical as far as its spellings allow."""
    data = {"statusCode": code, **resp}
    _templates(data, "responseTemplates")
    if data.get("selectionPattern") == "" and "selection_pattern" not in data:
        del data["selectionPattern"]  # the `default` response: None, as normalised
    return data


def _name_references(data: dict[str, Any], names: tuple[str | None, str | None]) -> None:
    """The method's authorizer and validator by name (`names`), in place of AWS's ids."""
    data.pop("authorizerId", None)
    data.pop("requestValidatorId", None)
    authorizer, validator = names
    if authorizer is not None:
        data["authorizer"] = authorizer
    if validator is not None:
        data["requestValidator"] = validator


#: responses kept for sharing per reading: as many as any real API has, bounded all the same
_SHARED_KEPT = 4096


def _method_response_fields(code: Any, resp: dict[str, Any]) -> dict[str, Any]:
    return _fields(MethodResponse, {"statusCode": code, **resp})


def _integration_response_fields(code: Any, resp: dict[str, Any]) -> dict[str, Any]:
    return _fields(IntegrationResponse, _integration_response(code, resp))


def _templates(data: dict[str, Any], key: str) -> None:
    """API Gateway returns an empty template as null."""
    templates = data.get(key)
    if isinstance(templates, dict) and None in templates.values():
        data[key] = {k: ("" if v is None else v) for k, v in templates.items()}


def _json_values(
    raw: str | bytes, name: str, diags: DiagnosticList, parts: AwsParts | None = None
) -> list[Any]:
    """One JSON value, or several concatenated (pages saved one after the other); YAML for a
    `get-export --accepts application/yaml` document. `parts.non_finite` is set when the text
    holds NaN or an infinity (orjson refuses them; the json module reads them)."""
    try:
        return [orjson.loads(raw)]
    except orjson.JSONDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw

    def non_finite(constant: str) -> float:
        if parts is not None:
            parts.non_finite = True
        return float(constant)

    decoder = json.JSONDecoder(parse_constant=non_finite)
    values: list[Any] = []
    pos, end = 0, len(text)
    try:
        while True:
            while pos < end and text[pos].isspace():
                pos += 1
            if pos >= end:
                break
            value, pos = decoder.raw_decode(text, pos)
            values.append(value)
    except json.JSONDecodeError as exc:
        if not values:
            try:
                import yaml

                loaded = yaml.load(text, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, dict) and ("swagger" in loaded or "openapi" in loaded):
                return [loaded]
        diags.add(_file_error(C.E402, f"not JSON: {exc}", name))
    return values


def classify(value: Any, parts: AwsParts, name: str, diags: DiagnosticList) -> None:
    """File one saved output under what it is, told by its shape."""
    if not isinstance(value, dict):
        diags.add(_file_error(C.E402, "a saved output must be a JSON object", name))
        return
    if "swagger" in value or "openapi" in value:
        parts.exports.append((name, value))
        return
    if "rootResourceId" in value or ("id" in value and "name" in value and "items" not in value):
        parts.rest_api.update(value)
        return
    items = value.get("items", value.get("item"))
    if not isinstance(items, list):
        diags.add(_file_error(C.E402, "no `items` list: not an API Gateway output", name))
        return
    for item in items:
        if not isinstance(item, dict):
            diags.add(_file_error(C.E403, "an item is not a JSON object; skipped", name))
            continue
        kind = _kind_of(item)
        if kind is None:
            diags.add(_file_error(C.E403, f"item {str(item)[:60]!r} is of no known kind", name))
            continue
        target = getattr(parts, kind)
        if target is None:
            target = []
            setattr(parts, kind, target)
        target.append(item)


def _kind_of(item: Mapping[str, Any]) -> str | None:
    if "path" in item or "resourceMethods" in item or "pathPart" in item:
        return "resources"
    if "responseType" in item:
        return "gateway_responses"
    if "validateRequestBody" in item or "validateRequestParameters" in item:
        return "validators"
    if "schema" in item or "contentType" in item:
        return "models"
    if "location" in item and "properties" in item:
        return "documentation_parts"
    if "type" in item and (
        "identitySource" in item
        or "authorizerUri" in item
        or "providerARNs" in item
        or item.get("type") in ("TOKEN", "REQUEST", "COGNITO_USER_POOLS")
    ):
        return "authorizers"
    return None


def _from_exports(
    parts: AwsParts, keep_defaults: bool, diags: DiagnosticList
) -> tuple[ApiModel | None, list[Diagnostic]]:
    """A `get-export` document: the builder reads it as any OpenAPI document would be read."""
    from oas2gw.model.build import build_model

    name, tree = parts.exports[0]
    model, built = build_model(tree)
    for d in built:
        diags.add(d if d.file else Diagnostic(d.code, d.severity, d.message, d.pointer, None, name))
    if model.integration_count == 0 and model.resources:
        diags.warning(
            C.W405,
            "the get-export document holds no x-amazon-apigateway-integration: export it with "
            "`--parameters extensions=integrations` (or `extensions=apigateway`)",
        )
    if not keep_defaults:
        model = normalize(model, resource_ids=_export_namespaces(model))
    return model, diags.items


def _export_namespaces(model: ApiModel) -> dict[str, str]:
    """`get-export` writes each integration's cache namespace, which is its resource's id unless
    set; an id-shaped namespace that one resource's methods share is taken for that id."""
    out: dict[str, str] = {}
    for resource in model.resources:
        spaces = {
            m.integration.cache_namespace
            for m in resource.methods
            if m.integration is not None and isinstance(m.integration.cache_namespace, str)
        }
        if len(spaces) == 1:
            (space,) = spaces
            if isinstance(space, str) and _AWS_ID.match(space):
                out[resource.path] = space
    return out


# -- API Gateway's shapes -> the model -------------------------------------------------------


def _parse_json_text(value: Any) -> Any:
    """API Gateway returns policies and model schemas as JSON text (policies with their quotes
    escaped once more)."""
    if not isinstance(value, str):
        return value
    for candidate in (value, value.replace('\\"', '"')):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return value


def _strip_schema_marker(schema: Any) -> Any:
    if isinstance(schema, dict) and _DRAFT4.match(str(schema.get("$schema", ""))):
        return {k: v for k, v in schema.items() if k != "$schema"}
    return schema


@functools.cache
def _known_keys(cls: type[BaseModel]) -> tuple[frozenset[str], bool]:
    """A model's aliases and field names, and whether it keeps unknown keys (once per class:
    the dump has 100,000 objects at 10,000 methods)."""
    fields = cls.model_fields
    names = {f.alias or n for n, f in fields.items()} | set(fields)
    return frozenset(names), "extensions" in fields


class _Read(NamedTuple):
    """One method as read: where its saved JSON is in the memo's `texts`, the context it was
    read in, and the outcome."""

    start: int
    end: int
    resource_id: str | None
    keep_defaults: bool
    names: tuple[str | None, str | None]
    diagnostics: tuple[Diagnostic, ...]
    method: Method | None


class MethodMemo:
    """The methods one reading of saved JSON produced, by (path, HTTP method), for a second
    reading to take where its saved JSON is the same: two dumps of one API (`diff`) then
    build only the methods that differ, and share the rest as the same objects.

    Reading a method is a function of its saved JSON, its resource's id, the names its
    authorizer and validator ids resolve to, and `keep_defaults`; the memo compares all of
    them. The JSON is compared as orjson writes it, which tells `1` from `1.0` and `true` and
    keeps key order (Python's `==` does neither). The texts are kept end to end in one buffer
    (about 1.2 KB per method: 12 MB at 10,000): hashing each instead cost a reading a third
    more than writing it, and 10,000 texts kept as objects of their own scatter through the
    heap that the parsed dump is freed into, which cost a diff's peak 50 MiB, not 12. A
    reading with `remember` off (the last one) keeps nothing. Values orjson writes as `null`
    (NaN, infinities) are not compared: `not_comparable` turns the memo off for a source with
    them.
    """

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], _Read] = {}
        #: the resources of the last reading by path, each taken when its methods are the same
        self.resources: dict[str, Resource] = {}
        self.texts = bytearray()
        self.enabled = True
        self.remember = True

    def saved(self, body: dict[str, Any]) -> bytes | None:
        if not self.enabled:
            return None
        try:
            return orjson.dumps(body)
        except orjson.JSONEncodeError:  # an integer past 64 bits, read by the json module
            return None

    def take(
        self, key: tuple[str, str], saved: bytes | None, resource_id: str | None, keep: bool
    ) -> _Read | None:
        """The entry of `key`, when it was read from the text `saved` in the same context;
        taken out either way: each entry serves one later reading."""
        entry = self.entries.pop(key, None)
        if (
            entry is None
            or saved is None
            or entry.end - entry.start != len(saved)
            or entry.resource_id != resource_id
            or entry.keep_defaults != keep
            or self.texts[entry.start : entry.end] != saved
        ):
            return None
        return entry

    def keep(
        self,
        key: tuple[str, str],
        saved: bytes,
        resource_id: str | None,
        keep_defaults: bool,
        names: tuple[str | None, str | None],
        diagnostics: tuple[Diagnostic, ...],
        method: Method | None,
    ) -> None:
        if self.remember:
            start = len(self.texts)
            self.texts += saved
            self.entries[key] = _Read(
                start, len(self.texts), resource_id, keep_defaults, names, diagnostics, method
            )


class _Converter:
    def __init__(
        self, parts: AwsParts, source: str, memo: MethodMemo | None = None, consume: bool = False
    ) -> None:
        self.parts = parts
        self.consume = consume
        self.source = source
        self.memo = memo if memo is not None and not parts.non_finite else None
        #: responses built from their saved JSON, by class, status code and text (orjson's,
        #: which tells `1` from `true`; none when NaN was read, which it writes as `null`)
        self.shared: dict[tuple[type[BaseModel], Any, bytes], BaseModel] | None = (
            None if parts.non_finite else {}
        )
        #: the same for whole sets of responses (a method's or an integration's), by their text
        self.shared_sets: dict[tuple[type[BaseModel], None, bytes], tuple[BaseModel, ...]] = {}
        self.keep_defaults = False
        self.diags = DiagnosticList()
        self.warned: set[tuple[str, str]] = set()
        self.authorizer_names = {
            str(a.get("id")): str(a.get("name")) for a in parts.authorizers or [] if "id" in a
        }
        self.validator_names = {
            str(v.get("id")): str(v.get("name")) for v in parts.validators or [] if "id" in v
        }

    def build(self, cls: type[BaseModel], data: dict[str, Any], where: str) -> Any:
        """Validate one object; fields the model does not know go to its `extensions` when it
        has them (AWS keeps adding fields), and are otherwise left out."""
        try:
            return cls.__pydantic_validator__.validate_python(_fields(cls, data))
        except ValidationError as exc:
            self.diags.error(C.E403, f"{cls.__name__} at {where}: {exc.errors()[0]['msg']}")
            return None

    def model(self, keep_defaults: bool) -> tuple[ApiModel, list[Diagnostic]]:
        self.keep_defaults = keep_defaults
        rest = self.parts.rest_api
        resources, ids = self.resources()
        data: dict[str, Any] = {
            "name": rest.get("name"),
            "description": rest.get("description"),
            "version": rest.get("version"),
            "binaryMediaTypes": [t.replace("~1", "/") for t in rest.get("binaryMediaTypes", [])],
            "apiKeySource": rest.get("apiKeySource"),
            "minimumCompressionSize": rest.get("minimumCompressionSize"),
            "endpointConfiguration": rest.get("endpointConfiguration"),
            "policy": _parse_json_text(rest.get("policy")),
            "disableExecuteApiEndpoint": rest.get("disableExecuteApiEndpoint"),
            "requestValidators": self.validators(),
            "authorizers": self.authorizers(),
            "gatewayResponses": self.gateway_responses(),
            "models": self.models(),
            "documentation": self.documentation(),
            "resources": resources,
        }
        model = self.build(ApiModel, data, "the REST API")
        if model is None:
            model = ApiModel(resources=tuple(resources))
        # `resources` normalised each method with these ids (see `method_at`)
        normalized = normalize(
            model, keep_defaults=keep_defaults, resource_ids=ids, methods_normalized=True
        )
        return normalized, self.diags.items

    def resources(self) -> tuple[list[Resource], dict[str, str]]:
        # each path's id first (the last page's wins), so that each method is normalised as it
        # is read, with the id `normalize` gives it: normalising twice changes nothing
        ids = {
            item["path"]: item["id"]
            for item in self.parts.resources
            if isinstance(item.get("path"), str) and isinstance(item.get("id"), str)
        }
        by_path: dict[str, Resource] = {}
        memo = self.memo
        for item in self.parts.resources:
            path = item.get("path")
            if not isinstance(path, str):
                self.diags.error(C.E403, f"resource {item.get('id')!r} has no path; skipped")
                continue
            methods = []
            raw_methods = item.get("resourceMethods") or {}
            resource_id = ids.get(path)
            for verb, body in raw_methods.items() if isinstance(raw_methods, dict) else ():
                method = self.method_at(path, verb, body, resource_id)
                if method is not None:
                    methods.append(method)
            if self.consume and raw_methods:
                item["resourceMethods"] = None
            previous = by_path.get(path)
            if previous is not None:  # the same resource on two pages
                methods = list(previous.methods) + methods
            # the memo's resource when its methods are these very objects: the same resource
            prior = memo.resources.pop(path, None) if memo is not None else None
            if prior is not None and same_objects(prior.methods, methods):
                by_path[path] = prior
                continue
            by_path[path] = Resource(path=path, methods=tuple(methods))
        if memo is not None and memo.remember:
            memo.resources.update(by_path)
        return list(by_path.values()), ids

    def method_at(self, path: str, verb: str, body: Any, resource_id: str | None) -> Method | None:
        """The normalised method `verb` of `path`; the memo's own object when the memo read
        the same saved JSON in the same context."""
        if not isinstance(body, dict):
            where = join_pointer("", path, verb)
            self.diags.error(C.E403, f"method {where} is not an object; skipped")
            return None
        memo, key = self.memo, (path, verb)
        saved = memo.saved(body) if memo is not None else None
        entry = memo.take(key, saved, resource_id, self.keep_defaults) if memo is not None else None
        names = self.names(body)
        # a fresh read names the authorizer and validator first (each unnamed id warned about
        # once per source); with the same names, the build is the same
        if entry is not None and names == entry.names:
            self.diags.items.extend(entry.diagnostics)
            return entry.method
        start = len(self.diags.items)
        method = self.whole_method({"httpMethod": verb, **body}, names, resource_id)
        if method is not None:  # canonical but for defaults spelled otherwise than AWS does
            integration = method.integration
            if integration is not None and not self.keep_defaults:
                dropped = drop_integration_defaults(integration, resource_id)
                if dropped is not integration:
                    method = method.model_copy(update={"integration": dropped})  # rare
        else:
            where = join_pointer("", path, verb)
            method = self.method({"httpMethod": verb, **body}, where, names, resource_id)
            if method is not None:
                method = normalize_method(
                    method, keep_defaults=self.keep_defaults, resource_id=resource_id
                )
        if memo is not None and saved is not None:
            diagnostics = tuple(self.diags.items[start:])
            memo.keep(key, saved, resource_id, self.keep_defaults, names, diagnostics, method)
        return method

    def names(self, body: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """The names of a method's authorizer and request validator, told by their ids."""
        authorizer_id, validator_id = body.get("authorizerId"), body.get("requestValidatorId")
        authorizer = (
            None
            if authorizer_id is None
            else self.name_of(authorizer_id, self.authorizer_names, "authorizer")
        )
        validator = (
            None
            if validator_id is None
            else self.name_of(validator_id, self.validator_names, "request validator")
        )
        return authorizer, validator

    def whole_method(
        self, data: dict[str, Any], names: tuple[str | None, str | None], resource_id: str | None
    ) -> Method | None:
        """The method in one validation, from the same JSON `method` builds each part from,
        when every part is well formed; else None, for `method` to build it part by part and
        report each problem. A model validated from nested JSON is the one built from its
        validated parts (the models have field validators only). Its responses are in
        canonical form (`well_formed`) and its read-back defaults left out where spelled as
        AWS spells them, so only defaults spelled otherwise are left to drop for the method to
        be what `normalize_method` makes of it. `data` is the method's own copy (it is
        changed); the members it holds are not changed."""
        raw_responses = data.pop("methodResponses", None) or {}
        integration = data.pop("methodIntegration", None)
        _name_references(data, names)
        responses = self.well_formed(raw_responses, MethodResponse, _method_response_fields)
        if responses is None:
            return None
        data["responses"] = responses
        if isinstance(integration, dict):
            idata = dict(integration)
            raw_responses = idata.pop("integrationResponses", None) or {}
            responses = self.well_formed(
                raw_responses, IntegrationResponse, _integration_response_fields
            )
            if responses is None:
                return None
            idata["responses"] = responses
            _templates(idata, "requestTemplates")
            if not self.keep_defaults:
                _drop_read_back_defaults(idata, resource_id)
            data["integration"] = _fields(Integration, idata)
        try:
            method: Method = Method.__pydantic_validator__.validate_python(_fields(Method, data))
        except ValidationError:
            return None
        return method

    def well_formed(
        self,
        raw: Any,
        cls: type[BaseModel],
        fields: Callable[[Any, dict[str, Any]], dict[str, Any]],
    ) -> Sequence[Any] | None:
        """Each saved response (a status code to an object) as its model, or None when they
        are not all well formed (the caller then reads them one by one, and says why). A
        response saved as the same JSON as one built before is that same object: an API
        repeats a few responses thousands of times (its 200 and its CORS headers), and a
        model is a function of its JSON, so each is validated once, and held once. So are
        whole sets of responses, looked up first: one text per method, not one per response."""
        if not isinstance(raw, dict):
            return None
        shared = self.shared
        whole = None
        if shared is not None and raw:
            try:
                whole = (cls, None, orjson.dumps(raw))
            except orjson.JSONEncodeError:  # an integer past 64 bits
                pass
            else:
                if (responses := self.shared_sets.get(whole)) is not None:
                    return responses
        out: list[Any] = []
        for code, resp in raw.items():
            if resp and not isinstance(resp, dict):
                return None
            key = None
            if shared is not None:
                try:
                    key = (cls, code, orjson.dumps(resp))
                except orjson.JSONEncodeError:  # an integer past 64 bits
                    pass
                else:
                    if (built := shared.get(key)) is not None:
                        out.append(built)
                        continue
            try:
                built = cls.__pydantic_validator__.validate_python(fields(code, resp or {}))
            except ValidationError:
                return None
            if key is not None and shared is not None and len(shared) < _SHARED_KEPT:
                shared[key] = built
            out.append(built)
        # in canonical form, as `normalize_method` puts them
        if cls is IntegrationResponse:
            out = [normalize_integration_response(r) for r in out]
        canonical = tuple(by_status(out))
        if whole is not None and len(self.shared_sets) < _SHARED_KEPT:
            self.shared_sets[whole] = canonical
        return canonical

    def method(
        self,
        data: dict[str, Any],
        where: str,
        names: tuple[str | None, str | None],
        resource_id: str | None,
    ) -> Method | None:
        """Build a method from its own copy of the saved JSON (`data` is changed)."""
        integration = data.pop("methodIntegration", None)
        responses = data.pop("methodResponses", None) or {}
        _name_references(data, names)
        built = [
            self.build(MethodResponse, {"statusCode": code, **resp}, where)
            for code, resp in self.responses(responses, "methodResponses", where)
        ]
        data["responses"] = by_status([r for r in built if r is not None])
        if isinstance(integration, dict):
            data["integration"] = self.integration(integration, where, resource_id)
        return self.build(Method, data, where)  # type: ignore[no-any-return]

    def responses(self, value: Any, what: str, where: str) -> list[tuple[Any, dict[str, Any]]]:
        """The responses of a method or integration by status code; what is not an object is
        reported and skipped (a hand-edited file may hold anything)."""
        if not isinstance(value, dict):
            self.diags.error(C.E403, f"{what} of {where} is not an object; skipped")
            return []
        out = []
        for code, resp in value.items():
            if not resp or isinstance(resp, dict):  # null, like any empty value, is no members
                out.append((code, resp or {}))
            else:
                self.diags.error(C.E403, f"{what}[{code}] of {where} is not an object; skipped")
        return out

    def name_of(self, ident: str, names: Mapping[str, str], what: str) -> str:
        if isinstance(ident, (dict, list)):  # no id: the model refuses it, saying where
            return ident
        if ident in names:
            return names[ident]
        if (what, ident) not in self.warned:
            self.warned.add((what, ident))
            self.diags.warning(
                C.W404, f"{what} {ident!r} is named by its id: its name is not in the source"
            )
        return ident

    def integration(
        self, body: dict[str, Any], where: str, resource_id: str | None
    ) -> Integration | None:
        """The integration, built in the canonical form as far as its spellings allow, so
        that normalising it copies nothing."""
        data = dict(body)
        responses = data.pop("integrationResponses", None) or {}
        built = []
        for code, resp in self.responses(responses, "integrationResponses", where):
            r = self.build(IntegrationResponse, _integration_response(code, resp), where)
            if r is not None:
                built.append(r)
        data["responses"] = by_status(built)
        _templates(data, "requestTemplates")
        if not self.keep_defaults:
            _drop_read_back_defaults(data, resource_id)
        return self.build(Integration, data, where)  # type: ignore[no-any-return]

    def validators(self) -> list[RequestValidator]:
        out = []
        for item in self.parts.validators or []:
            v = self.build(RequestValidator, {k: v for k, v in item.items() if k != "id"}, "")
            if v is not None:
                out.append(v)
        return out

    def authorizers(self) -> list[Authorizer]:
        out = []
        for item in self.parts.authorizers or []:
            a = self.build(Authorizer, {k: v for k, v in item.items() if k != "id"}, "")
            if a is not None:
                out.append(a)
        return out

    def gateway_responses(self) -> list[GatewayResponse]:
        out = []
        for item in self.parts.gateway_responses or []:
            if item.get("defaultResponse", False):
                continue
            data = {k: v for k, v in item.items() if k != "defaultResponse"}
            _templates(data, "responseTemplates")
            g = self.build(GatewayResponse, data, "")
            if g is not None:
                out.append(g)
        return out

    def models(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in sorted(self.parts.models or [], key=lambda m: str(m.get("name"))):
            name = item.get("name")
            if not isinstance(name, str):
                self.diags.error(C.E403, "a model without a name; skipped")
                continue
            out[name] = _strip_schema_marker(_parse_json_text(item.get("schema", "{}")))
        return out

    def documentation(self) -> dict[str, Any] | None:
        parts = self.parts.documentation_parts
        if not parts:
            return None
        items = [
            {"location": p.get("location", {}), "properties": _parse_json_text(p.get("properties"))}
            for p in parts
        ]
        items.sort(key=lambda p: json.dumps(p["location"], sort_keys=True))
        return {"documentationParts": items}


def iter_items(pages: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The `items` of every page, in order."""
    return [item for page in pages for item in page.get("items", [])]
