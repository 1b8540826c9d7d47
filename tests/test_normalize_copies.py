"""Normalising what is already canonical hands back the same objects: no copy per method."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from oas2gw.model.normalize import _copy, normalize, normalize_integration, normalize_method
from oas2gw.model.types import Integration, IntegrationResponse, Method, MethodResponse, Resource


def _method(**changes: object) -> Method:
    integration = Integration(
        type="MOCK",
        request_templates={"application/json": '{"statusCode": 200}'},
        responses=(
            IntegrationResponse(status_code="200", response_templates={"a/b": ""}),
            IntegrationResponse(status_code="500", selection_pattern="5\\d{2}"),
        ),
    )
    fields: dict[str, object] = {
        "http_method": "GET",
        "responses": (MethodResponse(status_code="200"), MethodResponse(status_code="500")),
        "integration": integration,
    }
    fields.update(changes)
    return Method.model_validate(fields)


def test_a_canonical_method_is_returned_as_it_is() -> None:
    method = _method()
    assert normalize_method(method, keep_defaults=True) is method


def test_a_method_out_of_order_or_with_an_empty_pattern_is_still_rewritten() -> None:
    method = _method(
        responses=(MethodResponse(status_code="500"), MethodResponse(status_code="200"))
    )
    normalized = normalize_method(method, keep_defaults=True)
    assert [r.status_code for r in normalized.responses] == ["200", "500"]
    assert normalized is not method
    integration = Integration(
        type="MOCK",
        responses=(IntegrationResponse(status_code="200", selection_pattern=""),),
    )
    fixed = normalize_integration(integration, keep_defaults=True)
    assert fixed.responses[0].selection_pattern is None


def test_normalising_twice_changes_nothing_and_copies_nothing() -> None:
    from oas2gw.model.types import ApiModel, Resource

    model = ApiModel(resources=(Resource(path="/a", methods=(_method(),)),))
    once = normalize(model)
    twice = normalize(once)
    assert twice == once
    assert twice.resources[0] is once.resources[0]


def _state(model: BaseModel) -> tuple[object, ...]:
    return (
        type(model),
        dict(model.__dict__),
        set(model.__pydantic_fields_set__),
        model.__pydantic_extra__,
        model.__pydantic_private__,
    )


def test_the_fast_copy_is_model_copy() -> None:
    """`_copy` stands in for `model_copy(update=...)`: the same class, fields, fields set,
    extra and private state, the original untouched, on every kind of object normalised."""
    method = _method(request_validator="all", authorizer="Cognito")
    assert method.integration is not None
    cases: list[tuple[BaseModel, dict[str, Any]]] = [
        (method, {"responses": (), "integration": None}),
        (method.integration, {"timeout_in_millis": None, "connection_type": None}),
        (method.integration.responses[0], {"selection_pattern": None}),
        (method.responses[1], {}),
        (Resource(path="/a", methods=(method,)), {"methods": ()}),
    ]
    for model, update in cases:
        before = _state(model)
        assert _state(_copy(model, update)) == _state(model.model_copy(update=update))
        assert _state(model) == before
