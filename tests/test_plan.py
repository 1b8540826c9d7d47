"""The plan: which calls, in which order, with exactly the parameters the model holds."""

from __future__ import annotations

import json

import pytest

from oas2gw.emit.plan_json import render_plan_json
from oas2gw.model import (
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
from oas2gw.plan import (
    E_INTRINSIC,
    E_UNDEFINED,
    W_NO_PERMISSION,
    W_SKIPPED,
    PlanError,
    PlanOptions,
    Ref,
    Step,
    Sub,
    build_plan,
    source_arn_suffix,
    statement_suffix,
)

LAMBDA = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:pets/invocations"
)


def ops(steps: tuple[Step, ...] | list[Step]) -> list[str]:
    return [s.operation for s in steps]


def mock_method(verb: str = "GET", **kwargs: object) -> Method:
    return Method(http_method=verb, integration=Integration(type="MOCK"), **kwargs)  # type: ignore[arg-type]


def test_resources_are_created_parent_first_once_each_never_the_root() -> None:
    model = ApiModel(
        resources=(
            Resource(path="/a/b/c", methods=(mock_method(),)),
            Resource(path="/a", methods=(mock_method(),)),
            Resource(path="/", methods=(mock_method(),)),
            Resource(path="/a/x"),
        )
    )
    creates = [s for s in build_plan(model).steps if s.action == "create_resource"]
    assert [s.key for s in creates] == ["/a", "/a/b", "/a/b/c", "/a/x"]
    assert [s.params["pathPart"] for s in creates] == ["a", "b", "c", "x"]
    assert creates[1].refs["parentId"] == Ref("resource", "/a")
    assert creates[0].refs["parentId"] == Ref("resource", "/")
    assert all(s.saves == Ref("resource", s.key) for s in creates)


def test_each_method_is_deleted_if_present_then_put_with_responses_and_integration() -> None:
    method = Method(
        http_method="POST",
        responses=(MethodResponse(status_code="200"), MethodResponse(status_code="500")),
        integration=Integration(
            type="MOCK",
            responses=(
                IntegrationResponse(status_code="200"),
                IntegrationResponse(status_code="500", selection_pattern="error.*"),
            ),
        ),
    )
    steps = build_plan(ApiModel(resources=(Resource(path="/p", methods=(method,)),))).steps
    assert ops(steps) == [
        "CreateResource",
        "DeleteMethod",
        "PutMethod",
        "PutMethodResponse",
        "PutMethodResponse",
        "PutIntegration",
        "PutIntegrationResponse",
        "PutIntegrationResponse",
    ]
    assert steps[1].action == "delete_method" and steps[1].key == "/p"
    assert {s.label for s in steps[1:]} == {"POST /p"}
    assert steps[-1].params == {
        "httpMethod": "POST",
        "statusCode": "500",
        "selectionPattern": "error.*",
    }


def test_method_without_integration_gets_method_and_responses_only() -> None:
    method = Method(http_method="GET", responses=(MethodResponse(status_code="204"),))
    steps = build_plan(ApiModel(resources=(Resource(path="/", methods=(method,)),))).steps
    assert ops(steps) == ["DeleteMethod", "PutMethod", "PutMethodResponse"]


