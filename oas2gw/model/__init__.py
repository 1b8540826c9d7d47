"""API Gateway models and the one home of API Gateway's rules."""

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
    TlsConfig,
    api_name,
    cli_option,
    extension_name,
)

__all__ = [
    "ApiModel",
    "Authorizer",
    "GatewayResponse",
    "Integration",
    "IntegrationResponse",
    "Method",
    "MethodResponse",
    "RequestValidator",
    "Resource",
    "TlsConfig",
    "api_name",
    "cli_option",
    "extension_name",
]
