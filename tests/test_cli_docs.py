"""`docs/cli.md` is the `--help` of every command; this test keeps it current.

`OAS2GW_UPDATE_GOLDEN=1 pytest tests/test_cli_docs.py` rewrites it for review in git.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from typer.testing import CliRunner

from oas2gw.cli import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
UPDATE = os.environ.get("OAS2GW_UPDATE_GOLDEN") == "1"


def help_text(*args: str) -> str:
    result = CliRunner().invoke(
        app, [*args, "--help"], prog_name="oas2gw", env={"COLUMNS": "100", "TERM": "dumb"}
    )
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def render() -> str:
    command = typer.main.get_command(app)
    names = list(getattr(command, "commands", {}))  # in the order `oas2gw --help` lists them
    parts = [
        "# Command-line reference",
        "",
        "Generated from `oas2gw --help` and each command's `--help` (`OAS2GW_UPDATE_GOLDEN=1 "
        "pytest tests/test_cli_docs.py`); a test keeps it current.",
        "",
        "Exit codes, for every command: `0` fine, `1` findings, differences or a stale generated "
        "file, `2` usage errors, files that cannot be opened, and AWS access failures.",
        "",
        "## oas2gw",
        "",
        "```text",
        help_text().rstrip(),
        "```",
    ]
    for name in names:
        parts += ["", f"## oas2gw {name}", "", "```text", help_text(name).rstrip(), "```"]
    return "\n".join(parts) + "\n"


def test_cli_reference_matches_the_help_of_every_command() -> None:
    text = render()
    if UPDATE:
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/cli.md is stale: rerun with OAS2GW_UPDATE_GOLDEN=1 and review the diff"
    )
