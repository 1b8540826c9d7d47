"""The bash renderer without AWS: quoting, the aws CLI's own traps, determinism, golden scripts.

`OAS2GW_UPDATE_GOLDEN=1 pytest tests/test_shell.py` rewrites `tests/golden/`; git shows the
review.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import sample_files
from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.emit.shell import _Shell, json_text, quote, render_shell
from oas2gw.model import ApiModel, Integration, Method, RequestValidator, Resource
from oas2gw.plan import Plan, PlanOptions, Ref, Sub, build_plan

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("OAS2GW_UPDATE_GOLDEN") == "1"


def one_method(**integration: object) -> ApiModel:
    method = Method(
        http_method="POST",
        integration=Integration(type="HTTP", http_method="POST", **integration),  # type: ignore[arg-type]
    )
    return ApiModel(resources=(Resource(path="/a", methods=(method,)),))


def bash_syntax_ok(text: str) -> None:
    done = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")))
def test_quote_stands_for_exactly_its_text_in_bash(text: str) -> None:
    done = subprocess.run(
        ["bash", "-c", f"printf %s {quote(text)}"], capture_output=True, check=False
    )
    assert done.returncode == 0 and done.stdout.decode("utf-8") == text


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))
_HOSTILE = st.sampled_from(["@@oas2gw-value-0@@", '"', "'", "\\", "$(touch x)", "`id`", "\n"])
_PIECES = st.lists(st.one_of(_TEXT, _HOSTILE, st.just(Ref("rest_api"))), min_size=1, max_size=5)


@settings(max_examples=80, deadline=None)
@given(
    before=st.one_of(_TEXT, _HOSTILE),
    pieces=_PIECES,
    after=st.dictionaries(st.one_of(_TEXT, _HOSTILE), st.one_of(_TEXT, _HOSTILE), max_size=2),
)
def test_a_json_word_with_ids_spliced_in_stands_for_exactly_that_json_in_bash(
    before: str, pieces: list[str | Ref], after: dict[str, str]
) -> None:
    """`--patch-operations` whose value holds the REST API id: bash gives the aws CLI the JSON
    text of the value with the id in place, whatever the document wrote (the mark the
    renderer uses included), and runs nothing."""
    value = [{"note": before, "value": Sub(tuple(pieces)), **after}]
    renderer = _Shell(Plan(()), rest_api_id=None, cli_input_json=False, file_prefix="x")
    word = renderer._json_word(value)
    rest_api_id = "a1b2c3d4e5"
    resolved = [
        {
            "note": before,
            "value": "".join(rest_api_id if isinstance(p, Ref) else p for p in pieces),
            **after,
        }
    ]
    done = subprocess.run(
        ["bash", "-c", f"REST_API_ID={rest_api_id}; printf %s {word}"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.decode("utf-8") == json_text(resolved)


def test_values_the_aws_cli_would_load_from_a_file_or_url_travel_as_inline_json() -> None:
    model = one_method(
        uri="https://example.com/",  # the aws CLI exempts put-integration --uri
        credentials="file:///etc/passwd",
        cache_namespace="http://169.254.169.254/latest",
        request_templates={"application/json": "file:///etc/shadow"},
    )
    text = render_shell(build_plan(model)).text
    assert "--uri https://example.com/" in text
    inline = re.findall(r"--cli-input-json '(\{.*\})'", text)
    assert [json.loads(i) for i in inline] == [
        {"credentials": "file:///etc/passwd", "cacheNamespace": "http://169.254.169.254/latest"}
    ]
    assert '--request-templates \'{"application/json":"file:///etc/shadow"}\'' in text


def test_leading_dash_value_is_never_taken_for_an_option() -> None:
    model = one_method(uri="--debug", cache_namespace="-x y")
    text = render_shell(build_plan(model)).text
    assert "--uri=--debug" in text and "--cache-namespace='-x y'" in text


def test_nul_and_lone_surrogates_travel_escaped_in_json_and_the_script_is_utf8() -> None:
    model = one_method(uri="https://e.com/", cache_namespace="a\0b", credentials="c\ud800")
    text = render_shell(build_plan(model)).text
    text.encode("utf-8")
    assert '"cacheNamespace":"a\\u0000b"' in text and '"credentials":"c\\ud800"' in text
    bash_syntax_ok(text)


def test_document_text_cannot_leave_a_comment_or_a_label() -> None:
    evil = "x\nrm -rf ~\r'$(id)"
    model = ApiModel(
        name=evil,
        request_validators=(RequestValidator(name=evil),),
        resources=(
            Resource(path="/a", methods=(Method(http_method="GET", request_validator=evil),)),
        ),
    )
    text = render_shell(build_plan(model)).text
    escaped = "x\\nrm -rf ~\\r'$(id)"
    assert f"# Import of {escaped}\n" in text
    assert f"# --- request validator {escaped}\n" in text
    assert "STEP='request validator x\\nrm -rf ~\\r'\\''$(id) create-request-validator'\n" in text
    bash_syntax_ok(text)


def test_rest_api_id_is_baked_in_quoted_or_read_from_env_then_argument() -> None:
    plan = build_plan(ApiModel())
    assert "REST_API_ID=${REST_API_ID:-${1:-}}" in render_shell(plan).text
    baked = render_shell(plan, rest_api_id="a'b").text
    assert "REST_API_ID='a'\\''b'\n" in baked and "${1:-}" not in baked


def test_retries_default_to_adaptive_unless_the_caller_set_them() -> None:
    text = render_shell(build_plan(ApiModel())).text
    assert "export AWS_RETRY_MODE=${AWS_RETRY_MODE:-adaptive}" in text
    assert "export AWS_MAX_ATTEMPTS=${AWS_MAX_ATTEMPTS:-10}" in text
    assert "AWS_REGION=" not in text and "--region" not in text and "--profile" not in text


def test_script_needs_only_bash_and_the_aws_cli() -> None:
    model = one_method(uri="https://e.com/")
    text = render_shell(build_plan(model, PlanOptions(lambda_permissions=True))).text
    assert "jq" not in text and "python" not in text
    builtins = {"set", "export", "trap", "printf", "declare", "local", "for", "return", "exit"}
    builtins |= {"while", "done", "if", "fi", "else", "then", "[[", "failed", "first_id"}
    builtins |= {"already_done", "aws", "}", "progress"}
    for line in text.splitlines():
        words = line.strip().split()
        if not words or words[0].startswith(("#", "--", "'", '"')) or "=" in words[0]:
            continue
        assert words[0].rstrip("()") in builtins, line


def test_cli_input_json_side_files_have_sanitised_names_and_hold_the_literals() -> None:
    model = ApiModel(
        resources=(
            Resource(
                path="/../{x}/$(id)",
                methods=(Method(http_method="GET", integration=Integration(type="MOCK")),),
            ),
        )
    )
    plan = build_plan(model)
    script = render_shell(plan, cli_input_json=True, file_prefix="../my script")
    assert script == render_shell(plan, cli_input_json=True, file_prefix="../my script")
    assert script.files
    for name, content in script.files.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*\.json", name), name
        assert f'"file://$HERE/{name}"' in script.text
        json.loads(content)
    puts = [json.loads(c) for n, c in script.files.items() if "put-integration" in n]
    assert puts == [{"httpMethod": "GET", "type": "MOCK"}]
    bash_syntax_ok(script.text)


# --- golden scripts ---------------------------------------------------------------------------


def sample_plan_or_skip(sample: Path) -> ApiModel:
    from oas2gw import api

    try:
        result = api.load(sample)
    except Exception as exc:  # the reader stage is still being built
        pytest.skip(f"samples cannot be loaded yet: {type(exc).__name__}: {exc}")
    if result.model is None or not result.ok:
        pytest.skip(f"{sample.name} has errors")
    return result.model


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_golden_script_for_sample(sample: Path) -> None:
    model = sample_plan_or_skip(sample)
    text = render_shell(build_plan(model, PlanOptions(force=True))).text
    assert text.endswith("\n") and text.startswith("#!/usr/bin/env bash\n")
    assert text == render_shell(build_plan(model, PlanOptions(force=True))).text
    bash_syntax_ok(text)
    if shutil.which("shellcheck"):
        done = subprocess.run(
            ["shellcheck", "-s", "bash", "-"], input=text, text=True, capture_output=True
        )
        assert done.returncode == 0, done.stdout
    golden = GOLDEN / f"{sample.stem}.sh"
    if UPDATE or not golden.exists():
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden} is stale: rerun with OAS2GW_UPDATE_GOLDEN=1 and review the diff"
    )
