"""Every broken or hostile document through every command: a located diagnostic or one line,
the documented exit code, no traceback, and no output file touched when the command fails.

Each case in `tests/bad_inputs/` (plus a few generated here: deep nesting, a document over the
size limit, a `$ref` through a symbolic link) runs through the real entry point,
`oas2gw.cli.main`, for `validate`, `import --to cli|plan|boto3` and `export --into` (in place
and with `-o`). What each command answered (exit code, and code/line/column/pointer of every
diagnostic, and any one-line error) is committed beside the case as `NAME.expected.json`;
`OAS2GW_UPDATE_GOLDEN=1 pytest tests/test_bad_inputs.py` rewrites them for review in git.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from oas2gw.cli import main

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "bad_inputs"
DUMP = CASES_DIR / "source" / "get-resources.json"
UPDATE = os.environ.get("OAS2GW_UPDATE_GOLDEN") == "1"
SENTINEL = "an output file that a failed command must leave alone\n"

#: Deeper than the 256-level limit, and than what the reader composes on the main thread.
DEPTH = 5000
_HEADER = 'openapi: 3.0.3\ninfo: {title: generated, version: "1"}\npaths: {}\n'


def _deep_yaml(directory: Path, name: str) -> None:
    (directory / name).write_text(_HEADER + "x-deep: " + "[" * DEPTH + "]" * DEPTH + "\n")


def _deep_json(directory: Path, name: str) -> None:
    body = '{"openapi": "3.0.3", "paths": {}, "x-deep": ' + "[" * DEPTH + "]" * DEPTH + "}"
    (directory / name).write_text(body)


def _too_large(directory: Path, name: str) -> None:
    """Over the limit given with `--max-bytes` below (writing 64 MiB would only cost time)."""
    (directory / name).write_text(_HEADER + "x-padding: '" + "x" * 5000 + "'\n")


def _ref_symlink(directory: Path, name: str) -> None:
    """A `$ref` to a file inside the folder that is a link to a file outside it."""
    (directory / "passwd-link.yaml").symlink_to("/etc/passwd")
    (directory / name).write_text(
        _HEADER.replace("paths: {}\n", "")
        + "paths:\n  /pets:\n    get:\n      responses: {'200': {description: ok}}\n"
        + "      x-amazon-apigateway-integration:\n        $ref: passwd-link.yaml\n"
    )


#: Cases too big, or too odd for git, to commit: written into the test's folder.
GENERATED: dict[str, Callable[[Path, str], None]] = {
    "deep_nesting.yaml": _deep_yaml,
    "deep_nesting.json": _deep_json,
    "too_large.yaml": _too_large,
    "ref_symlink.yaml": _ref_symlink,
}
#: Options a case needs, for the commands that take them.
LIMIT_OPTIONS = {"too_large.yaml": ["--max-bytes", "1000"]}
#: Documents with duplicate keys: an error (E109) for every command.
DUPLICATES = {"duplicate_keys.yaml", "duplicate_keys.json", "status_code_twice.yaml"}

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{spec}"],
    "import-cli": ["import", "{spec}", "--to", "cli", "-o", "out.sh"],
    "import-plan": ["import", "{spec}", "--to", "plan", "-o", "out.json"],
    "import-boto3": ["import", "{spec}", "--to", "boto3", "-o", "out.py"],
    "export-into": ["export", "--from-dump", "dump.json", "--into", "{spec}", "-o", "out.yaml"],
    "export-into-in-place": ["export", "--from-dump", "dump.json", "--into", "{spec}"],
}
OUTPUTS = ("out.sh", "out.json", "out.py", "out.yaml")


def case_names() -> list[str]:
    committed = [
        p.name for p in CASES_DIR.iterdir() if p.is_file() and not p.name.endswith(".expected.json")
    ]
    return sorted([*committed, *GENERATED])


_LOCATED = re.compile(
    r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) "
    r"(?P<code>[EW]\d{3}) .* \[(?P<pointer>[^\]]*)\]$"
)
_UNLOCATED = re.compile(
    r"^(?P<file>[^:]*): (?P<severity>error|warning) (?P<code>[EW]\d{3}) .* \[(?P<pointer>[^\]]*)\]$"
)


def summarize(exit_code: int, stderr: str) -> dict[str, Any]:
    """What a command answered, as committed: diagnostics by code and place, other lines as
    they are (the one-line errors)."""
    diagnostics: list[list[Any]] = []
    lines: list[str] = []
    for line in stderr.splitlines():
        located = _LOCATED.match(line)
        if located:
            diagnostics.append(
                [
                    located["code"],
                    located["file"],
                    int(located["line"]),
                    int(located["column"]),
                    located["pointer"],
                ]
            )
            continue
        unlocated = _UNLOCATED.match(line)
        if unlocated:
            diagnostics.append([unlocated["code"], unlocated["file"], None, None, ""])
            continue
        if line.strip():
            lines.append(line)
    return {"exit": exit_code, "diagnostics": diagnostics, "lines": lines}


def run_main(args: list[str]) -> tuple[int, str, str]:
    """`oas2gw ARGS` in this process through the console script's own entry point."""
    runner = CliRunner()
    with runner.isolation() as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def prepare(name: str, directory: Path) -> Path:
    """The case (and the dump to export from) in `directory`, every output file pre-filled."""
    if name in GENERATED:
        GENERATED[name](directory, name)
    else:
        shutil.copyfile(CASES_DIR / name, directory / name)
    shutil.copyfile(DUMP, directory / "dump.json")
    for output in OUTPUTS:
        (directory / output).write_text(SENTINEL)
    return directory / name


