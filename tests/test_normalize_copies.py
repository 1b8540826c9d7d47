"""Normalising what is already canonical hands back the same objects: no copy per method."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from oas2gw.model.normalize import (
    _copy,
    normalize,
    normalize_integration,
    normalize_integration_response,
    normalize_method,
    status_order,
)
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


_CODES = st.sampled_from(["200", "201", "204", "301", "400", "404", "500", "default", "2XX", "5XX"])


@given(
    integration_codes=st.lists(_CODES, unique=True, max_size=6),
    empty_patterns=st.lists(st.booleans(), min_size=6, max_size=6),
    method_codes=st.lists(_CODES, unique=True, max_size=6),
)
def test_responses_come_out_sorted_stably_and_rewritten_from_the_first_that_needs_it(
    integration_codes: list[str], empty_patterns: list[bool], method_codes: list[str]
) -> None:
    """What the copy-avoiding loops return equals the plain definition: every integration
    response normalised, both lists sorted by `status_order`; the method itself when that
    changes nothing."""
    responses = tuple(
        IntegrationResponse(status_code=code, selection_pattern="" if empty else code)
        for code, empty in zip(integration_codes, empty_patterns, strict=False)
    )
    method = _method(
        responses=tuple(MethodResponse(status_code=code) for code in method_codes),
        integration=Integration(type="MOCK", responses=responses),
    )
    got = normalize_method(method, keep_defaults=True)
    by_status = lambda items: sorted(items, key=lambda r: status_order(r.status_code))  # noqa: E731
    want_integration = [normalize_integration_response(r) for r in by_status(responses)]
    assert got.integration is not None
    assert [r.model_dump() for r in got.integration.responses] == [
        r.model_dump() for r in want_integration
    ]
    assert [r.status_code for r in got.responses] == [
        r.status_code for r in by_status(method.responses)
    ]
    unchanged = (
        all(a is b for a, b in zip(want_integration, responses, strict=True))
        and [r.status_code for r in by_status(method.responses)] == method_codes
    )
    assert (got is method) == unchanged
