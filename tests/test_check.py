"""`oas2gw import SPEC -o FILE --check`: a committed generated file is current, or CI fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from oas2gw.cli import app

PETSTORE = SAMPLES / "petstore.yaml"


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["import", *args])


def generate(tmp_path: Path, *extra: str, name: str = "import.sh") -> Path:
    target = tmp_path / name
    result = run(str(PETSTORE), "-o", str(target), *extra)
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("to", ["cli", "plan", "boto3"])
def test_fresh_file_is_exit_0_with_one_line(tmp_path: Path, to: str) -> None:
    target = generate(tmp_path, "--to", to, name=f"out.{to}")
    result = run(str(PETSTORE), "--to", to, "-o", str(target), "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"{target}: up to date"


def test_stale_file_is_exit_1_located_with_a_short_diff(tmp_path: Path) -> None:
    target = generate(tmp_path)
    document = tmp_path / "api.yaml"
    document.write_text(
        PETSTORE.read_text(encoding="utf-8").replace(
            "timeoutInMillis: 10000", "timeoutInMillis: 5000"
        ),
        encoding="utf-8",
    )
    before = target.read_bytes()
    result = run(str(document), "-o", str(target), "--check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    stale = next(line for line in lines if " E501 " in line)
    assert stale.startswith(f"{target}:")
    line_no = int(stale.split(":")[1])
    assert "10000" in before.decode().splitlines()[line_no - 1]
    assert f"--- {target} (on disk)" in lines
    assert any(line.startswith("-") and "10000" in line for line in lines)
    assert any(line.startswith("+") and "5000" in line for line in lines)
    assert len(lines) < 60
    assert target.read_bytes() == before  # --check writes nothing


def test_hand_edited_file_is_stale(tmp_path: Path) -> None:
    target = generate(tmp_path)
    target.write_bytes(target.read_bytes() + b"# a local tweak\n")
    result = run(str(PETSTORE), "-o", str(target), "--check")
    assert result.exit_code == 1
    assert " E501 " in result.stderr


def test_missing_file_is_exit_1_E502(tmp_path: Path) -> None:
    target = tmp_path / "never-generated.sh"
    result = run(str(PETSTORE), "-o", str(target), "--check")
    assert result.exit_code == 1
    assert f"{target}: error E502 generated file missing" in result.stderr
    assert not target.exists()


def test_stale_side_file_of_cli_input_json_is_found(tmp_path: Path) -> None:
    target = generate(tmp_path, "--cli-input-json")
    side = sorted(p for p in tmp_path.iterdir() if p != target)
    assert side, "--cli-input-json writes JSON files beside the script"
    side[0].write_text("{}\n", encoding="utf-8")
    result = run(str(PETSTORE), "-o", str(target), "--cli-input-json", "--check")
    assert result.exit_code == 1
    assert f"{side[0]}:" in result.stderr and " E501 " in result.stderr


def test_check_without_output_is_a_usage_error() -> None:
    result = run(str(PETSTORE), "--check")
    assert result.exit_code == 2
    assert "--check needs -o FILE" in result.stderr
