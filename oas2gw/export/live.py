"""A live REST API -> `ApiModel`, through an injected boto3 `apigateway` client.

Every list call is paginated by `position`; the calls are the ones `aws apigateway` makes, so the
same permissions (apigateway:GET on the API) suffice. Region, profile and endpoint come from the
client, which callers make from the usual AWS environment (`make_client`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from oas2gw.diagnostics import Diagnostic, error, warning
from oas2gw.export import codes as C
from oas2gw.export.dump import PARTS, AwsParts, model_from_aws, unknown_parts
from oas2gw.model.types import ApiModel

#: the largest page API Gateway returns
PAGE_LIMIT = 500


def make_client() -> Any:
    """A boto3 `apigateway` client from the environment (AWS_PROFILE, AWS_REGION,
    AWS_ENDPOINT_URL, ...) with the project's retry policy; boto3 is imported only then."""
    from oas2gw.aws import make_client as make_aws_client

    return make_aws_client()


def read_live_api(
    client: Any, rest_api_id: str, *, keep_defaults: bool = False
) -> tuple[ApiModel | None, list[Diagnostic]]:
    """Everything API Gateway holds for `rest_api_id`, normalised unless `keep_defaults`.

    The model is None when the API itself cannot be read; a part that cannot be read (an
    emulator without the call, a missing permission) is a W405 warning and left out.
    """
    model, diags, _ = read_live_parts(client, rest_api_id, keep_defaults=keep_defaults)
    return model, diags


def read_live_parts(
    client: Any, rest_api_id: str, *, keep_defaults: bool = False
) -> tuple[ApiModel | None, list[Diagnostic], frozenset[str]]:
    """`read_live_api`, and the parts (`dump.PARTS`) that could not be read."""
    from botocore.exceptions import BotoCoreError, ClientError

    diags: list[Diagnostic] = []
    try:
        rest_api = dict(client.get_rest_api(restApiId=rest_api_id))
        resources = list(_pages(client.get_resources, rest_api_id, embed=["methods"]))
    except (ClientError, BotoCoreError) as exc:
        from oas2gw.aws import describe_failure

        failure = describe_failure(exc, rest_api_id=rest_api_id, region=_region(client))
        reason = _brief(exc)
        if failure is not None:
            code = (
                f" ({failure.code})" if failure.code and failure.code not in failure.message else ""
            )
            reason = failure.message + code
        diag = error(C.E401, f"cannot read REST API {rest_api_id!r}: {reason}")
        return None, [replace(diag, file=f"apigateway:{rest_api_id}")], frozenset(PARTS)
    rest_api.pop("ResponseMetadata", None)
    parts = AwsParts(rest_api=rest_api, resources=resources)
    optional = (
        ("authorizers", client.get_authorizers),
        ("validators", client.get_request_validators),
        ("models", client.get_models),
        ("gateway_responses", client.get_gateway_responses),
        ("documentation_parts", client.get_documentation_parts),
    )
    for name, call in optional:
        try:
            setattr(parts, name, list(_pages(call, rest_api_id)))
        except (ClientError, BotoCoreError, NotImplementedError) as exc:
            diags.append(warning(C.W405, f"{name.replace('_', ' ')} not read: {_brief(exc)}"))
    model, more = model_from_aws(parts, keep_defaults=keep_defaults, source=rest_api_id)
    where = f"apigateway:{rest_api_id}"
    located = [d if d.file else replace(d, file=where) for d in diags + more]
    return model, located, unknown_parts(parts)


def _pages(call: Any, rest_api_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Every item of a `position`-paginated list call."""
    position: str | None = None
    seen: set[str] = set()
    while True:
        args = dict(kwargs, restApiId=rest_api_id, limit=PAGE_LIMIT)
        if position:
            args["position"] = position
        page = call(**args)
        yield from page.get("items", [])
        position = page.get("position")
        if not position or position in seen:  # a server that repeats a position would loop
            return
        seen.add(position)


def _region(client: Any) -> str | None:
    region = getattr(getattr(client, "meta", None), "region_name", None)
    return region if isinstance(region, str) else None


def _brief(exc: Exception) -> str:
    """AWS's error code and the first line of its message (emulators may answer with HTML)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        message = str(err.get("Message", "")).strip().splitlines()
        first = message[0][:160] if message else ""
        return f"{err.get('Code', type(exc).__name__)}: {first}".rstrip(": ")
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
