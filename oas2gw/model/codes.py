"""Codes of API Gateway's rules (E3xx / W3xx): what AWS would refuse or silently get wrong."""

from __future__ import annotations

from oas2gw.codes import register
from oas2gw.model import build_codes  # noqa: F401  the builder's E2xx codes: one catalogue per stage

E300 = register(
    "E300",
    "unknown integration type",
    "The integration's `type` is not one of the types API Gateway knows (botocore's "
    "`IntegrationType`: HTTP, HTTP_PROXY, AWS, AWS_PROXY, MOCK).",
    "Set `type` to one of the listed values (any case).",
)
E301 = register(
    "E301",
    "uri missing",
    "Every integration type but MOCK sends the request somewhere, so API Gateway needs its `uri`.",
    "Add `uri`: an http(s) URL for HTTP and HTTP_PROXY, an `arn:aws:apigateway:...` ARN for AWS "
    "and AWS_PROXY.",
)
E302 = register(
    "E302",
    "httpMethod missing",
    "HTTP, HTTP_PROXY, AWS and AWS_PROXY integrations call their backend with the integration's "
    "own HTTP method (`integrationHttpMethod`), which API Gateway requires.",
    "Add `httpMethod` (POST for Lambda; the backend's method otherwise).",
)
E303 = register(
    "E303",
    "malformed HTTP uri",
    "An HTTP or HTTP_PROXY integration's `uri` is not an absolute, percent-encoded http(s) URL. "
    "Path parameters (`{id}`, `{proxy+}`) and stage variables (`${stageVariables.host}`) are "
    "allowed.",
    "Write the full URL with its scheme, e.g. `https://backend.example.com/pets/{id}`, and "
    "percent-encode spaces and other reserved characters.",
)
E304 = register(
    "E304",
    "malformed AWS uri",
    "An AWS or AWS_PROXY integration's (or a Lambda authorizer's) `uri` is not of the form "
    "`arn:{partition}:apigateway:{region}:{service}:{path|action}/{...}`.",
    "Write e.g. `arn:aws:apigateway:us-east-1:dynamodb:action/PutItem` or "
    "`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{function-arn}/invocations`.",
)
E305 = register(
    "E305",
    "AWS_PROXY target is not Lambda",
    "AWS_PROXY (the Lambda proxy integration) invokes a Lambda function (or a Firehose action); "
    "other AWS services are integrated with type AWS and mapping templates.",
    "Point `uri` at `.../lambda:path/2015-03-31/functions/{function-arn}/invocations`, or use "
    "type AWS for the service.",
)
E306 = register(
    "E306",
    "VPC_LINK without connectionId",
    "A private integration (`connectionType: VPC_LINK`) must name the VPC link it goes through.",
    "Add `connectionId` with the VPC link id (or `${stageVariables.vpcLinkId}`).",
)
E307 = register(
    "E307",
    "connectionId without VPC_LINK",
    "`connectionId` and `integrationTarget` are only used by private integrations; API Gateway "
    "rejects them when `connectionType` is INTERNET or absent.",
    "Set `connectionType: VPC_LINK`, or remove `connectionId` / `integrationTarget`.",
)
E308 = register(
    "E308",
    "tlsConfig on a non-HTTP integration",
    "`tlsConfig` configures the TLS handshake with an HTTP backend; only HTTP and HTTP_PROXY "
    "integrations have one.",
    "Remove `tlsConfig`, or use an HTTP or HTTP_PROXY integration.",
)
E309 = register(
    "E309",
    "timeout out of range",
    "`timeoutInMillis` must be at least 50 ms; buffered integrations stop at 29,000 ms unless the "
    "quota is raised (Regional and private APIs only), and streamed ones "
    "(`responseTransferMode: STREAM`) at 900,000 ms (15 minutes).",
    "Choose a timeout within the range the message gives.",
)
W310 = register(
    "W310",
    "timeout above 29 seconds",
    "A buffered integration's `timeoutInMillis` above 29,000 ms works only after a service quota "
    "increase, and only on Regional or private REST APIs, never edge-optimized ones.",
    "Request the quota increase and use a REGIONAL or PRIVATE endpoint, lower the timeout, or "
    "stream the response (`responseTransferMode: STREAM`, proxy integrations).",
)
E311 = register(
    "E311",
    "response streaming not possible here",
    "`responseTransferMode: STREAM` works only with HTTP_PROXY and AWS_PROXY integrations, and a "
    "streamed Lambda proxy integration must call `InvokeWithResponseStream` "
    "(`.../2021-11-15/functions/{function-arn}/response-streaming-invocations`).",
    "Use BUFFERED (or omit the field), switch to a proxy integration, or point the Lambda "
    "uri at its `response-streaming-invocations` form.",
)
E312 = register(
    "E312",
    "value not allowed",
    "An enumerated field holds a value API Gateway does not accept (values are read from "
    "botocore's service model: connectionType, contentHandling, responseTransferMode, "
    "passthroughBehavior, authorizer type, apiKeySource, endpoint types, gateway response "
    "types, authorizationType, HTTP methods).",
    "Use one of the values the message lists.",
)
E313 = register(
    "E313",
    "malformed integration request parameter",
    "A `requestParameters` key is not `integration.request.{querystring|path|header|"
    "multivaluequerystring|multivalueheader}.{name}`.",
    "Name the integration request parameter in that form, e.g. `integration.request.header.X-Id`.",
)
E314 = register(
    "E314",
    "malformed parameter mapping source",
    "A `requestParameters` value is not a mapping expression API Gateway accepts: "
    "`method.request.{querystring|path|header|multivaluequerystring|multivalueheader}.{name}`, "
    "`method.request.body`, `method.request.body.{JSONPath}`, `stageVariables.{name}`, "
    "`context.{name}` or a quoted static value `'text'`.",
    "Write the source in one of those forms; quote static values in single quotes.",
)
E315 = register(
    "E315",
    "mapping from an undeclared method request parameter",
    "A mapping reads `method.request.{location}.{name}` but the method does not declare that "
    "parameter; API Gateway rejects the integration.",
    "Declare the parameter on the operation (`parameters` with `in: query|path|header`), or "
    "correct the name.",
)
E316 = register(
    "E316",
    "cache key parameter not declared",
    "`cacheKeyParameters` must name method request parameters of the method "
    "(`method.request.querystring.q`).",
    "Declare the parameter on the operation, or use its `method.request.{location}.{name}` name.",
)
E317 = register(
    "E317",
    "malformed status code",
    "A status code of an integration, method or gateway response is not a three-digit HTTP "
    "status from 100 to 599.",
    "Write the status code as three digits, e.g. `200`.",
)
E318 = register(
    "E318",
    "integration response without method response",
    "An integration response maps to a status code the method does not declare as a response; "
    "API Gateway refuses `put-integration-response` for it.",
    "Declare the status code under the operation's `responses`, or map to a declared one.",
)
E319 = register(
    "E319",
    "two integration responses for one status code",
    "API Gateway keeps one integration response per status code (and one per selection pattern); "
    "a second one silently replaces the first.",
    "Merge the selection patterns into one regular expression (`a|b`), or map one of them to "
    "another status code.",
)
E320 = register(
    "E320",
    "malformed response parameter",
    "A response parameter key is not `method.response.header.{name}` "
    "(`gatewayresponse.header.{name}` for gateway responses), or its value is not "
    "`integration.response.header.{name}`, `integration.response.multivalueheader.{name}`, "
    "`integration.response.body[.{JSONPath}]`, `stageVariables.{name}`, `context.{name}` or a "
    "quoted static value.",
    "Write the key and value in those forms; quote static values in single quotes.",
)
E321 = register(
    "E321",
    "response parameter for an undeclared header",
    "An integration response sets `method.response.header.X`, but the method response with that "
    "status code does not declare header X; API Gateway rejects the mapping.",
    "Declare the header under the response's `headers`, or remove the mapping.",
)
W322 = register(
    "W322",
    "HTTP API field on a REST API",
    "A field that only HTTP APIs (`apigatewayv2`) use, such as `payloadFormatVersion`, "
    "`integrationSubtype`, `x-amazon-apigateway-cors` or "
    "`x-amazon-apigateway-importexport-version`, is present; REST APIs ignore it.",
    "Remove the field, or build the API with HTTP API tooling.",
)
W323 = register(
    "W323",
    "unknown extension key",
    "An extension holds a key that API Gateway's REST API does not define (or that this version "
    "does not know yet); it is kept but not sent.",
    "Check the spelling against the API Gateway extension reference, or remove the key.",
)
E324 = register(
    "E324",
    "unresolved CloudFormation intrinsic",
    "A field that needs a literal still holds a CloudFormation intrinsic function "
    "(`Fn::Sub`, `Ref`, `Fn::GetAtt`, `Fn::If`, ...), or a uri still holds a template "
    "placeholder such as `${AWS::Region}` or `${lambda_uri}`, because its values were not given.",
    "Supply the values the message names with `--var NAME=VALUE` (and `--condition "
    "NAME=true|false` for `Fn::If`), or write the literal.",
)
W325 = register(
    "W325",
    "mapping ignored by a proxy integration",
    "HTTP_PROXY and AWS_PROXY integrations pass requests and responses through: request "
    "templates and integration response templates, parameters and contentHandling are ignored.",
    "Remove them, or use a non-proxy (HTTP or AWS) integration to transform the payload.",
)
E326 = register(
    "E326",
    "authorizer not defined",
    "A method refers to an authorizer that no security scheme defines with "
    "`x-amazon-apigateway-authorizer`.",
    "Define the authorizer, or correct the name.",
)
E327 = register(
    "E327",
    "request validator not defined",
    "A method (or the API's default) names a request validator that "
    "`x-amazon-apigateway-request-validators` does not define.",
    "Define the validator, or correct the name.",
)
E328 = register(
    "E328",
    "model not defined",
    "A request or response model is neither defined (`definitions` / `components.schemas`) nor "
    "one of API Gateway's built-in models `Empty` and `Error`.",
    "Define the schema, or refer to an existing one.",
)
E329 = register(
    "E329",
    "authorization type and authorizer disagree",
    "CUSTOM authorization needs a TOKEN or REQUEST authorizer, COGNITO_USER_POOLS a Cognito "
    "authorizer, and NONE and AWS_IAM take no authorizer.",
    "Make the method's security requirement name an authorizer of the matching type, or remove "
    "the authorizer.",
)
E330 = register(
    "E330",
    "authorization scopes without Cognito",
    "OAuth scopes (`authorizationScopes`) are checked only by COGNITO_USER_POOLS authorizers.",
    "Remove the scopes, or use a Cognito user pool authorizer.",
)
E331 = register(
    "E331",
    "incomplete authorizer",
    "A TOKEN or REQUEST authorizer lacks its Lambda `authorizerUri`, a Cognito authorizer its "
    "`providerARNs`, a TOKEN or Cognito authorizer its `identitySource` header, an identity "
    "source is not "
    "a list of mapping expressions, or `authorizerResultTtlInSeconds` is outside 0..3600.",
    "Add or correct the field the message names.",
)
E332 = register(
    "E332",
    "Lambda invoked with a method other than POST",
    "Lambda's Invoke API takes POST only; an integration calling a Lambda function with "
    "another `httpMethod` fails at run time.",
    "Set the integration's `httpMethod` to POST (the method's own verb can stay as it is).",
)
W333 = register(
    "W333",
    "uri parameter not mapped",
    "The integration `uri` holds a placeholder `{name}` that no "
    "`integration.request.path.{name}` request parameter fills, so API Gateway cannot "
    "substitute it.",
    "Add `integration.request.path.{name}: method.request.path.{name}` to `requestParameters`.",
)
E334 = register(
    "E334",
    "API setting out of range",
    "`x-amazon-apigateway-minimum-compression-size` is outside 0..10485760 bytes, or a binary "
    "media type is not `type/subtype`.",
    "Correct the value the message names.",
)
E335 = register(
    "E335",
    "VPC_LINK on a non-HTTP integration",
    "Private integrations (`connectionType: VPC_LINK`) reach an HTTP backend through a load "
    "balancer; only HTTP and HTTP_PROXY integrations can use them.",
    "Use type HTTP or HTTP_PROXY, or remove `connectionType: VPC_LINK`.",
)
W336 = register(
    "W336",
    "method without integration",
    "The method has no `x-amazon-apigateway-integration`; API Gateway refuses to deploy an API "
    "with a method that has no integration.",
    "Add an integration (a MOCK one if the method is a placeholder), or remove the operation.",
)
E337 = register(
    "E337",
    "mapping where text belongs",
    "A field API Gateway takes as a string (a uri, a mapping expression, a template, an ARN) "
    "holds a mapping that is not a CloudFormation intrinsic.",
    "Write the value as a string; quote YAML values that start with `{`.",
)
