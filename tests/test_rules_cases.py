"""Broken documents, one family of rules each, with their located findings committed beside them.

`tests/rules_cases/NAME.yaml` goes through the whole path (reader, builder, rules); the rules'
findings (code, severity, line, column, pointer) must equal `NAME.expected.json`. A comment at the
end of each offending line names the code it should raise, so a reviewer reads the case and its
answer together. `OAS2GW_UPDATE_GOLDEN=1 pytest tests/test_rules_cases.py` rewrites the answers for
review in git. The clean side of every rule is the samples, which load without any finding.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

read = pytest.importorskip("oas2gw.read")
if not hasattr(read, "load_document"):
    pytest.skip("the reader is not there yet", allow_module_level=True)

from oas2gw.api import load  # noqa: E402  (after the skip: it needs the reader)

CASES = Path(__file__).resolve().parent / "rules_cases"
UPDATE = os.environ.get("OAS2GW_UPDATE_GOLDEN") == "1"
RULES = re.compile(r"[EW]3\d\d")
#: codes a document cannot reach: the builder resolves these names itself (models from other
#: sources, such as an export, can still carry them)
MODEL_ONLY = {"E326", "E328", "E329"}


def findings(case: Path) -> list[dict[str, Any]]:
    out = []
    for d in load(case).diagnostics:
        if RULES.fullmatch(d.code):
            loc = d.location
            out.append(
                {
                    "code": d.code,
                    "severity": d.severity.value,
                    "line": loc.line if loc else None,
                    "column": loc.column if loc else None,
                    "pointer": d.pointer,
                }
            )
    return out


def marked(case: Path) -> list[tuple[int, str]]:
    """(line, code) of every `# E3xx` / `# W3xx` comment in the case."""
    out = []
    for number, line in enumerate(case.read_text(encoding="utf-8").splitlines(), start=1):
        comment = line.partition("#")[2] if not line.lstrip().startswith("#") else ""
        out.extend((number, code) for code in RULES.findall(comment))
    return out


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_case_gives_its_committed_findings(case: Path) -> None:
    got = findings(case)
    expected_file = case.with_suffix(".expected.json")
    if UPDATE:
        expected_file.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))
    # the comments and the findings agree: each marked code on its line, nothing unmarked
    assert sorted({(f["line"], f["code"]) for f in got}) == sorted(set(marked(case)))


def test_cases_cover_every_rule_a_document_can_reach() -> None:
    from oas2gw.model import codes

    registered = {c for c in vars(codes).values() if isinstance(c, str) and RULES.fullmatch(c)}
    covered = {code for case in CASES.glob("*.yaml") for _, code in marked(case)}
    assert registered - MODEL_ONLY - covered == set()
