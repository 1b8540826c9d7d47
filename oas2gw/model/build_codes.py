"""Codes of the model builder: shapes the OpenAPI document has that the model cannot hold."""

from oas2gw.codes import register

E251 = register(
    "E251",
    "wrong type",
    "A node has a different type than OpenAPI or the API Gateway extension defines "
    "(a list where a mapping belongs, a string for `responses`, a null integration).",
    "Give the node the type the message names.",
)
E252 = register(
    "E252",
    "invalid field value",
    "A field of an API Gateway extension holds a value of the wrong type "
    "(e.g. `timeoutInMillis: soon`, `cacheKeyParameters` not a list).",
    "Write the value in the type that API Gateway's API takes for that field.",
)
E253 = register(
    "E253",
    "required field missing",
    "An integration without `type`, an integration response without `statusCode`, an "
    "authorizer without `type`, or an unknown `x-amazon-apigateway-auth` type.",
    "Add the field the message names.",
)
E254 = register(
    "E254",
    "path does not start with '/'",
    "A key of `paths` is not an absolute path, so it names no API Gateway resource.",
    "Write the path from the root, e.g. `/pets/{id}`.",
)
W255 = register(
    "W255",
    "TRACE is not an API Gateway method",
    "API Gateway REST APIs support GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS and ANY.",
    "Remove the `trace` operation or move it to a backend that serves it.",
)
W256 = register(
    "W256",
    "cookie parameter",
    "API Gateway REST APIs have no cookie method request parameters; the parameter is ignored.",
    "Declare the `Cookie` header instead, or drop the parameter.",
)
W257 = register(
    "W257",
    "schema reference names no model",
    "A request or response schema `$ref` does not point into `definitions` or "
    "`components/schemas`, so API Gateway has no model name for it.",
    "Reference a schema under `definitions` (2.0) or `components/schemas` (3.x).",
)
E258 = register(
    "E258",
    "undefined security scheme",
    "An operation's `security` names a scheme that `securityDefinitions` / "
    "`components.securitySchemes` does not define.",
    "Define the scheme, or correct its name in `security`.",
)
E260 = register(
    "E260",
    "document is for HTTP APIs",
    "The document (or the template resource holding it) is an HTTP API "
    "(`apigatewayv2`: `payloadFormatVersion`, `AWS::Serverless::HttpApi`); this tool builds REST "
    "APIs (`apigateway`), and a REST script for it would be wrong.",
    "Use `apigatewayv2` tooling for HTTP APIs, or choose a REST API resource with `--resource`.",
)
