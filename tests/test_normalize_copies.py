"""Normalising what is already canonical hands back the same objects: no copy per method."""

from __future__ import annotations

from oas2gw.model.normalize import normalize, normalize_integration, normalize_method
from oas2gw.model.types import Integration, IntegrationResponse, Method, MethodResponse


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
