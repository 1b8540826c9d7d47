"""`oas2gw import --apply` and `--to boto3` as a user runs them: exit codes, output, one-line
failures, and never a traceback or a credential."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

DOCUMENT = """\
openapi: 3.0.3
info: {title: Tiny, version: "1"}
paths:
  /ping:
    get:
      responses:
        "200": {description: pong}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default: {statusCode: "200"}
"""


def oas2gw(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, **env, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "oas2gw", *args],
        env=full,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def test_apply_creates_then_dry_run_finds_nothing_to_change(
    tiny: Path, aws_env: dict[str, str], rest_api_id: str, apigw: Any
) -> None:
    done = oas2gw(
        "import", str(tiny), "--apply", "--rest-api-id", rest_api_id, env=aws_env, cwd=tiny.parent
    )
    assert done.returncode == 0, done.stderr
    assert "methods: 1 created, 0 updated, 0 unchanged" in done.stdout
    assert "\r" not in done.stderr  # no progress bar when standard error is not a terminal
    methods = {
        m
        for r in apigw.get_resources(restApiId=rest_api_id, embed=["methods"])["items"]
        for m in r.get("resourceMethods", {})
    }
    assert methods == {"GET"}

    again = oas2gw(
        "import",
        str(tiny),
        "--apply",
        "--dry-run",
        "--rest-api-id",
        rest_api_id,
        env=aws_env,
        cwd=tiny.parent,
    )
    assert again.returncode == 0, again.stderr
    assert (
        "methods: 0 created, 0 updated, 1 unchanged (dry run: nothing was changed)" in again.stdout
    )


def test_apply_to_a_missing_api_is_one_line_and_exit_2(tiny: Path, aws_env: dict[str, str]) -> None:
    done = oas2gw(
        "import", str(tiny), "--apply", "--rest-api-id", "nope", env=aws_env, cwd=tiny.parent
    )
    assert done.returncode == 2
    assert "no REST API with id 'nope'" in done.stderr
    assert "Traceback" not in done.stderr and "testing" not in done.stderr + done.stdout


def test_apply_without_a_region_is_one_line_and_exit_2(tiny: Path, aws_env: dict[str, str]) -> None:
    env = {k: v for k, v in aws_env.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    full = {k: v for k, v in os.environ.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    done = subprocess.run(
        [sys.executable, "-m", "oas2gw", "import", str(tiny), "--apply", "--rest-api-id", "x"],
        env=dict(full, **env, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "no AWS region set" in done.stderr and "Traceback" not in done.stderr


def test_to_boto3_writes_the_script(tiny: Path, aws_env: dict[str, str]) -> None:
    out = tiny.parent / "import.py"
    done = oas2gw(
        "import", str(tiny), "--to", "boto3", "-o", str(out), env=aws_env, cwd=tiny.parent
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env python3") and "def build(run):" in text
    assert out.stat().st_mode & 0o111
    printed = oas2gw("import", str(tiny), "--to", "boto3", env=aws_env, cwd=tiny.parent)
    assert printed.stdout == text
