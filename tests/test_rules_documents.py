"""The rules through the whole path: document -> reader -> model -> rules -> file:line:column.

Runs once the reader (`oas2gw.read.load_document`) is there; skips cleanly before.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import corpus_files, requires_corpus, sample_files

read = pytest.importorskip("oas2gw.read")
if not hasattr(read, "load_document"):
    pytest.skip("the reader is not there yet", allow_module_level=True)

from oas2gw.api import load  # noqa: E402  (after the skip: it needs the reader)

BAD_DOCUMENT = textwrap.dedent(
    """\
    openapi: 3.0.3
    info:
      title: bad
      version: "1"
    paths:
      /pets/{id}:
        get:
          parameters:
            - name: id
              in: path
              required: true
              schema:
                type: string
          responses:
            "200":
              description: ok
          x-amazon-apigateway-integration:
            type: aws_proxy
            httpMethod: POST
            tlsConfig:
              insecureSkipVerification: true
            timeoutInMillis: 10
            responses:
              default:
                statusCode: "201"
    """
)


def where(text: str, needle: str) -> tuple[int, set[int]]:
    """The 1-based line of `needle`, and the columns of its key and of its value."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            key = line.index(needle) + 1
            value = line.index(":", key) + 3 if ":" in line[key:] else key
            return number, {key, value}
    raise AssertionError(needle)


def test_rules_report_file_line_and_column_through_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_DOCUMENT, encoding="utf-8")
    result = load(path)
    by_code = {d.code: d for d in result.diagnostics if d.code.startswith(("E3", "W3"))}
    integration = "/paths/~1pets~1{id}/get/x-amazon-apigateway-integration"
    expected = {
        "E301": (integration, "x-amazon-apigateway-integration"),
        "E308": (integration + "/tlsConfig", "tlsConfig"),
        "E309": (integration + "/timeoutInMillis", "timeoutInMillis"),
        "E318": (integration + "/responses/default/statusCode", "statusCode"),
    }
    assert set(by_code) == set(expected), [d.render() for d in result.diagnostics]
    for code, (pointer, needle) in expected.items():
        diag = by_code[code]
        assert diag.pointer == pointer
        assert diag.location is not None, diag.render()
        line, columns = where(BAD_DOCUMENT, needle + ":")
        assert diag.location.file.endswith("bad.yaml")
        assert diag.location.line == line, diag.render()
        assert diag.location.column in columns, diag.render()


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_sample_loads_without_errors_or_warnings(sample: Path) -> None:
    result = load(sample)
    assert result.model is not None
    assert [d.render() for d in result.diagnostics] == []
    assert result.model.integration_count > 0


def test_samples_cover_every_integration_type() -> None:
    types = set()
    for sample in sample_files():
        model = load(sample).model
        assert model is not None
        types |= {m.integration.type for _, m in model.iter_methods() if m.integration}
    assert types == {"HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY", "MOCK"}


@requires_corpus
def test_corpus_documents_go_through_the_rules_without_a_crash() -> None:
    checked = 0
    for path in corpus_files():
        result = load(path)  # an exception here fails the test, naming nothing else
        assert all(d.code and d.message for d in result.diagnostics), path.name
        checked += 1
    assert checked > 0


SAM_TEMPLATE = textwrap.dedent(
    """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: index.handler
          Runtime: python3.12
          InlineCode: "def handler(event, context): return {}"
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: live
          DefinitionBody:
            openapi: 3.0.1
            info:
              title: t
              version: "1"
            paths:
              /hello:
                get:
                  responses:
                    "200":
                      description: ok
                  x-amazon-apigateway-integration:
                    type: aws_proxy
                    httpMethod: POST
                    uri: !Sub "URI"
    """
).replace(
    "URI",
    "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations",
)


def test_unresolved_intrinsic_in_a_template_is_located_in_the_template(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(SAM_TEMPLATE, encoding="utf-8")
    (diag,) = [d for d in load(path).diagnostics if d.code == "E324"]
    assert diag.pointer == "/paths/~1hello/get/x-amazon-apigateway-integration/uri"
    assert "--var AWS::Region=VALUE" in diag.message and "--var Fn.Arn=VALUE" in diag.message
    assert diag.location is not None
    assert diag.location.line == where(SAM_TEMPLATE, "uri:")[0]

    from oas2gw.read import ReadOptions

    fn = "arn:aws:lambda:us-east-1:123456789012:function:hello"
    given = ReadOptions(variables={"AWS::Region": "us-east-1", "Fn.Arn": fn})
    resolved = load(path, options=given)
    assert [d.render() for d in resolved.diagnostics if d.is_error] == []
