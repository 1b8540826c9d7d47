"""The library's face: every command of the CLI is one call here.

Functions return values and diagnostics; they never print, exit or read global state (the AWS
client is passed in). Heavy modules are imported inside the functions that need them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from oas2gw.diagnostics import Diagnostic
from oas2gw.loading import LoadResult as LoadResult  # re-exported: the face of `load`
from oas2gw.loading import load as load

if TYPE_CHECKING:
    from oas2gw.model.types import ApiModel
    from oas2gw.plan import PlanOptions as _PlanOptions
    from oas2gw.read import ReadOptions
else:  # re-exported lazily through `oas2gw.__getattr__`
    ReadOptions = None


def __getattr__(name: str) -> Any:
    if name == "ReadOptions":
        from oas2gw.read import ReadOptions

        return ReadOptions
    if name == "PlanOptions":
        from oas2gw.plan import PlanOptions

        return PlanOptions
    raise AttributeError(name)


def validate(
    sources: Sequence[str | os.PathLike[str]],
    *,
    options: ReadOptions | None = None,
) -> list[Diagnostic]:
    """Every finding of every document, in order."""
    out: list[Diagnostic] = []
    for source in sources:
        out.extend(load(source, options=options).diagnostics)
    return out


def count_by_severity(diags: Iterable[Diagnostic]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0}
    for d in diags:
        counts[d.severity.value] += 1
    return counts


# -- import: plan and emitters ----------------------------------------------------------------


@dataclass(frozen=True)
class RenderedImport:
    """A generated script or plan: its text, the files it reads beside it, and findings.

    `text` is None when the plan could not be built (`diagnostics` say why), and also when
    `render_import(..., chunked=True)` gave the text as `chunks` instead.
    """

    text: str | None
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: `chunked=True`: the text in pieces, rendered as they are read (once)
    chunks: Iterator[str] | None = None

    @property
    def rendered(self) -> bool:
        """Whether there is a script or plan, as `text` or as `chunks`."""
        return self.text is not None or self.chunks is not None


def render_import(
    model: ApiModel,
    *,
    to: str = "cli",
    options: _PlanOptions | None = None,
    rest_api_id: str | None = None,
    cli_input_json: bool = False,
    file_prefix: str = "oas2gw",
    chunked: bool = False,
) -> RenderedImport:
    """The model as a bash script of `aws apigateway` calls (`cli`), a JSON plan (`plan`) or a
    standalone boto3 script (`boto3`), all rendered from one `Plan`.

    `chunked=True` asks for a script as `chunks` instead of `text`, for a caller that writes
    it as it comes and so never holds all of it (27 MB at 10,000 methods). The JSON plan, and
    a bash script with `cli_input_json` (whose files are written first), still come as `text`.
    """
    from oas2gw.collector import paused

    with paused():
        rendered = _render_import(
            model, to, options, rest_api_id, cli_input_json, file_prefix, chunked
        )
    if rendered.chunks is None:
        return rendered
    from oas2gw.collector import paused_chunks

    return replace(rendered, chunks=paused_chunks(rendered.chunks))


def _render_import(
    model: ApiModel,
    to: str,
    options: _PlanOptions | None,
    rest_api_id: str | None,
    cli_input_json: bool,
    file_prefix: str,
    chunked: bool = False,
) -> RenderedImport:
    from oas2gw.plan import PlanError, build_plan

    try:
        plan = build_plan(model, options)
    except PlanError as exc:
        return RenderedImport(None, diagnostics=list(exc.diagnostics))
    diags = list(plan.diagnostics)
    if to == "cli" and chunked and not cli_input_json:
        from oas2gw.emit.shell import shell_chunks

        return RenderedImport(None, {}, diags, shell_chunks(plan, rest_api_id=rest_api_id))
    if to == "boto3" and chunked:
        from oas2gw.emit.boto3 import boto3_chunks

        return RenderedImport(None, {}, diags, boto3_chunks(plan, rest_api_id=rest_api_id))
    if to == "cli":
        from oas2gw.emit.shell import render_shell

        script = render_shell(
            plan, rest_api_id=rest_api_id, cli_input_json=cli_input_json, file_prefix=file_prefix
        )
        return RenderedImport(script.text, dict(script.files), diags)
    if to == "plan":
        from oas2gw.emit.plan_json import render_plan_json

        return RenderedImport(render_plan_json(plan), {}, diags)
    if to == "boto3":
        from oas2gw.emit.boto3 import render_boto3

        return RenderedImport(render_boto3(plan, rest_api_id=rest_api_id), {}, diags)
    raise ValueError(f"unknown output {to!r}: cli, plan or boto3")


# -- apply ------------------------------------------------------------------------------------

if TYPE_CHECKING:
    from oas2gw.applier import ApplyReport, Progress
    from oas2gw.aws import Pacer


def apply(
    model: ApiModel,
    client: Any,
    rest_api_id: str,
    *,
    options: _PlanOptions | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
    clients: Mapping[str, Any] | None = None,
) -> ApplyReport:
    """Make `model` true on the REST API `rest_api_id`, touching only what differs.

    `client` is a boto3 `apigateway` client, or None for one made from the usual AWS
    environment with adaptive retries. AWS failures (credentials, region, a missing API,
    access, throttling, the network) come back as `report.failure`, one line, never raised;
    a document the plan cannot send comes back as error diagnostics.
    """
    from oas2gw.applier import ApplyReport
    from oas2gw.applier import apply as apply_model
    from oas2gw.aws import describe_failure, make_client

    if client is None:
        try:
            client = make_client()
        except Exception as exc:  # NoRegionError, ProfileNotFound, ...
            failure = describe_failure(exc)
            if failure is None:
                raise
            return ApplyReport(rest_api_id, dry_run, failure=failure)
    return apply_model(
        model,
        client,
        rest_api_id,
        options=options,
        dry_run=dry_run,
        progress=progress,
        pacer=pacer,
        clients=clients,
    )


# -- export -----------------------------------------------------------------------------------

if TYPE_CHECKING:
    from oas2gw.emit.openapi import OasVersion, TextFormat
    from oas2gw.export.command import ExportResult


def export(
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
    """A REST API as OpenAPI: from the live API `rest_api_id` (through `client`, or one made
    from the usual AWS environment) or from saved `get-resources` JSON (`dumps`); as new text,
    or merged into the document `into` keeping its comments and layout. `chunked=True` gives
    new text as `result.chunks`, rendered as it is taken (never held whole)."""
    from oas2gw.export.command import export_api

    return export_api(
        rest_api_id=rest_api_id,
        dumps=dumps,
        client=client,
        oas=oas,
        fmt=fmt,
        keep_defaults=keep_defaults,
        into=into,
        options=options,
        chunked=chunked,
    )


# -- diff -------------------------------------------------------------------------------------


if TYPE_CHECKING:
    from oas2gw.diff_sources import DiffResult


def diff(
    left: str,
    right: str,
    *,
    ignore: Iterable[str] = (),
    options: ReadOptions | None = None,
    client: Any = None,
) -> DiffResult:
    """Compare two sides, each a document, saved `get-resources` JSON or `apigateway:ID` (read
    with `client`, or one made from the usual AWS environment), after export's normalisation."""
    from oas2gw.diff_sources import diff_sides

    return diff_sides(left, right, ignore=ignore, options=options, client=client)


def check_generated(expected_text: str, path: str | os.PathLike[str]) -> Diagnostic | None:
    """None when `path` holds exactly `expected_text`; else E501 (stale) or E502 (missing)."""
    from oas2gw.diff import check_generated as check

    return check(expected_text, path)


def generated_diff(expected_text: str, path: str | os.PathLike[str]) -> str:
    """A short unified diff from the file at `path` to `expected_text`, for a CI log."""
    from oas2gw.diff import generated_diff as short_diff

    return short_diff(expected_text, path)
