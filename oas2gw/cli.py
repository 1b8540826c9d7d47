"""The `oas2gw` command: Typer only. Each command parses, makes one library call, reports, exits."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from oas2gw.diagnostics import Diagnostic, ExitCode

if TYPE_CHECKING:
    from oas2gw.read import ReadOptions

app = typer.Typer(
    name="oas2gw",
    help="Convert between OpenAPI documents with Amazon API Gateway extensions and "
    "API Gateway REST APIs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


# -- shared options ---------------------------------------------------------------------------

ResourceOpt = typer.Option(
    None, "--resource", help="CloudFormation/SAM template: the logical id of the API to read."
)
VarOpt = typer.Option(
    [],
    "--var",
    help="NAME=VALUE for Ref, Fn::Sub and ${NAME} placeholders (AWS::Region, AWS::AccountId, "
    "template parameters). Repeatable.",
)
ConditionOpt = typer.Option(
    [], "--condition", help="NAME=true|false for Fn::If in templates. Repeatable."
)
MaxBytesOpt = typer.Option(
    64 * 1024 * 1024, "--max-bytes", help="Refuse documents larger than this."
)
MaxDepthOpt = typer.Option(256, "--max-depth", help="Refuse documents nested deeper than this.")
MaxAliasesOpt = typer.Option(
    10_000, "--max-aliases", help="Refuse YAML documents that expand more aliases than this."
)


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """One clear line on standard error, then the documented exit code."""
    typer.echo(f"oas2gw: {message}", err=True)
    raise typer.Exit(int(code))


def parse_pairs(values: Sequence[str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"{what} must be NAME=VALUE, got {item!r}")
        out[name] = value
    return out


def read_options(
    resource: str | None,
    var: Sequence[str],
    condition: Sequence[str],
    max_bytes: int,
    max_depth: int,
    max_aliases: int,
) -> ReadOptions:
    from oas2gw.read import ReadOptions

    conditions: dict[str, bool] = {}
    for name, value in parse_pairs(condition, "--condition").items():
        low = value.lower()
        if low not in ("true", "false"):
            fail(f"--condition {name} must be true or false, got {value!r}")
        conditions[name] = low == "true"
    return ReadOptions(
        max_bytes=max_bytes,
        max_depth=max_depth,
        max_aliases=max_aliases,
        resource=resource,
        variables=parse_pairs(var, "--var"),
        conditions=conditions,
    )


def report(diags: Sequence[Diagnostic], fmt: OutputFormat, stream: Any = None) -> None:
    """Diagnostics as `file:line:col: severity CODE message [pointer]`, or as JSON."""
    out = stream or sys.stderr
    if fmt is OutputFormat.json:
        out.write(json.dumps([d.to_json() for d in diags], indent=2, ensure_ascii=False) + "\n")
        return
    for d in diags:
        out.write(d.render() + "\n")


def check_readable(paths: Sequence[Path]) -> None:
    for p in paths:
        if str(p) == "-":
            continue
        if not p.exists():
            fail(f"{p}: no such file")
        if p.is_dir():
            fail(f"{p}: is a directory")
        if not os.access(p, os.R_OK):
            fail(f"{p}: not readable")


# -- validate ---------------------------------------------------------------------------------


@app.command()
def validate(
    specs: list[Path] = typer.Argument(..., metavar="SPEC...", help="Documents to check."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json"),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too."),
    resource: str | None = ResourceOpt,
    var: list[str] = VarOpt,
    condition: list[str] = ConditionOpt,
    max_bytes: int = MaxBytesOpt,
    max_depth: int = MaxDepthOpt,
    max_aliases: int = MaxAliasesOpt,
) -> None:
    """Check documents against OpenAPI and API Gateway's rules.

    Exit 0 clean; 1 findings, including documents that cannot be parsed (warnings count only
    with --strict); 2 usage errors and files that cannot be opened.
    """
    from oas2gw import api

    check_readable(specs)
    options = read_options(resource, var, condition, max_bytes, max_depth, max_aliases)
    failed = False
    all_diags: list[Diagnostic] = []
    for spec in specs:
        result = api.load(spec, options=options)
        all_diags.extend(result.diagnostics)
        failed = failed or result.failed(strict=strict)
    report(all_diags, format, sys.stdout if format is OutputFormat.json else sys.stderr)
    raise typer.Exit(int(ExitCode.FINDINGS if failed else ExitCode.OK))


# -- import -----------------------------------------------------------------------------------


# -- export -----------------------------------------------------------------------------------


class OasOpt(str, Enum):
    v3 = "3.0"
    v2 = "2.0"


class TextFormatOpt(str, Enum):
    yaml = "yaml"
    json = "json"


@app.command()
def export(
    rest_api_id: str | None = typer.Option(
        None, "--rest-api-id", help="Read this live REST API (region, profile and endpoint from "
        "the usual AWS environment)."
    ),
    from_dump: list[Path] = typer.Option(
        [], "--from-dump", metavar="FILE", help="Saved `aws apigateway get-resources --embed "
        "methods` JSON (pages may be concatenated), with `get-rest-api`, `get-authorizers`, "
        "`get-request-validators`, `get-models`, `get-gateway-responses` output beside it, or "
        "`get-export` output. Repeatable; no AWS access."
    ),
    oas: OasOpt = typer.Option(OasOpt.v3, "--oas", help="OpenAPI 3.0 or Swagger 2.0."),
    format: TextFormatOpt = typer.Option(TextFormatOpt.yaml, "--format", help="yaml or json"),
    keep_defaults: bool = typer.Option(
        False, "--keep-defaults", help="Keep values API Gateway fills in (timeout 29000, ...)."
    ),
    into: Path | None = typer.Option(
        None, "--into", metavar="SPEC", help="Merge into this document, keeping its comments, "
        "order and everything API Gateway does not hold; written back in place unless -o."
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here, not stdout."),
) -> None:
    """Export a REST API's integrations as OpenAPI, from a live API or saved JSON.

    Exit 0 done (warnings on stderr); 2 usage errors, unreadable input, AWS access failed.
    """
    from oas2gw.export.command import export_api
    from oas2gw.output import write_atomic

    if (rest_api_id is None) == (not from_dump):
        fail("give exactly one of --rest-api-id ID and --from-dump FILE...")
    check_readable([*from_dump, *([into] if into is not None else [])])
    result = export_api(
        rest_api_id=rest_api_id,
        dumps=from_dump,
        oas=oas.value,
        fmt=format.value,
        keep_defaults=keep_defaults,
        into=into,
    )
    report(result.diagnostics, OutputFormat.text)
    if result.failed or result.text is None:
        raise typer.Exit(int(ExitCode.USAGE))
    target = output if output is not None else into
    if target is None:
        sys.stdout.write(result.text)
    elif target != into or result.changed:
        write_atomic(target, result.text)
    raise typer.Exit(int(ExitCode.OK))


# -- diff -------------------------------------------------------------------------------------


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_color(mode: ColorMode, stream: Any) -> bool:
    """Colour only on a terminal (and never under NO_COLOR or TERM=dumb), unless asked."""
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@app.command()
def diff(
    left: str = typer.Argument(
        ...,
        metavar="LEFT",
        help="A document, saved `get-resources --embed methods` JSON, or apigateway:REST_API_ID.",
    ),
    right: str = typer.Argument(..., metavar="RIGHT", help="The same kinds as LEFT."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json"),
    ignore: list[str] = typer.Option(
        [],
        "--ignore",
        metavar="FIELD",
        help="A field path as the output prints it (integration.uri, "
        "integration.responses[*].responseTemplates, authorizers, models[Pet]); changes at or "
        "under it are left out. Repeatable.",
    ),
    color: ColorMode = typer.Option(
        ColorMode.auto, "--color", help="auto (only on a terminal), always or never."
    ),
    resource: str | None = ResourceOpt,
    var: list[str] = VarOpt,
    condition: list[str] = ConditionOpt,
    max_bytes: int = MaxBytesOpt,
    max_depth: int = MaxDepthOpt,
    max_aliases: int = MaxAliasesOpt,
) -> None:
    """Compare two sides of an API after export's normalisation, method by method.

    Each side is a document, saved API Gateway JSON, or apigateway:REST_API_ID (read with the
    usual AWS environment). Exit 0 same, 1 different, 2 a side could not be read.
    """
    from oas2gw import api

    options = read_options(resource, var, condition, max_bytes, max_depth, max_aliases)
    result = api.diff(left, right, ignore=ignore, options=options)
    report(result.diagnostics, OutputFormat.text)
    if result.failed:
        if not any(d.is_error for d in result.diagnostics):
            fail("a side could not be read")
        raise typer.Exit(int(ExitCode.USAGE))
    sys.stdout.write(result.render(format.value, color=use_color(color, sys.stdout)))
    raise typer.Exit(int(ExitCode.OK if result.same else ExitCode.FINDINGS))


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: never a traceback; an unexpected error is one line and exit 2."""
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("oas2gw: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, keep the traceback for debugging
        if os.environ.get("OAS2GW_DEBUG"):
            raise
        typer.echo(
            f"oas2gw: internal error: {type(exc).__name__}: {exc} "
            "(set OAS2GW_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(int(ExitCode.USAGE))
