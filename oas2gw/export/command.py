"""`oas2gw export` as one library call: pick the source, read it, write OpenAPI or merge."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oas2gw.collector import paused, paused_chunks
from oas2gw.diagnostics import Diagnostic, error, has_errors
from oas2gw.emit.openapi import OasVersion, TextFormat, emit_openapi, emit_openapi_chunks
from oas2gw.export import codes as C
from oas2gw.model.types import ApiModel

if TYPE_CHECKING:
    from oas2gw.read import ReadOptions


@dataclass(frozen=True)
class ExportResult:
    """The exported text (None when the source could not be read, or when it comes as
    `chunks`) and every finding."""

    text: str | None
    model: ApiModel | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: with `into`: whether the document changes
    changed: bool = True
    #: `export_api(chunked=True)`: the text in pieces, rendered as they are taken
    chunks: Iterator[str] | None = None

    @property
    def failed(self) -> bool:
        return (self.text is None and self.chunks is None) or has_errors(self.diagnostics)


def read_source(
    *,
    rest_api_id: str | None = None,
    dumps: Sequence[str | os.PathLike[str]] = (),
    client: Any = None,
    keep_defaults: bool = False,
) -> tuple[ApiModel | None, list[Diagnostic], frozenset[str]]:
    """The model of a live API (`rest_api_id`, through `client` or one made from the
    environment) or of saved outputs (`dumps`), and the parts the source did not give."""
    from oas2gw.export.dump import PARTS

    if rest_api_id is not None:
        from oas2gw.export.live import make_client, read_live_parts

        try:
            client = client if client is not None else make_client()
        except Exception as exc:  # botocore's NoRegionError and friends
            return None, [error(C.E401, f"cannot make an AWS client: {exc}")], frozenset(PARTS)
        return read_live_parts(client, rest_api_id, keep_defaults=keep_defaults)
    from oas2gw.export.dump import read_dump_parts

    try:
        return read_dump_parts(dumps, keep_defaults=keep_defaults)
    except OSError as exc:
        diag = error(C.E402, f"cannot read {exc.filename}: {exc.strerror}")
        return None, [diag], frozenset(PARTS)


def export_api(
    *,
    rest_api_id: str | None = None,
    dumps: Sequence[str | os.PathLike[str]] = (),
    client: Any = None,
    oas: OasVersion = "3.0",
    fmt: TextFormat = "yaml",
    keep_defaults: bool = False,
    into: str | os.PathLike[str] | None = None,
    options: ReadOptions | None = None,
    chunked: bool = False,
) -> ExportResult:
    """Export a REST API as OpenAPI text, or merged into the document `into` (read with
    `options`: its limits, template resource, variables and conditions). `chunked=True` gives
    new text as `chunks` instead of `text`, for a caller that writes it as it comes and so
    never holds all of it (a merge still comes as `text`)."""
    with paused():
        result = _export(
            rest_api_id, dumps, client, oas, fmt, keep_defaults, into, options, chunked
        )
    if result.chunks is None:
        return result
    return replace(result, chunks=paused_chunks(result.chunks))


def _export(
    rest_api_id: str | None,
    dumps: Sequence[str | os.PathLike[str]],
    client: Any,
    oas: OasVersion,
    fmt: TextFormat,
    keep_defaults: bool,
    into: str | os.PathLike[str] | None,
    options: ReadOptions | None = None,
    chunked: bool = False,
) -> ExportResult:
    if (rest_api_id is None) == (not dumps):
        return ExportResult(
            None, None, [error(C.E402, "give either a REST API id or saved outputs, not both")]
        )
    model, diags, unknown = read_source(
        rest_api_id=rest_api_id, dumps=dumps, client=client, keep_defaults=keep_defaults
    )
    if model is None:
        return ExportResult(None, None, diags)
    if into is None:
        source = (
            f"apigateway:{rest_api_id}"
            if rest_api_id is not None
            else ", ".join(os.fspath(d) for d in dumps)
        )
        if chunked:
            chunks, emitted = emit_openapi_chunks(model, oas, fmt)
            found = diags + [replace(d, file=source) for d in emitted]
            return ExportResult(None, model, found, chunks=chunks)
        text, emitted = emit_openapi(model, oas, fmt)
        return ExportResult(text, model, diags + [replace(d, file=source) for d in emitted])
    from oas2gw.export.merge import merge_into

    try:
        original = Path(into).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return ExportResult(None, model, [*diags, error(C.E404, f"cannot read {into}: {exc}")])
    document_model, unreadable = _document_model(into, options)
    if unreadable:  # limits, syntax, unsafe $refs: the text is not handed to a YAML parser
        return ExportResult(None, model, [*diags, *unreadable])
    merged = merge_into(
        original,
        model,
        name=os.fspath(into),
        document_model=document_model,
        unknown=unknown,
    )
    return ExportResult(merged.text, model, diags + merged.diagnostics, merged.changed)


def _document_model(
    path: str | os.PathLike[str], options: ReadOptions | None = None
) -> tuple[ApiModel | None, list[Diagnostic]]:
    """The document's model as `oas2gw validate` reads it ($refs resolved), when the reader can,
    and the reader's findings (E1xx: syntax, encoding, size, depth, aliases, `$ref`; duplicate
    keys) that make merging into it unsafe: the merge's own parsers have none of the reader's
    limits and disagree on duplicate keys."""
    from oas2gw.loading import load

    result = load(path, options=options, rules=False)
    # E1xx: syntax, encoding, limits, `$ref`, duplicate keys (libyaml keeps the last value,
    # ruamel's round trip the first); E201: no OpenAPI version it knows; E251-E253: shapes the
    # model cannot hold (a list for `paths`, `responses` as a string): merging into what cannot
    # be read as OpenAPI would write API Gateway's parts into the wrong places
    unsafe = ("E1", "E201", "E251", "E252", "E253")
    unreadable = [d for d in result.diagnostics if d.is_error and d.code.startswith(unsafe)]
    if any(d.code == "E109" for d in unreadable):
        unreadable.append(
            error(C.E404, f"{os.fspath(path)} has duplicate keys: remove them before merging")
        )
    return result.model, unreadable