def expected_path(name: str) -> Path:
    return CASES_DIR / f"{name}.expected.json"


@pytest.mark.parametrize("name", case_names())
def test_bad_input_gets_its_committed_answer_from_every_command(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    spec = prepare(name, tmp_path)
    original = spec.read_bytes()
    answers: dict[str, Any] = {}
    for command, template in COMMANDS.items():
        args = [a.format(spec=name) for a in template]
        if not command.startswith("export"):
            args += LIMIT_OPTIONS.get(name, [])
        code, out, err = run_main(args)
        where = f"{command} on {name}"
        assert "Traceback" not in out + err, where
        assert "internal error" not in err, f"{where}: {err}"
        answer = summarize(code, err)
        answers[command] = answer
        if code != 0:
            assert code in (1, 2), where
            assert answer["diagnostics"] or len(answer["lines"]) == 1, f"{where}: {err}"
            for output in OUTPUTS:
                assert (tmp_path / output).read_text() == SENTINEL, f"{where} wrote {output}"
            assert spec.read_bytes() == original, f"{where} changed the document"
            assert not list(tmp_path.glob(".*.tmp")), f"{where} left a temporary file"
        if "passwd" in name or name.startswith("ref_"):
            assert "root:" not in out + err, f"{where} showed the file a $ref named"
        if command == "export-into-in-place":
            spec.write_bytes(original)
        for output in OUTPUTS:
            (tmp_path / output).write_text(SENTINEL)

    for command in ("validate", "import-cli", "import-plan", "import-boto3"):
        assert answers[command]["exit"] == 1, (command, answers[command])
    golden = expected_path(name)
    if UPDATE or not golden.exists():
        golden.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n")
        if not UPDATE:
            pytest.fail(f"{golden.name} was missing and is now written: review and commit it")
    assert answers == json.loads(golden.read_text(encoding="utf-8"))


def test_duplicate_keys_fail_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in sorted(DUPLICATES):
        prepare(name, tmp_path)
        code, _, err = run_main(["validate", name])
        assert code == 1
        assert "E109" in err


def test_every_committed_case_has_its_expected_answers() -> None:
    """A golden file without its case (renamed or deleted) is stale."""
    names = set(case_names())
    for golden in CASES_DIR.glob("*.expected.json"):
        assert golden.name.removesuffix(".expected.json") in names, golden.name


# --- as real processes ---------------------------------------------------------------------


def run_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent), COLUMNS="200")
    env.pop("OAS2GW_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "oas2gw", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "name",
    ["alias_bomb.yaml", "binary.yaml", "deep_nesting.yaml", "ref_parent.yaml", "empty.yaml"],
)
def test_bad_input_as_a_process_exits_like_in_process(name: str, tmp_path: Path) -> None:
    """The console entry point as a user runs it: a deep document must not crash the
    interpreter (libyaml recurses in C), and the answers are those committed."""
    prepare(name, tmp_path)
    expected = json.loads(expected_path(name).read_text(encoding="utf-8"))
    for command in ("validate", "import-cli", "export-into"):
        args = [a.format(spec=name) for a in COMMANDS[command]]
        done = run_process(args, tmp_path)
        assert "Traceback" not in done.stdout + done.stderr
        assert summarize(done.returncode, done.stderr) == expected[command], command
        assert (tmp_path / "out.sh").read_text() == SENTINEL


