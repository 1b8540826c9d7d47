"""A script in pieces (`chunked=True`, what `import` writes) is the script as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sample_files
from typer.testing import CliRunner

from oas2gw import api
from oas2gw.cli import app
from oas2gw.emit.boto3 import boto3_chunks, render_boto3
from oas2gw.emit.shell import render_shell, shell_chunks
from oas2gw.plan import Plan, Ref, Step


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_chunked_import_is_the_text_import(sample: Path) -> None:
    model = api.load(sample).model
    assert model is not None
    for to, rest_api_id in [(to, id) for to in ("cli", "boto3") for id in (None, "a1b2c3")]:
        whole = api.render_import(model, to=to, rest_api_id=rest_api_id)
        pieces = api.render_import(model, to=to, rest_api_id=rest_api_id, chunked=True)
        assert pieces.text is None and pieces.chunks is not None and pieces.rendered
        assert "".join(pieces.chunks) == whole.text
        assert pieces.diagnostics == whole.diagnostics


def test_a_long_script_comes_in_several_pieces_that_join_to_the_text() -> None:
    where = {"restApiId": Ref("rest_api")}
    steps = tuple(
        Step("call", "PutGatewayResponse", {"responseType": f"T{i}"}, where, f"response {i}")
        for i in range(3000)
    )
    plan = Plan(steps, title="long")
    pieces = list(shell_chunks(plan, rest_api_id="x"))
    assert len(pieces) > 2
    assert all(piece.endswith("\n") for piece in pieces)
    assert "".join(pieces) == render_shell(plan, rest_api_id="x").text
    pieces = list(boto3_chunks(plan))
    assert len(pieces) > 3
    assert all(piece.endswith("\n") for piece in pieces)
    assert "".join(pieces) == render_boto3(plan)


def test_outputs_other_than_the_plain_script_still_come_as_text() -> None:
    model = api.load(sample_files()[0]).model
    assert model is not None
    for to, cli_input_json in (("plan", False), ("cli", True)):
        rendered = api.render_import(model, to=to, cli_input_json=cli_input_json, chunked=True)
        assert rendered.chunks is None and rendered.text is not None


@pytest.mark.parametrize("to", ["cli", "boto3"])
def test_import_writes_the_script_it_would_print(tmp_path: Path, to: str) -> None:
    sample = sample_files()[0]
    out = tmp_path / "import.out"
    written = CliRunner().invoke(app, ["import", str(sample), "--to", to, "-o", str(out)])
    printed = CliRunner().invoke(app, ["import", str(sample), "--to", to])
    assert written.exit_code == 0 and printed.exit_code == 0
    model = api.load(sample).model
    assert model is not None
    assert out.read_text() == printed.stdout == api.render_import(model, to=to).text
