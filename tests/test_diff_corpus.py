"""Real documents against their own export: diff finds nothing, in OpenAPI 3.0 and Swagger 2.0."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_files, requires_corpus, sample_files

from oas2gw import api
from oas2gw.diff import diff_models, render_changes
from oas2gw.emit.openapi import emit_openapi


def differences_with_own_export(path: Path) -> list[str]:
    loaded = api.load(path, rules=False)
    if loaded.model is None:  # a template whose API needs --resource: not a diff matter
        return []
    out = []
    for oas in ("3.0", "2.0"):
        text, _ = emit_openapi(loaded.model, oas, "json")  # type: ignore[arg-type]
        exported = api.load(f"{path.stem}.exported.json", text=text, rules=False)
        assert exported.model is not None, exported.diagnostics
        changes = diff_models(loaded.model, exported.model)
        if changes:
            out.append(f"{path.name} (OpenAPI {oas}):\n{render_changes(changes)}")
    return out


def test_samples_against_their_export_have_no_differences() -> None:
    problems = [p for path in sample_files() for p in differences_with_own_export(path)]
    assert problems == [], "\n".join(problems)


@requires_corpus
def test_corpus_documents_against_their_export_have_no_differences() -> None:
    problems = [p for path in corpus_files() for p in differences_with_own_export(path)]
    assert problems == [], "\n".join(problems)


@requires_corpus
def test_corpus_documents_against_themselves_are_the_same_through_api_diff() -> None:
    """Through the whole side pipeline: a JSON document must not be taken for saved output."""
    for path in corpus_files():
        result = api.diff(str(path), str(path))
        assert result.failed == (api.load(path, rules=False).model is None), path.name
        assert result.left.kind.value == "document", path.name
        assert result.changes == [], path.name
