"""The catalogue of diagnostic codes: one place that says what each code means and how to fix it.

`docs/diagnostics.md` is generated from this table (`python -m oas2gw.codes > docs/diagnostics.md`)
and a test keeps the two in step. Each stage adds its own codes here, in its own range.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    cause: str
    fix: str


CODES: dict[str, Code] = {}


def register(code: str, title: str, cause: str, fix: str) -> str:
    if code in CODES:
        raise ValueError(f"diagnostic code {code} registered twice")
    CODES[code] = Code(code, title, cause, fix)
    return code


def render_markdown() -> str:
    lines = [
        "# Diagnostic codes",
        "",
        "Every finding has a stable code. `E` codes are errors, `W` codes warnings "
        "(they fail `validate` only with `--strict`).",
        "",
        "| code | what | cause | fix |",
        "|---|---|---|---|",
    ]
    for code in sorted(CODES.values(), key=lambda c: (c.code[1:], c.code[0])):
        cells = [code.code, code.title, code.cause, code.fix]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def load_all() -> None:
    """Import every module that registers codes."""
    import importlib

    for name in (
        "oas2gw.read.codes",
        "oas2gw.model.codes",
        "oas2gw.export.codes",
        "oas2gw.diff_codes",
        "oas2gw.plan",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a stage that registers no codes yet
            if exc.name != name:
                raise


if __name__ == "__main__":
    # Run as a script this file is `__main__`, a second copy of the module: the stages register
    # into `oas2gw.codes`, so render that one.
    from oas2gw import codes as catalogue

    catalogue.load_all()
    print(catalogue.render_markdown(), end="")