def test_put_integration_carries_every_field_the_model_holds_and_nothing_else() -> None:
    full = Integration.model_validate(
        {
            "type": "http",
            "httpMethod": "post",
            "uri": "https://example.com/{id}",
            "connectionType": "VPC_LINK",
            "connectionId": "${stageVariables.link}",
            "credentials": "arn:aws:iam::123456789012:role/r",
            "requestParameters": {"integration.request.path.id": "method.request.path.id"},
            "requestTemplates": {"application/json": "$input.body"},
            "passthroughBehavior": "never",
            "cacheNamespace": "ns",
            "cacheKeyParameters": ["method.request.path.id"],
            "contentHandling": "CONVERT_TO_TEXT",
            "timeoutInMillis": 1234,
            "tlsConfig": {"insecureSkipVerification": True},
            "responseTransferMode": "STREAM",
            "integrationTarget": "arn:aws:elasticloadbalancing:target",
        }
    )
    model = ApiModel(
        resources=(Resource(path="/", methods=(Method(http_method="GET", integration=full),)),)
    )
    put = next(s for s in build_plan(model).steps if s.operation == "PutIntegration")
    assert put.params == {
        "httpMethod": "GET",
        "type": "HTTP",
        "integrationHttpMethod": "POST",
        "uri": "https://example.com/{id}",
        "connectionType": "VPC_LINK",
        "connectionId": "${stageVariables.link}",
        "credentials": "arn:aws:iam::123456789012:role/r",
        "requestParameters": {"integration.request.path.id": "method.request.path.id"},
        "requestTemplates": {"application/json": "$input.body"},
        "passthroughBehavior": "NEVER",
        "cacheNamespace": "ns",
        "cacheKeyParameters": ["method.request.path.id"],
        "contentHandling": "CONVERT_TO_TEXT",
        "timeoutInMillis": 1234,
        "tlsConfig": {"insecureSkipVerification": True},
        "responseTransferMode": "STREAM",
        "integrationTarget": "arn:aws:elasticloadbalancing:target",
    }
    bare = ApiModel(resources=(Resource(path="/", methods=(mock_method(),)),))
    put = next(s for s in build_plan(bare).steps if s.operation == "PutIntegration")
    assert put.params == {"httpMethod": "GET", "type": "MOCK"}


def test_plan_parameters_are_botocore_members() -> None:
    import botocore.session

    service = botocore.session.get_session().get_service_model("apigateway")
    lam = botocore.session.get_session().get_service_model("lambda")
    model = ApiModel(
        binary_media_types=("image/png",),
        models={"Pet": {"type": "object"}},
        request_validators=(RequestValidator(name="v", validate_request_body=True),),
        authorizers=(Authorizer(name="a", type="TOKEN", authorizer_uri=LAMBDA),),
        gateway_responses=(GatewayResponse(response_type="DEFAULT_4XX", status_code="400"),),
        resources=(
            Resource(
                path="/x",
                methods=(
                    Method(
                        http_method="GET",
                        authorizer="a",
                        authorization_type="CUSTOM",
                        api_key_required=True,
                        request_validator="v",
                        responses=(MethodResponse(status_code="200"),),
                        integration=Integration(type="AWS_PROXY", http_method="POST", uri=LAMBDA),
                    ),
                ),
            ),
        ),
    )
    plan = build_plan(model, PlanOptions(deploy_stage="s", lambda_permissions=True))
    steps = list(plan.steps) + [s.update for s in plan.steps if s.update is not None]
    for step in steps:
        shape = (service if step.service == "apigateway" else lam).operation_model(step.operation)
        members = set(shape.input_shape.members)
        assert set(step.params) | set(step.refs) <= members, step.operation
        assert set(shape.input_shape.required_members) <= set(step.params) | set(step.refs)
    for step in plan.steps:
        if step.lookup:
            service.operation_model(step.lookup)


def test_default_request_validator_applies_where_a_method_names_none() -> None:
    model = ApiModel(
        default_request_validator="basic",
        request_validators=(RequestValidator(name="basic"), RequestValidator(name="full")),
        resources=(
            Resource(
                path="/",
                methods=(mock_method("GET"), mock_method("POST", request_validator="full")),
            ),
        ),
    )
    puts = [s for s in build_plan(model).steps if s.operation == "PutMethod"]
    assert [p.refs["requestValidatorId"] for p in puts] == [
        Ref("request_validator", "basic"),
        Ref("request_validator", "full"),
    ]


def test_named_definitions_are_ensured_before_methods_and_builtin_models_skipped() -> None:
    model = ApiModel(
        models={"Empty": {}, "Pet": {"type": "object"}, "Error": {}},
        request_validators=(RequestValidator(name="v", validate_request_parameters=True),),
        authorizers=(Authorizer(name="a", type="COGNITO_USER_POOLS", provider_arns=("arn:p",)),),
        resources=(Resource(path="/", methods=(mock_method(),)),),
    )
    steps = build_plan(model).steps
    ensures = [s for s in steps if s.action == "ensure"]
    assert [(s.operation, s.key, s.lookup) for s in ensures] == [
        ("CreateModel", "Pet", "GetModels"),
        ("CreateRequestValidator", "v", "GetRequestValidators"),
        ("CreateAuthorizer", "a", "GetAuthorizers"),
    ]
    assert ensures[0].params == {
        "name": "Pet",
        "contentType": "application/json",
        "schema": '{"type":"object"}',
    }
    validator_update = ensures[1].update
    assert validator_update is not None
    assert validator_update.refs["requestValidatorId"] == Ref("request_validator", "v")
    assert validator_update.params["patchOperations"] == [
        {"op": "replace", "path": "/validateRequestBody", "value": "false"},
        {"op": "replace", "path": "/validateRequestParameters", "value": "true"},
    ]
    assert ensures[2].params == {
        "name": "a",
        "type": "COGNITO_USER_POOLS",
        "providerARNs": ["arn:p"],
    }
    assert steps.index(ensures[-1]) < ops(steps).index("PutMethod")


