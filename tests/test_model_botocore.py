"""The models against botocore's service model for `apigateway`: AWS is the source of truth.

When AWS adds a member to one of these inputs, or a value to one of these enums, a botocore
upgrade makes this test fail until the model carries it too.
"""

from __future__ import annotations

import botocore.session
import pytest
from pydantic import BaseModel

from oas2gw.model import types as t
from oas2gw.model.types import api_name

SERVICE = botocore.session.get_session().get_service_model("apigateway")

#: where a call applies, not what it sets
LOCATION = {"restApiId", "resourceId", "httpMethod", "statusCode", "authorizerId"}

CARRIED: list[tuple[str, type[BaseModel], set[str]]] = [
    # operation, model, members set elsewhere (and where)
    ("PutIntegration", t.Integration, set()),
    ("PutIntegrationResponse", t.IntegrationResponse, set()),
    ("PutMethod", t.Method, set()),
    ("PutMethodResponse", t.MethodResponse, set()),
    ("CreateAuthorizer", t.Authorizer, set()),
    ("CreateRequestValidator", t.RequestValidator, set()),
    ("PutGatewayResponse", t.GatewayResponse, set()),
]


def carried(model: type[BaseModel]) -> set[str]:
    return {api_name(model, name) for name in model.model_fields}


@pytest.mark.parametrize(("operation", "model", "elsewhere"), CARRIED, ids=[c[0] for c in CARRIED])
def test_every_input_member_of_the_call_is_a_model_field(
    operation: str, model: type[BaseModel], elsewhere: set[str]
) -> None:
    members = set(SERVICE.operation_model(operation).input_shape.members)
    missing = members - LOCATION - elsewhere - carried(model)
    assert not missing, f"{model.__name__} lacks {operation} members {sorted(missing)}"


def test_integration_carries_the_newer_members_too() -> None:
    assert {"responseTransferMode", "integrationTarget", "tlsConfig"} <= carried(t.Integration)


@pytest.mark.parametrize(
    ("shape", "values"),
    [
        ("IntegrationType", t.INTEGRATION_TYPES),
        ("ConnectionType", t.CONNECTION_TYPES),
        ("ContentHandlingStrategy", t.CONTENT_HANDLINGS),
        ("ResponseTransferMode", t.RESPONSE_TRANSFER_MODES),
    ],
)
def test_model_enums_are_botocores(shape: str, values: tuple[str, ...]) -> None:
    assert set(values) == set(SERVICE.shape_for(shape).enum)


def test_tls_config_members_are_botocores() -> None:
    assert set(SERVICE.shape_for("TlsConfig").members) <= carried(t.TlsConfig)
