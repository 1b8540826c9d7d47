"""Deterministic generator of large, realistic API Gateway OpenAPI documents.

Real platform APIs have thousands of operations; the corpus has dozens. This builds documents of
any size that exercise every part of the converter the way real ones do: all five integration
types, Velocity templates, integration responses keyed by selection patterns, VPC links, cache
keys, TLS config, path-level parameters, `$ref`s to shared parameters, schemas, responses and
integrations, authorizers, validators and gateway responses. The same arguments always give the
same bytes, so timings from different runs compare.

Besides the document it writes what `aws apigateway get-resources --embed methods` would print
for the same API (the input of `export --from-dump` and of `diff`), built from the same
operation specs rather than by our own export code, so it is an independent fixture.

    python benchmarks/generate.py --ops 1000 --oas 3.0 --format yaml -o api.yaml
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

REGION = "us-east-1"
ACCOUNT = "123456789012"
SIZES = (100, 1_000, 10_000)
TYPES = ("AWS_PROXY", "AWS", "HTTP", "HTTP_PROXY", "MOCK")

# Scalars that YAML 1.2 (ruamel) reads as numbers, booleans or null but YAML 1.1 (PyYAML) does
# not, or the other way round: such strings must be quoted or one of the two readers changes them.
_YAML_NON_STRING = re.compile(
    r"""^(?:[-+]?[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
        |[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?
        |0[xob][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |~|null|Null|NULL|true|True|TRUE|false|False|FALSE
        |y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
        |[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
        |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$""",
    re.X,
)


def _mock(body: str) -> dict[str, Any]:
    return {
        "type": "mock",
        "requestTemplates": {"application/json": '{"statusCode": 200}'},
        "passthroughBehavior": "when_no_match",
        "responses": {
            "default": {
                "statusCode": "200",
                "responseParameters": {"method.response.header.Access-Control-Allow-Origin": "'*'"},
                "responseTemplates": {"application/json": body},
            }
        },
    }


#: The integration that half of the MOCK methods share through a `$ref`, as real documents do.
SHARED_MOCK: dict[str, Any] = _mock('{"mock": true}')


@dataclass(frozen=True)
class Operation:
    """One method as the generator decided it; both the document and the dump are drawn from it."""

    index: int
    path: str
    method: str  # lower case, or "x-amazon-apigateway-any-method"
    kind: str  # one of TYPES
    path_params: tuple[str, ...]
    query: tuple[str, ...]  # optional query string parameters
    header: str | None  # a required header parameter
    body: bool
    security: str | None  # "authorizer", "api_key" or None
    validator: str | None
    cached: bool
    integration: dict[str, Any] = field(hash=False, compare=False)
    responses: dict[str, dict[str, Any]] = field(hash=False, compare=False)  # status -> spec


def _digest(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def _request_template(op: int, kind: str) -> str:
    return (
        "#set($inputRoot = $input.path('$'))\n"
        "{\n"
        f'  "TableName": "table-{op % 97}",\n'
        '  "Key": {"id": {"S": "$util.escapeJavaScript($input.params(\'id\'))"}},\n'
        '  "RequestId": "$context.requestId",\n'
        '  "Caller": "$context.identity.sourceIp",\n'
        f'  "Kind": "{kind.lower()}"\n'
        "}\n"
    )


def _response_template(op: int) -> str:
    return (
        "#set($inputRoot = $input.path('$'))\n"
        "{\n"
        '  "items": [\n'
        "    #foreach($elem in $inputRoot.Items)\n"
        "    {\n"
        '      "id": "$elem.id.S",\n'
        f'      "name": "$util.escapeJavaScript($elem.name.S)", "shard": {op % 16}\n'
        "    }#if($foreach.hasNext),#end\n"
        "    #end\n"
        "  ]\n"
        "}\n"
    )


def _error_template(status: str) -> str:
    return (
        '#set($err = $input.path("$.errorMessage"))\n'
        f'{{"status": {status}, "message": "$util.escapeJavaScript($err)", '
        '"requestId": "$context.requestId"}\n'
    )


def _integration(
    op: int, kind: str, path: str, params: tuple[str, ...], cached: bool
) -> dict[str, Any]:
    """The `x-amazon-apigateway-integration` of one method (before `$ref` sharing)."""
    request_parameters = {
        f"integration.request.path.{p}": f"method.request.path.{p}" for p in params
    }
    if kind == "AWS_PROXY":
        fn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:service-{op % 53}"
        return {
            "type": "aws_proxy" if op % 11 == 0 else "AWS_PROXY",  # any case is accepted
            "httpMethod": "POST",
            "uri": f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{fn}/invocations",
            "passthroughBehavior": "when_no_match",
            "timeoutInMillis": 29000 if op % 3 else 10000,
            "contentHandling": "CONVERT_TO_TEXT",
        }
    if kind == "AWS":
        action = ("GetItem", "PutItem", "Query", "DeleteItem")[op % 4]
        return {
            "type": "aws",
            "httpMethod": "POST",
            "uri": f"arn:aws:apigateway:{REGION}:dynamodb:action/{action}",
            "credentials": f"arn:aws:iam::{ACCOUNT}:role/apigw-dynamodb-{op % 7}",
            "requestParameters": {
                "integration.request.header.X-Amz-Target": f"'DynamoDB_20120810.{action}'"
            },
            "requestTemplates": {"application/json": _request_template(op, kind)},
            "passthroughBehavior": "never",
            "timeoutInMillis": 5000 + op % 20000,
            "responses": {
                "default": {
                    "statusCode": "200",
                    "responseParameters": {
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                    },
                    "responseTemplates": {"application/json": _response_template(op)},
                },
                "4\\d{2}": {
                    "statusCode": "400",
                    "responseTemplates": {"application/json": _error_template("400")},
                },
                ".*ConditionalCheckFailed.*": {
                    "statusCode": "409",
                    "responseTemplates": {"application/json": _error_template("409")},
                },
                "5\\d{2}": {"statusCode": "500", "contentHandling": "CONVERT_TO_TEXT"},
            },
        }
    if kind == "HTTP":
        integration: dict[str, Any] = {
            "type": "http",
            "httpMethod": "GET" if op % 2 else "POST",
            "uri": f"https://backend-{op % 31}.example.com/v1{path}",
            "requestParameters": dict(
                request_parameters,
                **{
                    "integration.request.header.X-Request-Id": "context.requestId",
                    "integration.request.header.X-Stage": "stageVariables.stage",
                    "integration.request.querystring.source": "'gateway'",
                },
            ),
            "passthroughBehavior": "when_no_templates",
            "requestTemplates": {
                "application/xml": "#set($body = $input.body)\n<req>$body</req>\n"
            },
            "timeoutInMillis": 29000,
            "tlsConfig": {"insecureSkipVerification": op % 5 == 0},
            "responses": {
                "2\\d{2}": {
                    "statusCode": "200",
                    "responseParameters": {
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                        "method.response.header.X-Backend": "integration.response.header.Server",
                    },
                },
                "404": {"statusCode": "404"},
                "default": {"statusCode": "500"},
            },
        }
        if cached:
            integration["cacheNamespace"] = f"ns{op:05d}" if op % 13 else "504e31"
            integration["cacheKeyParameters"] = [f"method.request.path.{p}" for p in params]
        return integration
    if kind == "HTTP_PROXY":
        vpc = op % 3 != 0
        upstream = path.replace("+}", "}")
        integration = {
            "type": "HTTP_PROXY",
            "httpMethod": "ANY",
            "uri": (
                f"http://nlb-{op % 9}.internal.example.com{upstream}"
                if vpc
                else f"https://public-{op % 9}.example.com{upstream}"
            ),
            "requestParameters": request_parameters,
            "passthroughBehavior": "when_no_match",
            "timeoutInMillis": 29000,
        }
        if vpc:
            integration["connectionType"] = "VPC_LINK"
            integration["connectionId"] = (
                "${stageVariables.vpcLinkId}" if op % 2 else f"vl{_digest('vpc', op % 9)[:6]}"
            )
            integration["tlsConfig"] = {"insecureSkipVerification": False}
        if cached:
            integration["cacheNamespace"] = f"proxy{op:05d}"
            integration["cacheKeyParameters"] = [f"method.request.path.{p}" for p in params]
        return integration
    return _mock(f'{{"mock": true, "operation": {op}, "note": "it\'s a \\"mock\\""}}')


def _method_responses(kind: str) -> dict[str, dict[str, Any]]:
    """Status -> headers declared and whether a body schema is returned."""
    cors = {"Access-Control-Allow-Origin"}
    if kind == "AWS":
        return {
            "200": {"headers": cors, "schema": "ItemList"},
            "400": {"headers": set(), "schema": "Error"},
            "409": {"headers": set(), "schema": "Error"},
            "500": {"headers": set(), "schema": "Error"},
        }
    if kind == "HTTP":
        return {
            "200": {"headers": cors | {"X-Backend"}, "schema": "Item"},
            "404": {"headers": set(), "schema": "Error"},
            "500": {"headers": set(), "schema": "Error"},
        }
    if kind == "MOCK":
        return {"200": {"headers": cors, "schema": "Item"}}
    return {"200": {"headers": set(), "schema": "Item"}}


def _paths(count: int) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Endless realistic paths: (path, path parameters, methods)."""
    group = 0
    while True:
        service = f"svc{group // 8:03d}"
        res = f"res{group % 8}"
        base = f"/{service}/{res}"
        yield base, (), ("get", "post")
        yield base + "/{id}", ("id",), ("get", "put", "delete", "patch")
        if group % 4 == 0:
            yield (
                base + "/{id}/parts/{partId}",
                ("id", "partId"),
                ("get", "x-amazon-apigateway-any-method"),
            )
        if group % 8 == 0:
            yield f"/{service}/proxy/{{proxy+}}", ("proxy",), ("x-amazon-apigateway-any-method",)
        group += 1
        if group > count:  # more than enough groups for `count` operations
            return


def operations(count: int) -> list[Operation]:
    """The first `count` operations of the endless deterministic API."""
    ops: list[Operation] = []
    for path, params, methods in _paths(count):
        for method in methods:
            if len(ops) == count:
                return ops
            i = len(ops)
            if path.endswith("{proxy+}"):
                kind = "HTTP_PROXY"
            else:
                kind = TYPES[(i * 7 + i // 5) % len(TYPES)]
            cached = kind in ("HTTP", "HTTP_PROXY") and bool(params) and i % 2 == 0
            if kind == "MOCK" and i % 2 == 0:
                integ = SHARED_MOCK
            else:
                integ = _integration(i, kind, path, params, cached)
            ops.append(
                Operation(
                    index=i,
                    path=path,
                    method=method,
                    kind=kind,
                    path_params=params,
                    query=("limit", "cursor") if method == "get" and not params else (),
                    header="X-Tenant" if i % 6 == 0 else None,
                    body=method in ("post", "put", "patch"),
                    security=("authorizer", "api_key", None)[i % 3],
                    validator=("all", "params", None)[i % 3] if i % 2 else None,
                    cached=cached,
                    integration=integ,
                    responses=_method_responses(kind),
                )
            )
    return ops


def _schema_ref(oas: str, name: str) -> str:
    return f"#/definitions/{name}" if oas == "2.0" else f"#/components/schemas/{name}"


def _param(oas: str, name: str, where: str, required: bool, description: str) -> dict[str, Any]:
    p: dict[str, Any] = {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
    }
    if oas == "2.0":
        p["type"] = "string"
    else:
        p["schema"] = {"type": "string"}
    return p


def _operation(oas: str, op: Operation, shared_mock: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operationId": f"op{op.index:05d}",
        "summary": f"{op.method.upper()} {op.path}",
        "description": (
            f"Operation {op.index} of the generated platform API. It is served by a {op.kind} "
            "integration; callers retry on 429 and 5xx with exponential back-off."
        ),
        "tags": [op.path.split("/")[1]],
    }
    params: list[dict[str, Any]] = []
    for q in op.query:
        ref = "#/parameters/" if oas == "2.0" else "#/components/parameters/"
        params.append({"$ref": ref + q.capitalize()})
    if op.header:
        params.append(_param(oas, op.header, "header", True, "tenant that owns the data"))
    if op.body:
        if oas == "2.0":
            params.append(
                {
                    "name": "body",
                    "in": "body",
                    "required": True,
                    "schema": {"$ref": _schema_ref(oas, "Item")},
                }
            )
        else:
            out["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": _schema_ref(oas, "Item")}}},
            }
    if params:
        out["parameters"] = params
    if oas == "2.0" and (op.body or op.method == "get"):
        out["produces"] = ["application/json"]
    responses: dict[str, Any] = {}
    for status, spec in op.responses.items():
        if spec["schema"] == "Error" and status != "200":
            responses[status] = {
                "$ref": ("#/responses/" if oas == "2.0" else "#/components/responses/") + "Error"
            }
            continue
        resp: dict[str, Any] = {"description": f"{status} response"}
        if spec["headers"]:
            resp["headers"] = {
                h: ({"type": "string"} if oas == "2.0" else {"schema": {"type": "string"}})
                for h in sorted(spec["headers"])
            }
        if oas == "2.0":
            resp["schema"] = {"$ref": _schema_ref(oas, spec["schema"])}
        else:
            resp["content"] = {
                "application/json": {"schema": {"$ref": _schema_ref(oas, spec["schema"])}}
            }
        responses[status] = resp
    out["responses"] = responses
    if op.security == "authorizer":
        out["security"] = [{"tokenAuthorizer": []}]
    elif op.security == "api_key":
        out["security"] = [{"api_key": []}]
    if op.validator:
        out["x-amazon-apigateway-request-validator"] = op.validator
    if shared_mock and op.integration is SHARED_MOCK:
        root = (
            "#/x-amazon-apigateway-integrations/"
            if oas == "2.0"
            else "#/components/x-amazon-apigateway-integrations/"
        )
        out["x-amazon-apigateway-integration"] = {"$ref": root + "mock"}
    else:
        out["x-amazon-apigateway-integration"] = op.integration
    return out


def _schemas() -> dict[str, Any]:
    return {
        "Item": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
                "name": {"type": "string", "maxLength": 200},
                "price": {"type": "number", "minimum": 0},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        },
        "ItemList": {
            "type": "object",
            "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/Item"}}},
        },
        "Error": {
            "type": "object",
            "required": ["message"],
            "properties": {"message": {"type": "string"}, "requestId": {"type": "string"}},
        },
    }


