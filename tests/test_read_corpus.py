"""Every real document in the shared corpus loads: a tree, no internal error, integrations seen."""

from __future__ import annotations

from typing import Any

from conftest import CORPUS, corpus_manifest, requires_corpus

from oas2gw.read import ReadOptions, load_document

#: Documents that need a choice from the user, as the CLI would take it.
CHOICES: dict[str, list[ReadOptions]] = {
    "aws__serverless-application-model__tests__translator__input__"
    "definition_body_intrinsics_support.yaml": [
        ReadOptions(resource=api, conditions={"FalseCondition": choice})
        for api in ("RestApiIfIntrinsicAndNoSwaggerEditor", "HttpApiIfIntrinsicAndNoOpenApiEditor")
        for choice in (False, True)
    ],
    "aws__aws-sam-cli__tests__integration__testdata__start_api__lambda_authorizers__"
    "swagger-api.yaml": [
        ReadOptions(resource="RestApiSwagger"),
        ReadOptions(resource="RestApiOpenApi"),
    ],
}
INTEGRATION = "x-amazon-apigateway-integration"


def count_integrations(tree: Any) -> int:
    """Integration objects under the paths (where API Gateway reads them)."""
    paths = tree.get("paths") if isinstance(tree, dict) else None
    if not isinstance(paths, dict):
        return 0
    return sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for operation in item.values()
        if isinstance(operation, dict) and isinstance(operation.get(INTEGRATION), dict)
    )


@requires_corpus
def test_every_corpus_document_loads_with_its_integrations() -> None:
    problems = []
    rows = corpus_manifest()
    assert rows
    for row in rows:
        integrations = 0
        for options in CHOICES.get(row["file"], [ReadOptions()]):
            doc = load_document(CORPUS / row["file"], options=options)
            internal = [d.render() for d in doc.diagnostics if d.code == "E199"]
            unlocated = [d.render() for d in doc.diagnostics if d.location is None]
            if doc.tree is None or internal or unlocated:
                problems.append((row["file"], [d.render() for d in doc.diagnostics]))
            integrations += count_integrations(doc.tree)
        if integrations != int(row["integrations"]):
            problems.append((row["file"], [f"{integrations} integrations read"]))
    assert problems == []


@requires_corpus
def test_corpus_http_api_documents_are_recognised() -> None:
    name = "aws-samples__serverless-patterns__apigw-http-api-sqs-lambda-sls__api.json"
    doc = load_document(CORPUS / name, options=ReadOptions(validate_schema=False))
    assert doc.api_service == "apigatewayv2"
    assert "W136" in [d.code for d in doc.diagnostics]
