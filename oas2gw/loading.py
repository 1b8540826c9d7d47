"""Reading a document into the model: the reader, the builder and the rules, with every finding
located in its file.

This sits below the library's face (`oas2gw.api` re-exports `load` and `LoadResult`) so that the
export and diff sources can read a document without reaching up to it. Heavy modules are
imported inside the functions that need them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from oas2gw.diagnostics import Diagnostic, Severity, has_errors

if TYPE_CHECKING:
    from oas2gw.model.types import ApiModel
    from oas2gw.read import Document, ReadOptions


@dataclass(frozen=True)
class LoadResult:
    """A document read into the model, with every finding located in its file."""

    model: ApiModel | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None

    @property
    def ok(self) -> bool:
        return self.model is not None and not has_errors(self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        return self.model is None or has_errors(self.diagnostics, strict=strict)


def load(
    source: str | os.PathLike[str],
    *,
    text: str | bytes | None = None,
    options: ReadOptions | None = None,
    rules: bool = True,
    keep_tree: bool = True,
) -> LoadResult:
    """Read a document (path, or `text` named by `source`) into an `ApiModel`.

    Diagnostics come from reading, OpenAPI structure, the model builder and API Gateway's rules,
    each located at file:line:column. `model` is None only when nothing could be read.
    Without `keep_tree`, the document's tree is let go while the model is built (a smaller
    peak) and `document.tree` is None.
    """
    from oas2gw.collector import paused

    with paused():
        return _load(source, text, options, rules, keep_tree)


def _load(
    source: str | os.PathLike[str],
    text: str | bytes | None,
    options: ReadOptions | None,
    rules: bool,
    keep_tree: bool = True,
) -> LoadResult:
    from oas2gw.model.build import build_model
    from oas2gw.model.build_codes import E260
    from oas2gw.read import load_document

    doc = load_document(source, text=text, options=options)
    diags = list(doc.diagnostics)
    model = None
    if doc.tree is not None:
        model, built = build_model(doc.tree, consume=not keep_tree)
        if not keep_tree:
            doc = replace(doc, tree=None)
        diags.extend(built)
        if doc.api_service == "apigatewayv2":
            diags.append(
                Diagnostic(
                    E260,
                    Severity.ERROR,
                    "this document is for an HTTP API (apigatewayv2); oas2gw builds REST APIs "
                    "(apigateway), so it makes no script for it",
                    "",
                )
            )
        if rules:
            diags.extend(_check_rules(model))
    located = [_locate(d, doc) for d in diags]
    located.sort(key=lambda d: (d.location.line, d.location.column) if d.location else (0, 0))
    return LoadResult(model, located, doc)


def _check_rules(model: ApiModel) -> list[Diagnostic]:
    try:
        from oas2gw.model.rules import check_model
    except ModuleNotFoundError as exc:  # the rules are optional while being built
        if exc.name != "oas2gw.model.rules":
            raise
        return []
    return check_model(model)


def _locate(diag: Diagnostic, doc: Document) -> Diagnostic:
    located = diag.located(doc.locator)
    if located.location is None and located.file is None:
        located = replace(located, file=doc.name)
    return located
