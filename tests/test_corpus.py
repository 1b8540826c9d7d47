"""Every real document of the corpus loads, and the integrations read equal the manifest's count.

Templates with several APIs are read once per API (`--resource`); the one whose bodies hang on a
condition (two alternative documents) is read under each value of the condition, and the manifest
counts the integrations of both alternatives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, corpus_manifest, requires_corpus

from oas2gw import api
from oas2gw.read import ReadOptions
from oas2gw.read.cfn import API_RESOURCES, is_template
from oas2gw.read.source import parse

ROWS = corpus_manifest()

#: documents whose API body is chosen by a template condition: the condition's values to read
CONDITIONS: dict[str, list[dict[str, bool]]] = {
    "aws__serverless-application-model__tests__translator__input__"
    "definition_body_intrinsics_support.yaml": [
        {"FalseCondition": True},
        {"FalseCondition": False},
    ],
}


def api_resources(path: Path) -> list[str | None]:
    """The logical ids of a template's APIs with an inline body, or [None] for a plain document."""
    parsed = parse(path.name, path.read_bytes(), max_bytes=1 << 26, max_depth=256, max_aliases=1000)
    tree: Any = parsed.tree
    if not is_template(tree):
        return [None]
    names: list[str | None] = []
    for name, resource in tree["Resources"].items():
        kind = API_RESOURCES.get(str(resource.get("Type"))) if isinstance(resource, dict) else None
        props = resource.get("Properties") if isinstance(resource, dict) else None
        if kind and isinstance(props, dict) and kind[0] in props:
            names.append(str(name))
    return names


@requires_corpus
@pytest.mark.parametrize("row", ROWS, ids=[r["file"][:70] for r in ROWS])
def test_corpus_document_loads_with_the_manifests_integration_count(row: dict[str, str]) -> None:
    path = CORPUS / row["file"]
    total = 0
    for conditions in CONDITIONS.get(row["file"], [{}]):
        for resource in api_resources(path):
            result = api.load(path, options=ReadOptions(resource=resource, conditions=conditions))
            assert result.model is not None, [d.render() for d in result.diagnostics]
            assert all(d.code != "E199" for d in result.diagnostics)
            total += result.model.integration_count
    assert total == int(row["integrations"])


@requires_corpus
def test_http_api_documents_are_refused_with_E260() -> None:
    path = CORPUS / "aws-samples__serverless-patterns__apigw-http-api-sqs-lambda-sls__api.json"
    result = api.load(path)
    assert "E260" in {d.code for d in result.diagnostics}
    assert result.failed()
