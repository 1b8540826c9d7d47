"""`docs/diagnostics.md` is the code catalogue rendered: current, and complete for the source."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from oas2gw import codes

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "diagnostics.md"
CODE = re.compile(r"""["']([EW][1-5]\d\d)["']""")


def rendered() -> str:
    codes.load_all()
    return codes.render_markdown()


def test_regenerating_docs_diagnostics_changes_nothing() -> None:
    assert DOC.read_text(encoding="utf-8") == rendered(), (
        "docs/diagnostics.md is stale: run `python -m oas2gw.codes > docs/diagnostics.md`"
    )


def test_python_m_oas2gw_codes_prints_the_catalogue() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "oas2gw.codes"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == rendered()


def test_every_code_in_the_source_is_in_the_catalogue() -> None:
    """A code registered by a module that `codes.load_all()` does not import never reaches the
    docs; the failure names the modules to add there."""
    used: dict[str, set[str]] = {}
    for path in sorted((ROOT / "oas2gw").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, set()).add(module)
    documented = set(re.findall(r"^\| ([EW]\d{3}) \|", rendered(), re.MULTILINE))
    missing = {code: sorted(mods) for code, mods in sorted(used.items()) if code not in documented}
    assert not missing, (
        f"codes used but missing from docs/diagnostics.md: {missing}; "
        "list their modules in oas2gw.codes.load_all(), then regenerate the docs"
    )


def test_every_catalogued_code_has_title_cause_and_fix() -> None:
    codes.load_all()
    for code in codes.CODES.values():
        assert re.fullmatch(r"[EW][1-5]\d\d", code.code)
        assert code.title and code.cause and code.fix, code.code


def test_no_code_is_registered_by_two_modules() -> None:
    """Two stages claiming one code break every import of both; read the source, not imports."""
    owners: dict[str, list[str]] = {}
    for path in sorted((ROOT / "oas2gw").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for code in re.findall(r"""register\(\s*["']([EW]\d{3})["']""", text):
            owners.setdefault(code, []).append(str(path.relative_to(ROOT)))
    twice = {code: files for code, files in owners.items() if len(files) > 1}
    assert not twice, f"codes registered twice: {twice}"