# --- $ref never reaches the network ------------------------------------------------------------


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on loopback that records whatever connects to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024) or b"<connected>")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join()
        server.close()


def test_http_ref_is_refused_without_a_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listener: tuple[int, list[bytes]]
) -> None:
    port, seen = listener
    monkeypatch.chdir(tmp_path)
    text = (CASES_DIR / "ref_http.yaml").read_text()
    for url in (f"http://127.0.0.1:{port}/x.yaml", f"//127.0.0.1:{port}/x.yaml"):
        (tmp_path / "remote.yaml").write_text(
            text.replace("http://127.0.0.1:9/integration.yaml", url)
        )
        for command in ("validate", "import-cli", "export-into"):
            args = [a.format(spec="remote.yaml") for a in COMMANDS[command]]
            shutil.copyfile(DUMP, tmp_path / "dump.json")
            code, _, err = run_main(args)
            assert code in (1, 2), (command, err)
    assert seen == [], "a $ref made a network connection"


# --- outputs are replaced whole --------------------------------------------------------------

_VALID = """\
openapi: 3.0.3
info: {title: valid, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 404}'}
        responses: {default: {statusCode: "200"}}
"""


def test_outputs_are_renamed_into_place_not_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new inode at the output's path shows a temporary file renamed over it: a reader of
    the old file (or a crash half-way) never sees half a file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "valid.yaml").write_text(_VALID)
    shutil.copyfile(DUMP, tmp_path / "dump.json")
    runs = {
        "out.sh": ["import", "valid.yaml", "--to", "cli", "-o", "out.sh"],
        "out.json": ["import", "valid.yaml", "--to", "plan", "-o", "out.json"],
        "out.py": ["import", "valid.yaml", "--to", "boto3", "-o", "out.py"],
        "out.yaml": ["export", "--from-dump", "dump.json", "-o", "out.yaml"],
        "valid.yaml": ["export", "--from-dump", "dump.json", "--into", "valid.yaml"],
    }
    for output, args in runs.items():
        if output != "valid.yaml":
            (tmp_path / output).write_text(SENTINEL)
        before = (tmp_path / output).stat().st_ino
        code, _, err = run_main(args)
        assert code == 0, (args, err)
        assert (tmp_path / output).stat().st_ino != before, f"{output} was written in place"
        assert (tmp_path / output).read_text() not in (SENTINEL, _VALID)
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "valid.yaml").write_text(_VALID)
    shutil.copyfile(DUMP, tmp_path / "dump.json")
    for args in (
        ["import", "valid.yaml", "-o", "missing/out.sh"],
        ["export", "--from-dump", "dump.json", "-o", "missing/out.yaml"],
    ):
        code, _, err = run_main(args)
        assert code == 2, (args, err)
        assert err.strip().splitlines() == [
            f"oas2gw: {args[-1]}: cannot write: No such file or directory"
        ]
