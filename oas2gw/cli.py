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
    None,
    "--resource",
    metavar="NAME",
    help="CloudFormation/SAM template: the logical id of the API to read.",
)
VarOpt = typer.Option(
    [],
    "--var",
    metavar="NAME=VALUE",
    help="NAME=VALUE for Ref, Fn::Sub and ${NAME} placeholders (AWS::Region, AWS::AccountId, "
    "template parameters). Repeatable.",
)
ConditionOpt = typer.Option(
    [],
    "--condition",
    metavar="NAME=BOOL",
    help="NAME=true|false for Fn::If in templates. Repeatable.",
)
MaxBytesOpt = typer.Option(
    64 * 1024 * 1024, "--max-bytes", metavar="BYTES", help="Refuse documents larger than this."
)
MaxDepthOpt = typer.Option(
    256, "--max-depth", metavar="LEVELS", help="Refuse documents nested deeper than this."
)
MaxAliasesOpt = typer.Option(
    10_000,
    "--max-aliases",
    metavar="COUNT",
    help="Refuse YAML documents that expand more aliases than this.",
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


class ImportTarget(str, Enum):
    cli = "cli"
    plan = "plan"
    boto3 = "boto3"


@app.command("import")
def import_(
    spec: Path = typer.Argument(..., metavar="SPEC", help="The document to import."),
    to: ImportTarget = typer.Option(
        ImportTarget.cli, "--to", help="cli: bash with the aws CLI; plan: JSON; boto3: Python."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write here (atomically) instead of standard output."
    ),
    rest_api_id: str | None = typer.Option(
        None,
        "--rest-api-id",
        help="Bake this REST API id into the script (else $REST_API_ID, else its first "
        "argument); required with --apply.",
    ),
    cli_input_json: bool = typer.Option(
        False,
        "--cli-input-json",
        help="Each aws call reads its parameters from a JSON file written beside -o FILE.",
    ),
    deploy: str | None = typer.Option(
        None, "--deploy", metavar="STAGE", help="End with create-deployment to STAGE."
    ),
    lambda_permissions: bool = typer.Option(
        False,
        "--lambda-permissions",
        help="Grant API Gateway lambda:InvokeFunction for Lambda integrations without credentials.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Go on despite errors, leaving out what has them (with warnings)."
    ),
    check: bool = typer.Option(
        False,
        "--check",
        help="Write nothing: exit 1 if -o FILE is not what the document generates now.",
    ),
    apply: bool = typer.Option(
        False, "--apply", help="Make the calls now with boto3 (only what differs is touched)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="With --apply: say what would change, change nothing."
    ),
    format: OutputFormat = typer.Option(
        OutputFormat.text, "--format", help="Diagnostics as text or json."
    ),
    resource: str | None = ResourceOpt,
    var: list[str] = VarOpt,
    condition: list[str] = ConditionOpt,
    max_bytes: int = MaxBytesOpt,
    max_depth: int = MaxDepthOpt,
    max_aliases: int = MaxAliasesOpt,
) -> None:
    """Turn a document into the API Gateway calls that build it.

    Exit 0 done; 1 the document has errors (unless --force), or --check found FILE stale;
    2 usage, unreadable files, or AWS access failed (--apply).
    """
    from oas2gw import api
    from oas2gw.plan import PlanOptions

    check_readable([spec])
    if check and output is None:
        fail("--check needs -o FILE: the generated file to compare")
    if cli_input_json and output is None and not check:
        fail("--cli-input-json needs -o FILE: the JSON files are written beside it")
    if dry_run and not apply:
        fail("--dry-run goes with --apply")
    if apply and (check or output is not None):
        fail("--apply makes the calls itself: it takes neither -o nor --check")
    options = read_options(resource, var, condition, max_bytes, max_depth, max_aliases)
    result = api.load(spec, options=options, keep_tree=False)
    report(result.diagnostics, format)
    model = result.model
    if model is None or (result.failed() and not force):
        fail(
            f"{spec}: not imported: fix the errors above, or use --force to leave them out",
            ExitCode.FINDINGS,
        )
    del result  # the document's tree and source map go before the script is made
    plan_options = PlanOptions(
        deploy_stage=deploy, lambda_permissions=lambda_permissions, force=force
    )
    if apply:
        _apply(model, rest_api_id, plan_options, dry_run, format)
    prefix = output.stem if output is not None else "oas2gw"
    rendered = api.render_import(
        model,
        to=to.value,
        options=plan_options,
        rest_api_id=rest_api_id,
        cli_input_json=cli_input_json,
        file_prefix=prefix,
        # to a file, written as it comes (never held whole; the file appears only when all of
        # it is written); to standard output, whole, so a pipe into bash never runs a part
        chunked=output is not None and not check,
    )
    del model  # the plan holds what the script needs: the model goes before it is written
    report(rendered.diagnostics, format)
    if not rendered.rendered:
        fail(f"{spec}: not imported: fix the errors above", ExitCode.FINDINGS)
    if check:
        assert output is not None and rendered.text is not None
        _check(rendered.text, rendered.files, output)
    content = rendered.text if rendered.text is not None else rendered.chunks
    assert content is not None
    if output is None:
        if isinstance(content, str):
            sys.stdout.write(content)
        else:
            sys.stdout.writelines(content)
        raise typer.Exit(int(ExitCode.OK))
    from oas2gw.output import write_atomic

    try:
        for name, side_file in sorted(rendered.files.items()):
            write_atomic(output.parent / name, side_file)
        write_atomic(output, content, mode=0o755 if to is not ImportTarget.plan else None)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    raise typer.Exit(int(ExitCode.OK))


def _check(text: str, files: dict[str, str], output: Path) -> NoReturn:
    """`--check`: compare the generated file (and its side files) with what is committed."""
    from oas2gw import api

    stale = []
    for name, content in sorted(files.items()):
        finding = api.check_generated(content, output.parent / name)
        if finding is not None:
            stale.append((finding, api.generated_diff(content, output.parent / name)))
    finding = api.check_generated(text, output)
    if finding is not None:
        stale.append((finding, api.generated_diff(text, output)))
    for diag, unified in stale:
        sys.stderr.write(diag.render() + "\n")
        if unified:
            sys.stderr.write(unified if unified.endswith("\n") else unified + "\n")
    if not stale:
        sys.stderr.write(f"{output}: up to date\n")
    raise typer.Exit(int(ExitCode.FINDINGS if stale else ExitCode.OK))


def _apply(
    model: Any, rest_api_id: str | None, options: Any, dry_run: bool, fmt: OutputFormat
) -> NoReturn:
    """`--apply`: make the calls with boto3 through the library, report, exit."""
    from oas2gw import api
    from oas2gw.applier import TerminalProgress

    api_id = rest_api_id or os.environ.get("REST_API_ID")
    if not api_id:
        fail("--apply needs --rest-api-id ID (or REST_API_ID in the environment)")
    progress = TerminalProgress(sys.stderr)
    try:
        outcome = api.apply(
            model, None, api_id, options=options, dry_run=dry_run, progress=progress
        )
    finally:
        progress.close()
    report(outcome.diagnostics, fmt)
    sys.stdout.write(outcome.render())
    if outcome.failure is not None:
        fail(outcome.failure.message)
    raise typer.Exit(int(ExitCode.OK if outcome.ok else ExitCode.FINDINGS))


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
        None,
        "--rest-api-id",
        help="Read this live REST API (region, profile and endpoint from "
        "the usual AWS environment).",
    ),
    from_dump: list[Path] = typer.Option(
        [],
        "--from-dump",
        metavar="FILE",
        help="Saved `aws apigateway get-resources --embed "
        "methods` JSON (pages may be concatenated), with `get-rest-api`, `get-authorizers`, "
        "`get-request-validators`, `get-models`, `get-gateway-responses` output beside it, or "
        "`get-export` output. Repeatable; no AWS access.",
    ),
    oas: OasOpt = typer.Option(OasOpt.v3, "--oas", help="OpenAPI 3.0 or Swagger 2.0."),
    format: TextFormatOpt = typer.Option(TextFormatOpt.yaml, "--format", help="yaml or json"),
    keep_defaults: bool = typer.Option(
        False, "--keep-defaults", help="Keep values API Gateway fills in (timeout 29000, ...)."
    ),
    into: Path | None = typer.Option(
        None,
        "--into",
        metavar="SPEC",
        help="Merge into this document, keeping its comments, "
        "order and everything API Gateway does not hold; written back in place unless -o.",
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here, not stdout."),
    resource: str | None = ResourceOpt,
    var: list[str] = VarOpt,
    condition: list[str] = ConditionOpt,
    max_bytes: int = MaxBytesOpt,
    max_depth: int = MaxDepthOpt,
    max_aliases: int = MaxAliasesOpt,
) -> None:
    """Export a REST API's integrations as OpenAPI, from a live API or saved JSON.

    Exit 0 done (warnings on stderr); 2 usage errors, unreadable input, AWS access failed.
    """
    from oas2gw import api
    from oas2gw.output import write_atomic

    if (rest_api_id is None) == (not from_dump):
        fail("give exactly one of --rest-api-id ID and --from-dump FILE...")
    check_readable([*from_dump, *([into] if into is not None else [])])
    options = read_options(resource, var, condition, max_bytes, max_depth, max_aliases)
    result = api.export(
        options=options,
        rest_api_id=rest_api_id,
        dumps=from_dump,
        oas=oas.value,
        fmt=format.value,
        keep_defaults=keep_defaults,
        into=into,
        # to a file, written as it is rendered; to standard output, whole
        chunked=output is not None,
    )
    report(result.diagnostics, OutputFormat.text)
    content = result.text if result.text is not None else result.chunks
    if result.failed or content is None:
        raise typer.Exit(int(ExitCode.USAGE))
    target = output if output is not None else into
    if target is None:
        sys.stdout.write(content if isinstance(content, str) else "".join(content))
    elif target != into or result.changed:
        try:
            write_atomic(target, content)
        except OSError as exc:
            fail(f"{target}: cannot write: {exc.strerror or exc}")
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
    """Entry point: never a traceback; an unexpected error is one line and exit 2.

    A command is one batch that builds large trees and keeps them to the end, so the cyclic
    garbage collector is paused for all of it (the caller's policy is restored), not only
    around each stage: re-enabling it between stages costs a pass over every object just built.
    """
    from oas2gw.collector import paused

    with paused():
        _main(argv)


def run() -> None:
    """The `oas2gw` program: `main`, then every object is frozen out of the collector's reach,
    so that the interpreter's last collection at exit does not walk a 10,000-operation model
    only to find nothing (0.7 s of 0.75 s of exit time, measured)."""
    import gc

    try:
        main()
    finally:
        gc.freeze()


def _main(argv: Sequence[str] | None) -> None:
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