def _fix_refs(node: Any, oas: str) -> Any:
    if oas == "2.0":
        return node
    if isinstance(node, dict):
        return {
            k: (
                v.replace("#/definitions/", "#/components/schemas/")
                if k == "$ref"
                else _fix_refs(v, oas)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_fix_refs(v, oas) for v in node]
    return node


def document(count: int, oas: str = "3.0", *, shared_mock: bool = True) -> dict[str, Any]:
    """A Swagger 2.0 or OpenAPI 3.0.1 document with `count` operations."""
    if oas not in ("2.0", "3.0"):
        raise ValueError(f"oas must be 2.0 or 3.0, not {oas!r}")
    ops = operations(count)
    paths: dict[str, dict[str, Any]] = {}
    for op in ops:
        item = paths.get(op.path)
        if item is None:
            item = paths[op.path] = {}
            if op.path_params:  # path-level parameters, shared by the item's methods
                item["parameters"] = [
                    _param(oas, p, "path", True, f"the {p} of the addressed item")
                    for p in op.path_params
                ]
        item[op.method] = _operation(oas, op, shared_mock)

    authorizer = {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
            "type": "token",
            "authorizerUri": (
                f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
                f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:authorizer/invocations"
            ),
            "authorizerResultTtlInSeconds": 300,
            "identityValidationExpression": "^Bearer [-0-9a-zA-Z._]+$",
        },
    }
    api_key = {"type": "apiKey", "name": "x-api-key", "in": "header"}
    query_params = {
        "Limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "page size",
            **(
                {"type": "integer"}
                if oas == "2.0"
                else {"schema": {"type": "integer", "maximum": 500}}
            ),
        },
        "Cursor": _param(oas, "cursor", "query", False, "opaque page cursor"),
    }
    error_response: dict[str, Any] = {"description": "error"}
    if oas == "2.0":
        error_response["schema"] = {"$ref": "#/definitions/Error"}
    else:
        error_response["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        }
    doc: dict[str, Any] = {}
    info = {
        "title": f"Generated platform API ({count} operations)",
        "version": "2024-06-01",
        "description": "Deterministic benchmark document; see benchmarks/generate.py.",
    }
    if oas == "2.0":
        doc["swagger"] = "2.0"
        doc["info"] = info
        doc["host"] = "api.example.com"
        doc["basePath"] = "/prod"
        doc["schemes"] = ["https"]
        doc["consumes"] = ["application/json"]
    else:
        doc["openapi"] = "3.0.1"
        doc["info"] = info
        doc["servers"] = [
            {
                "url": "https://api.example.com/{basePath}",
                "variables": {"basePath": {"default": "prod"}},
            }
        ]
    doc["paths"] = paths
    validators = {
        "all": {"validateRequestBody": True, "validateRequestParameters": True},
        "params": {"validateRequestBody": False, "validateRequestParameters": True},
    }
    gateway_responses = {
        "DEFAULT_4XX": {
            "responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
            "responseTemplates": {"application/json": '{"message": $context.error.messageString}'},
        },
        "UNAUTHORIZED": {
            "statusCode": 401,
            "responseTemplates": {"application/json": '{"message": "unauthorised"}'},
        },
    }
    if oas == "2.0":
        doc["securityDefinitions"] = {"tokenAuthorizer": authorizer, "api_key": api_key}
        doc["parameters"] = query_params
        doc["responses"] = {"Error": error_response}
        doc["definitions"] = _schemas()
        if shared_mock:
            doc["x-amazon-apigateway-integrations"] = {"mock": SHARED_MOCK}
    else:
        components: dict[str, Any] = {
            "schemas": _fix_refs(_schemas(), oas),
            "parameters": query_params,
            "responses": {"Error": error_response},
            "securitySchemes": {"tokenAuthorizer": authorizer, "api_key": api_key},
        }
        if shared_mock:
            components["x-amazon-apigateway-integrations"] = {"mock": SHARED_MOCK}
        doc["components"] = components
    doc["x-amazon-apigateway-request-validators"] = validators
    doc["x-amazon-apigateway-gateway-responses"] = gateway_responses
    doc["x-amazon-apigateway-binary-media-types"] = ["application/octet-stream", "image/*"]
    doc["x-amazon-apigateway-api-key-source"] = "HEADER"
    doc["x-amazon-apigateway-minimum-compression-size"] = 1024
    return doc


# --- the saved `get-resources --embed methods` of the same API ---------------------------------


def _resource_id(path: str) -> str:
    return _digest("resource", path)[:10]


def _dump_integration(op: Operation, rid: str) -> dict[str, Any]:
    """`methodIntegration` as API Gateway reads it back: enums upper, defaults filled."""
    src = op.integration
    out: dict[str, Any] = {"type": src["type"].upper()}
    if "httpMethod" in src:
        out["httpMethod"] = src["httpMethod"]
    if "uri" in src:
        out["uri"] = src["uri"]
    out["connectionType"] = src.get("connectionType", "INTERNET")
    for key in ("connectionId", "credentials", "requestParameters", "requestTemplates"):
        if key in src:
            out[key] = src[key]
    out["passthroughBehavior"] = src.get("passthroughBehavior", "WHEN_NO_MATCH").upper()
    if "contentHandling" in src:
        out["contentHandling"] = src["contentHandling"]
    out["timeoutInMillis"] = src.get("timeoutInMillis", 29000)
    out["cacheNamespace"] = src.get("cacheNamespace", rid)
    out["cacheKeyParameters"] = src.get("cacheKeyParameters", [])
    if "tlsConfig" in src:
        out["tlsConfig"] = src["tlsConfig"]
    responses: dict[str, Any] = {}
    for pattern, resp in src.get("responses", {}).items():
        r: dict[str, Any] = {"statusCode": resp["statusCode"]}
        if pattern != "default":
            r["selectionPattern"] = pattern
        for key in ("responseParameters", "responseTemplates", "contentHandling"):
            if key in resp:
                r[key] = resp[key]
        responses[resp["statusCode"]] = r
    if responses:
        out["integrationResponses"] = responses
    return out


def _dump_method(op: Operation, rid: str, all_path_params: tuple[str, ...]) -> dict[str, Any]:
    verb = "ANY" if op.method.startswith("x-") else op.method.upper()
    out: dict[str, Any] = {"httpMethod": verb}
    if op.security == "authorizer":
        out["authorizationType"] = "CUSTOM"
        out["authorizerId"] = "auth01"
    else:
        out["authorizationType"] = "NONE"
    out["apiKeyRequired"] = op.security == "api_key"
    if op.validator:
        out["requestValidatorId"] = {"all": "val001", "params": "val002"}[op.validator]
    params: dict[str, bool] = {f"method.request.path.{p}": True for p in all_path_params}
    params.update({f"method.request.querystring.{q}": False for q in op.query})
    if op.header:
        params[f"method.request.header.{op.header}"] = True
    if params:
        out["requestParameters"] = params
    if op.body:
        out["requestModels"] = {"application/json": "Item"}
    out["operationName"] = f"op{op.index:05d}"
    responses: dict[str, Any] = {}
    for status, spec in op.responses.items():
        r: dict[str, Any] = {"statusCode": status}
        if spec["headers"]:
            r["responseParameters"] = {
                f"method.response.header.{h}": False for h in sorted(spec["headers"])
            }
        r["responseModels"] = {"application/json": spec["schema"]}
        responses[status] = r
    out["methodResponses"] = responses
    out["methodIntegration"] = _dump_integration(op, rid)
    return out


def resources_dump(count: int, *, drift: bool = False) -> dict[str, Any]:
    """`aws apigateway get-resources --embed methods` output for `document(count)`.

    `drift` changes what a console user would: a timeout on every 97th method, and drops an
    integration response from every 211th, so that `diff` has something to find.
    """
    ops = operations(count)
    by_path: dict[str, list[Operation]] = {}
    for op in ops:
        by_path.setdefault(op.path, []).append(op)
    paths = {"/"}
    for path in by_path:
        parts = path.strip("/").split("/")
        paths.update("/" + "/".join(parts[: n + 1]) for n in range(len(parts)))
    items: list[dict[str, Any]] = []
    for path in sorted(paths):
        rid = _resource_id(path)
        item: dict[str, Any] = {"id": rid}
        if path != "/":
            parent = path.rsplit("/", 1)[0] or "/"
            item["parentId"] = _resource_id(parent)
            item["pathPart"] = path.rsplit("/", 1)[1]
        item["path"] = path
        methods = by_path.get(path, [])
        if methods:
            params = tuple(p.strip("{}+") for p in path.split("/") if p.startswith("{"))
            item["resourceMethods"] = {
                m["httpMethod"]: m for m in (_dump_method(op, rid, params) for op in methods)
            }
            if drift:
                _drift(item["resourceMethods"], methods)
        items.append(item)
    return {"items": items}


def _drift(methods: dict[str, Any], ops: list[Operation]) -> None:
    for op, method in zip(ops, methods.values(), strict=True):
        integration = method["methodIntegration"]
        if op.index % 97 == 0:
            integration["timeoutInMillis"] = 5000
        responses = integration.get("integrationResponses")
        if op.index % 211 == 0 and responses and len(responses) > 1:
            responses.pop(next(reversed(responses)))


# --- text -----------------------------------------------------------------------------------------


class _Dumper(yaml.CSafeDumper):
    """libyaml's emitter with readable block scalars and YAML-1.2-safe quoting."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.Node:
    if "\n" in value and not value.endswith((" ", "\t")) and "\r" not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _YAML_NON_STRING.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def to_yaml(tree: Any) -> bytes:
    text: str = yaml.dump(tree, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    return text.encode("utf-8")


def to_json(tree: Any) -> bytes:
    return bytes(orjson.dumps(tree, option=orjson.OPT_INDENT_2)) + b"\n"


def write_set(out_dir: Path, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    """Every benchmark input for each size: 2.0 and 3.0, YAML and JSON, plus the dump."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in sizes:
        for oas in ("2.0", "3.0"):
            tree = document(size, oas)
            tag = "swagger" if oas == "2.0" else "openapi"
            written.append(_write_if_changed(out_dir / f"{tag}-{size}.json", to_json(tree)))
            written.append(_write_if_changed(out_dir / f"{tag}-{size}.yaml", to_yaml(tree)))
        dump = to_json(resources_dump(size))
        written.append(_write_if_changed(out_dir / f"resources-{size}.json", dump))
        drift = to_json(resources_dump(size, drift=True))
        written.append(_write_if_changed(out_dir / f"resources-drift-{size}.json", drift))
    return written


def _write_if_changed(path: Path, data: bytes) -> Path:
    """Keep the file (and its page-cache warmth) when the bytes are already there."""
    if not path.is_file() or path.stat().st_size != len(data) or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=1000, help="number of operations")
    parser.add_argument("--oas", choices=("2.0", "3.0"), default="3.0")
    parser.add_argument("--format", choices=("yaml", "json", "dump", "drift"), default="yaml")
    parser.add_argument("-o", "--output", type=Path, help="file to write (stdout by default)")
    args = parser.parse_args(argv)
    if args.format in ("dump", "drift"):
        data = to_json(resources_dump(args.ops, drift=args.format == "drift"))
    else:
        tree = document(args.ops, args.oas)
        data = to_json(tree) if args.format == "json" else to_yaml(tree)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