def test_rest_api_settings_are_patched_only_where_the_document_sets_them() -> None:
    assert "UpdateRestApi" not in ops(build_plan(ApiModel()).steps)
    model = ApiModel(
        binary_media_types=("image/png", "*/*"),
        minimum_compression_size=0,
        disable_execute_api_endpoint=True,
        policy={"Version": "2012-10-17", "Statement": []},
    )
    step, png, anything = build_plan(model).steps
    assert png.params["patchOperations"] == [{"op": "add", "path": "/binaryMediaTypes/image~1png"}]
    assert anything.params["patchOperations"] == [{"op": "add", "path": "/binaryMediaTypes/*~1*"}]
    assert png.tolerate == ("ConflictException",)  # the API has it already
    assert step.params["patchOperations"] == [
        {"op": "replace", "path": "/minimumCompressionSize", "value": "0"},
        {"op": "replace", "path": "/disableExecuteApiEndpoint", "value": "true"},
        {
            "op": "replace",
            "path": "/policy",
            "value": '{"Version":"2012-10-17","Statement":[]}',
        },
    ]


def test_intrinsic_in_a_literal_field_is_E580_and_force_skips_that_method() -> None:
    bad = Method(
        http_method="GET",
        integration=Integration(type="AWS", http_method="POST", uri={"Fn::Sub": "arn:${X}"}),
    )
    model = ApiModel(resources=(Resource(path="/a", methods=(bad, mock_method("POST"))),))
    with pytest.raises(PlanError) as caught:
        build_plan(model)
    assert [d.code for d in caught.value.diagnostics] == [E_INTRINSIC]
    assert "uri" in caught.value.diagnostics[0].message
    plan = build_plan(model, PlanOptions(force=True))
    assert [s.label for s in plan.steps if s.operation == "PutMethod"] == ["POST /a"]
    assert [d.code for d in plan.diagnostics] == [E_INTRINSIC, W_SKIPPED]


