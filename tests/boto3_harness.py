"""Running generated boto3 scripts as a user would, and recording every call they make.

The script runs in a fresh Python process under a small runner that registers botocore's
`provide-client-params` hook on every session and writes each call as one JSON line, the same
record the shell tests keep for the aws CLI (`shell_harness`), so the two can be compared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shell_harness import Run

_RUNNER = """\
import json, os, runpy, sys
import botocore.session

_init = botocore.session.Session.__init__

def _record(params, model, **kwargs):
    entry = {"service": model.service_model.service_name, "operation": model.name,
             "params": params}
    with open(os.environ["OAS2GW_CALL_LOG"], "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, default=str) + "\\n")

def _init_and_record(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.register("provide-client-params", _record)

botocore.session.Session.__init__ = _init_and_record
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""


def install_runner(directory: Path) -> Path:
    """The runner script in `directory`; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    runner = directory / "record_calls.py"
    runner.write_text(_RUNNER, encoding="utf-8")
    return runner


def run_python(
    script: Path, env: Mapping[str, str], runner: Path, args: tuple[str, ...] = ()
) -> Run:
    """Run `script` with `python3` under the recording runner, in its own directory."""
    log = script.with_suffix(f".calls{len(list(script.parent.glob('*.calls*')))}.jsonl")
    full = dict(os.environ)
    full.update(env)
    full["OAS2GW_CALL_LOG"] = str(log)
    full.pop("PYTHONPATH", None)  # the script must not need oas2gw
    done = subprocess.run(
        [sys.executable, str(runner), str(script), *args],
        env=full,
        cwd=script.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    calls: list[dict[str, Any]] = []
    if log.exists():
        calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return Run(done.returncode, done.stdout, done.stderr, calls)


def symbolic(calls: list[dict[str, Any]], rest_api_id: str) -> list[tuple[str, str, str]]:
    """The calls with run-time ids replaced by names in order of first use, as JSON text, so
    that runs against two REST APIs compare equal when they made the same calls."""
    names: dict[str, str] = {rest_api_id: "<api>"}
    keys = {"resourceId", "parentId", "authorizerId", "requestValidatorId"}
    out = []
    for call in calls:
        params = dict(call["params"])
        for key in sorted(keys & set(params)):
            value = str(params[key])
            params[key] = names.setdefault(value, f"<id{len(names)}>")
        text = json.dumps(params, sort_keys=True, ensure_ascii=False)
        out.append((call["service"], call["operation"], text.replace(rest_api_id, "<api>")))
    return out
