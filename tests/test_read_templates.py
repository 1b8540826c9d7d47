"""CloudFormation and SAM templates: the OpenAPI body found, chosen, unwrapped and resolved."""

from __future__ import annotations

from pathlib import Path

from oas2gw.diagnostics import Location
from oas2gw.read import Document, ReadOptions, load_document

SAM = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      DefinitionBody:
        openapi: 3.0.1
        info: {title: !Sub '${AWS::StackName}-api', version: '1'}
        paths:
          /a:
            get:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/${Fn.Arn}
                credentials: !GetAtt Role.Arn
                timeoutInMillis: !If [IsProd, 29000, 3000]
                cacheNamespace: !Join ['-', [!Ref Stage, ns]]
                requestTemplates:
                  application/json: !Sub '{"literal": "${!NotAVar}"}'
  Fn:
    Type: AWS::Serverless::Function
"""


def load(tmp_path: Path, text: str, name: str = "template.yaml", **options: object) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, options=ReadOptions(**options))  # type: ignore[arg-type]


def integration(doc: Document) -> dict[str, object]:
    assert doc.tree is not None, [d.render() for d in doc.diagnostics]
    return doc.tree["paths"]["/a"]["get"]["x-amazon-apigateway-integration"]  # type: ignore[no-any-return]


def test_sam_definition_body_is_the_tree_and_located_in_the_template(tmp_path: Path) -> None:
    doc = load(tmp_path, SAM)
    assert doc.template_kind == "sam" and doc.api_service == "apigateway"
    assert doc.openapi_version == "3.0.1"
    assert doc.diagnostics == []
    where = doc.locator.locate("/paths/~1a/get/x-amazon-apigateway-integration/type")
    assert where == Location(str(tmp_path / "template.yaml"), 20, 17)


def test_intrinsics_without_values_are_kept_in_long_form(tmp_path: Path) -> None:
    found = integration(load(tmp_path, SAM))
    assert found["uri"] == {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/${Fn.Arn}"
    }
    assert found["credentials"] == {"Fn::GetAtt": ["Role", "Arn"]}


def test_parameter_defaults_pseudo_parameters_and_conditions_resolve(tmp_path: Path) -> None:
    found = integration(load(tmp_path, SAM))
    assert found["cacheNamespace"] == "prod-ns"  # Ref to a parameter default, then Fn::Join
    assert found["timeoutInMillis"] == 29000  # IsProd evaluated from the template
    assert found["requestTemplates"] == {"application/json": '{"literal": "${NotAVar}"}'}


def test_variables_resolve_sub_getatt_and_pseudo_parameters(tmp_path: Path) -> None:
    variables = {
        "AWS::Region": "eu-west-1",
        "Fn.Arn": "arn:aws:lambda:eu-west-1:1:function:f",
        "Role.Arn": "arn:aws:iam::1:role/r",
        "AWS::StackName": "s",
        "Stage": "dev",
    }
    doc = load(tmp_path, SAM, variables=variables)
    found = integration(doc)
    assert (
        found["uri"]
        == "arn:aws:apigateway:eu-west-1:lambda:path/arn:aws:lambda:eu-west-1:1:function:f"
    )
    assert found["credentials"] == "arn:aws:iam::1:role/r"
    assert found["cacheNamespace"] == "dev-ns" and found["timeoutInMillis"] == 3000
    assert doc.tree is not None and doc.tree["info"]["title"] == "s-api"


def test_condition_option_overrides_the_template(tmp_path: Path) -> None:
    found = integration(load(tmp_path, SAM, conditions={"IsProd": False}))
    assert found["timeoutInMillis"] == 3000


def test_chosen_if_branch_is_located_at_the_branch(tmp_path: Path) -> None:
    text = SAM.replace(
        "timeoutInMillis: !If [IsProd, 29000, 3000]",
        "x-t: !If\n" + "".join(f"{' ' * 18}- {v}\n" for v in ("IsProd", "{a: 1}", "{a: 2}")),
    )
    doc = load(tmp_path, text)
    assert integration(doc)["x-t"] == {"a": 1}
    where = doc.locator.locate("/paths/~1a/get/x-amazon-apigateway-integration/x-t/a")
    assert where == Location(str(tmp_path / "template.yaml"), 26, 22)


def test_json_template_with_restapi_body(tmp_path: Path) -> None:
    text = (
        '{"Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": '
        '{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}}}}}'
    )
    doc = load(tmp_path, text, name="template.json")
    assert doc.template_kind == "cloudformation" and doc.openapi_version == "2.0"
    assert doc.diagnostics == [] and doc.tree is not None


TWO = """Resources:
  One:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body: {swagger: '2.0', info: {title: one, version: '1'}, paths: {}}
  Two:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionBody: {swagger: '2.0', info: {title: two, version: '1'}, paths: {}}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody: {openapi: 3.0.1, info: {title: http, version: '1'}, paths: {}}