def test_intrinsic_in_templates_and_authorizers_is_reported_not_crashed() -> None:
    model = ApiModel(
        authorizers=(
            Authorizer(name="a", type="TOKEN", authorizer_uri={"Fn::GetAtt": ["F", "Arn"]}),
        ),
        resources=(
            Resource(
                path="/a",
                methods=(
                    Method(
                        http_method="GET",
                        authorizer="a",
                        integration=Integration(
                            type="MOCK",
                            responses=(
                                IntegrationResponse(
                                    status_code="200",
                                    response_templates={"application/json": {"Ref": "X"}},
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    with pytest.raises(PlanError) as caught:
        build_plan(model)
    codes = [d.code for d in caught.value.diagnostics]
    assert codes.count(E_INTRINSIC) == 2 and E_UNDEFINED in codes
    plan = build_plan(model, PlanOptions(force=True))
    assert "CreateAuthorizer" not in ops(plan.steps) and "PutMethod" not in ops(plan.steps)


def test_undefined_validator_or_authorizer_is_E581() -> None:
    model = ApiModel(resources=(Resource(path="/", methods=(mock_method(request_validator="x"),)),))
    with pytest.raises(PlanError) as caught:
        build_plan(model)
    assert [d.code for d in caught.value.diagnostics] == [E_UNDEFINED]


def test_lambda_permission_is_scoped_to_the_method_and_tolerates_an_existing_statement() -> None:
    model = ApiModel(
        resources=(
            Resource(
                path="/pets/{id}",
                methods=(
                    Method(
                        http_method="ANY",
                        integration=Integration(type="AWS_PROXY", http_method="POST", uri=LAMBDA),
                    ),
                    Method(
                        http_method="GET",
                        integration=Integration(
                            type="AWS_PROXY", http_method="POST", uri=LAMBDA, credentials="arn:r"
                        ),
                    ),
                ),
            ),
        )
    )
    assert "AddPermission" not in ops(build_plan(model).steps)
    plan = build_plan(model, PlanOptions(lambda_permissions=True))
    (perm,) = [s for s in plan.steps if s.operation == "AddPermission"]
    assert perm.service == "lambda" and perm.tolerate == ("ResourceConflictException",)
    assert perm.params["FunctionName"] == "arn:aws:lambda:us-east-1:123456789012:function:pets"
    arn = perm.refs["SourceArn"]
    assert isinstance(arn, Sub) and arn.parts[-1] == "/*/*/pets/*"
    assert Ref("region") in arn.parts and Ref("account") in arn.parts


def test_lambda_permission_for_a_stage_variable_function_is_W581() -> None:
    uri = LAMBDA.replace("function:pets", "function:${stageVariables.fn}")
    method = Method(
        http_method="GET", integration=Integration(type="AWS", http_method="POST", uri=uri)
    )
    plan = build_plan(
        ApiModel(resources=(Resource(path="/", methods=(method,)),)),
        PlanOptions(lambda_permissions=True),
    )
    assert "AddPermission" not in ops(plan.steps)
    assert [d.code for d in plan.diagnostics] == [W_NO_PERMISSION]


def test_statement_ids_are_stable_distinct_and_within_lambda_rules() -> None:
    long = "/" + "/".join(["{segment}"] * 40)
    ids = {statement_suffix(m, p) for m in ("GET", "ANY") for p in ("/a-b", "/a_b", "/a.b", long)}
    assert len(ids) == 8
    for suffix in ids:
        full = f"oas2gw-abcdefghij-{suffix}"
        assert len(full) <= 100 and all(c.isalnum() or c in "-_" for c in full)
    assert statement_suffix("GET", "/a") == statement_suffix("GET", "/a")
    assert source_arn_suffix("GET", "/") == "/*/GET/"
    assert source_arn_suffix("ANY", "/a/{proxy+}") == "/*/*/a/*"


def test_deploy_stage_ends_the_plan() -> None:
    model = ApiModel(resources=(Resource(path="/", methods=(mock_method(),)),))
    last = build_plan(model, PlanOptions(deploy_stage="prod")).steps[-1]
    assert (last.operation, last.params) == ("CreateDeployment", {"stageName": "prod"})


def test_plan_json_is_deterministic_json_with_refs_apart_from_params() -> None:
    model = ApiModel(
        name="Ünïcode",
        resources=(Resource(path="/a", methods=(mock_method(operation_name="x\ud800"),)),),
    )
    text = render_plan_json(build_plan(model))
    assert text == render_plan_json(build_plan(model)) and text.endswith("\n")
    data = json.loads(text)
    assert data["format"] == "oas2gw-plan/1" and data["title"] == "Ünïcode"
    put = next(s for s in data["steps"] if s["operation"] == "PutMethod")
    assert put["refs"] == {
        "restApiId": {"ref": "rest_api"},
        "resourceId": {"ref": "resource", "key": "/a"},
    }
    assert put["params"]["operationName"] == "x\ud800"


def test_models_referring_to_models_use_model_urls_and_come_after_their_targets() -> None:
    model = ApiModel(
        models={
            "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
            "Pet": {"type": "object", "properties": {"tag": {"$ref": "#/definitions/Tag"}}},
            "Tag": {"type": "string"},
            "Loop": {"properties": {"self": {"$ref": "#/definitions/Loop"}}},
        }
    )
    steps = [s for s in build_plan(model).steps if s.operation == "CreateModel"]
    assert [s.key for s in steps] == ["Tag", "Pet", "Pets", "Loop"]
    assert steps[0].params["schema"] == '{"type":"string"}' and "schema" not in steps[0].refs
    schema = steps[2].refs["schema"]
    assert schema == Sub(
        (
            '{"type":"array","items":{"$ref":"https://apigateway.amazonaws.com/restapis/',
            Ref("rest_api"),
            '/models/Pet"}}',
        )
    )
    assert "schema" not in steps[2].params
