"""docs/python-api.md stays true: its Python examples run, in order, against the emulator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

DOC = ROOT / "docs" / "python-api.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def test_the_page_has_examples_for_every_part_of_the_library() -> None:
    code = "\n".join(python_blocks(DOC.read_text(encoding="utf-8")))
    for call in ("oas2gw.load", "oas2gw.validate", "build_plan", "render_boto3", "oas2gw.apply"):
        assert call in code
    for call in ("dry_run=True", "api.export", "api.diff"):
        assert call in code


def test_python_api_examples_run_against_the_emulator(
    aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "python_api_doc"}
    for number, block in enumerate(python_blocks(DOC.read_text(encoding="utf-8")), start=1):
        code = compile(block, f"{DOC.name} example {number}", "exec")
        exec(code, namespace)
    printed = capsys.readouterr().out
    assert "methods:" in printed and "no REST API with id 'no-such-api'" in printed
    assert Path(DOC).is_file()