"""


def test_several_apis_is_E131_naming_them(tmp_path: Path) -> None:
    doc = load(tmp_path, TWO)
    (diag,) = doc.diagnostics
    assert diag.code == "E131" and "One, Two" in diag.message
    assert diag.location == Location(str(tmp_path / "template.yaml"), 1, 1)
    assert doc.tree is None


def test_resource_option_chooses_the_api(tmp_path: Path) -> None:
    doc = load(tmp_path, TWO, resource="Two")
    assert doc.tree is not None and doc.tree["info"]["title"] == "two"
    where = doc.locator.locate("/info/title")
    assert where == Location(str(tmp_path / "template.yaml"), 9, 47)


def test_unknown_resource_is_E132_listing_the_apis(tmp_path: Path) -> None:
    (diag,) = load(tmp_path, TWO, resource="Nope").diagnostics
    assert diag.code == "E132" and "One, Two, Http" in diag.message


def test_http_api_resource_sets_apigatewayv2_with_W136(tmp_path: Path) -> None:
    doc = load(tmp_path, TWO, resource="Http")
    assert doc.api_service == "apigatewayv2"
    assert [d.code for d in doc.diagnostics] == ["W136"]


def test_http_api_markers_in_a_plain_document_are_W136(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses: {'200': {description: ok}}\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n"
        "        payloadFormatVersion: '2.0'\n"
    )
    doc = load(tmp_path, text, name="api.yaml")
    assert doc.api_service == "apigatewayv2"
    (diag,) = doc.diagnostics
    assert diag.code == "W136"
    assert diag.pointer == "/paths/~1a/get/x-amazon-apigateway-integration/payloadFormatVersion"
    assert diag.location == Location(str(tmp_path / "api.yaml"), 9, 9)


def test_no_api_body_is_E130(tmp_path: Path) -> None:
    text = "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n"
    text += "      DefinitionUri: s3://bucket/api.yaml\n"
    (diag,) = load(tmp_path, text).diagnostics
    assert diag.code == "E130" and "s3://bucket/api.yaml" in diag.message


WRAPPED = """Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      DefinitionBody:
        Fn::If:
          - UseNew
          - {openapi: 3.0.1, info: {title: new, version: '1'}, paths: {}}
          - {swagger: '2.0', info: {title: old, version: '1'}, paths: {}}
"""


def test_body_wrapped_in_if_needs_the_condition_E133(tmp_path: Path) -> None:
    doc = load(tmp_path, WRAPPED)
    (diag,) = doc.diagnostics
    assert diag.code == "E133" and "UseNew" in diag.message
    assert diag.location == Location(str(tmp_path / "template.yaml"), 5, 7)


def test_body_wrapped_in_if_is_chosen_by_condition(tmp_path: Path) -> None:
    doc = load(tmp_path, WRAPPED, conditions={"UseNew": False})
    assert doc.tree is not None and doc.tree["info"]["title"] == "old"
    assert doc.openapi_version == "2.0"
    where = doc.locator.locate("/info/title")
    assert where == Location(str(tmp_path / "template.yaml"), 9, 37)


def test_aws_include_is_E134_naming_the_location(tmp_path: Path) -> None:
    text = (
        "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n"
        "      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n"
        "          Parameters: {Location: s3://bucket/openapi.yaml}\n"
    )
    (diag,) = load(tmp_path, text).diagnostics
    assert diag.code == "E134" and "s3://bucket/openapi.yaml" in diag.message
    assert diag.location == Location(str(tmp_path / "template.yaml"), 5, 7)


def test_terraform_placeholders_are_substituted_only_from_variables(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.1\ninfo: {title: '${name}', version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses: {'200': {description: ok}}\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n"
        "        httpMethod: POST\n        uri: '${lambda_arn}'\n"
        "        requestTemplates: {application/json: '$${kept}'}\n"
    )
    doc = load(tmp_path, text, name="api.yaml", variables={"lambda_arn": "arn:x"})
    found = integration(doc)
    assert found["uri"] == "arn:x"
    assert found["requestTemplates"] == {"application/json": "$${kept}"}
    assert doc.tree is not None and doc.tree["info"]["title"] == "${name}"


def test_intrinsics_do_not_cause_schema_errors(tmp_path: Path) -> None:
    text = SAM.replace("responses: {'200': {description: ok}}", "responses: !Ref Responses")
    doc = load(tmp_path, text)
    assert doc.diagnostics == []


def test_body_condition_is_evaluated_from_the_template_when_its_inputs_are_known(
    tmp_path: Path,
) -> None:
    text = "Conditions:\n  UseNew: !Equals [!Ref AWS::AccountId, '123']\n" + WRAPPED
    doc = load(tmp_path, text, variables={"AWS::AccountId": "123"})
    assert doc.tree is not None and doc.tree["info"]["title"] == "new"


def test_http_api_fields_in_a_rest_resource_warn_but_stay_rest(tmp_path: Path) -> None:
    text = SAM.replace(
        "type: aws_proxy", "type: aws_proxy\n                payloadFormatVersion: '1.0'"
    )
    doc = load(tmp_path, text)
    assert doc.api_service == "apigateway"
    (diag,) = doc.diagnostics
    assert diag.code == "W136" and "read as REST" in diag.message
    assert diag.pointer == "/paths/~1a/get/x-amazon-apigateway-integration/payloadFormatVersion"
    assert diag.location == Location(str(tmp_path / "template.yaml"), 21, 17)


def test_long_form_intrinsics_in_a_plain_yaml_document_resolve(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses: {'200': {description: ok}}\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n"
        "        httpMethod: POST\n        uri:\n          Ref: FunctionUri\n"
    )
    doc = load(tmp_path, text, name="api.yaml", variables={"FunctionUri": "arn:f"})
    assert integration(doc)["uri"] == "arn:f"
