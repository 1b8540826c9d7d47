"""Hostile strings through both generated scripts at once: bash (aws CLI) and Python (boto3).

A document is untrusted, and a script made from it is run with the user's credentials. Every
string field and every path segment here carries shell and Python metacharacters; both scripts
run against the emulator, the API is read back and must hold exactly those strings, and a canary
file that any executed fragment would create must never appear. Names the scripts make from the
document (bash variables, Python identifiers, Lambda statement ids, `--cli-input-json` file
names) must keep their safe shape whatever the document holds.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from boto3_harness import install_runner, run_python
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from shell_harness import install_wrapper, read_back_differences, run_script
from test_shell_e2e import FN, LAMBDA_URI, create_lambda_function, schemas_sent

from oas2gw.emit.boto3 import render_boto3
from oas2gw.emit.shell import render_shell
from oas2gw.model import (
    ApiModel,
    Authorizer,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
    Resource,
)
from oas2gw.plan import Plan, PlanOptions, Sub, build_plan

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
CANARY = "/tmp/oas2gw-hostile-canary"

#: Pieces that mean something to bash, to Python, to the aws CLI or to a format string.
FRAGMENTS = [
    "'",
    '"',
    "\\",
    "\\n",
    "\n",
    "\r",
    "\t",
    "$(touch {canary})",
    "`touch {canary}`",
    "${{x}}",
    "${{stageVariables.x}}",
    "$HOME",
    ";touch {canary};",
    "|touch {canary}",
    "&& touch {canary}",
    "$'\\x41'",
    "!!",
    "*",
    "~",
    "%s",
    "%(x)s",
    "{{}}",
    "{{0}}",
    "__import__('os').system('touch {canary}')",
    '"""',
    "'''",
    "\\N{{BULLET}}",
    "\\x00",
    "# ",
    "-",
    "--help",
    "--output=json",
    "file://{canary}",
    "é",
    "日本",
    "🙂",
    "\u2028",
    "\x1b[31m",
]
#: API Gateway (and moto) take only `[A-Za-z0-9._-]` and `{name}` in a path segment: the hostile
#: ones are those that look like options or parameters.
SEGMENT = (
    r"\A(?:-{1,2}[a-z0-9]{1,4}|[A-Za-z0-9_-]{1,3}\.[a-z]{0,3}|[A-Za-z0-9]{1,6}|\{[a-z]{1,4}\})\Z"
)


def hostile_text() -> st.SearchStrategy[str]:
    pieces = [f.format(canary=CANARY) for f in FRAGMENTS]
    return st.lists(
        st.one_of(st.sampled_from(pieces), st.text(alphabet="abcXYZ019", min_size=1, max_size=3)),
        min_size=1,
        max_size=5,
    ).map("".join)


def hostile_segment() -> st.SearchStrategy[str]:
    return st.from_regex(SEGMENT, fullmatch=True)


def make_model(s: Callable[[], str], segments: tuple[str, str]) -> ApiModel:
    """A model with a drawn string in every string field the plan sends; its shape (number of
    resources, methods and definitions) is fixed so a benign twin names the same things."""
    validator, authorizer = s(), s()
    # model names are letters and digits in API Gateway; their schemas are anything, and one
    # refers to the other (the REST API id is spliced into its text at run time)
    item = {"type": "object", "description": s(), "properties": {s(): {"enum": [s()]}}}
    items = {"type": "array", "description": s(), "items": {"$ref": "#/components/schemas/Item"}}
    return ApiModel(
        models={"Item": item, "ItemList": items},
        request_validators=(RequestValidator(name=validator, validate_request_body=True),),
        authorizers=(
            Authorizer(
                name=authorizer,
                type="TOKEN",
                authorizer_uri=LAMBDA_URI,
                identity_source="method.request.header.Authorization",
                identity_validation_expression=s(),
            ),
        ),
        gateway_responses=(
            GatewayResponse(
                response_type="DEFAULT_5XX",
                response_parameters={"gatewayresponse.header.X": s()},
                response_templates={"application/json": s()},
            ),
        ),
        resources=(
            Resource(
                path=f"/{segments[0]}/{segments[1]}",
                methods=(
                    Method(
                        http_method="POST",
                        authorization_type="CUSTOM",
                        authorizer=authorizer,
                        operation_name=s(),
                        request_validator=validator,
                        request_parameters={"method.request.header." + s(): True},
                        responses=(
                            MethodResponse(
                                status_code="200",
                                response_parameters={"method.response.header.X": False},
                            ),
                        ),
                        integration=Integration(
                            type="HTTP",
                            http_method="POST",
                            uri="https://example.com/" + s(),
                            credentials=f"arn:aws:iam::{ACCOUNT}:role/" + s(),
                            request_parameters={"integration.request.header.x": s()},
                            request_templates={s(): s(), "application/json": s()},
                            cache_namespace=s(),
                            cache_key_parameters=(s(),),
                            responses=(
                                IntegrationResponse(
                                    status_code="200",
                                    selection_pattern=s(),
                                    response_parameters={"method.response.header.X": s()},
                                    response_templates={"application/json": s()},
                                ),
                            ),
                        ),
                    ),
                    Method(
                        http_method="GET",
                        integration=Integration(
                            type="AWS_PROXY", http_method="POST", uri=LAMBDA_URI
                        ),
                    ),
                ),
            ),
        ),
    )


def benign_model() -> ApiModel:
    counter = iter(range(1000))
    return make_model(lambda: f"v{next(counter)}", ("a", "b"))


# --- the names a script makes ------------------------------------------------------------------

_DRIVER = """\
source "$(dirname "$0")/import.sh" "$@"
compgen -v > "$(dirname "$0")/variables.txt"
"""
_STATEMENT_ID = re.compile(r"\A[A-Za-z0-9_-]{1,100}\Z")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FILE_NAME = re.compile(r"\A[a-z0-9_][a-z0-9._-]*\.json\Z")


def python_names(text: str) -> set[str]:
    """Every identifier the Python script uses: variables, attributes, keywords, functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def statement_ids(plan: Plan) -> list[str]:
    """The literal part of each Lambda statement id (the REST API id is joined at run time)."""
    out = []
    for step in plan.steps:
        ref = step.refs.get("StatementId")
        if isinstance(ref, Sub):
            out.append("".join(p for p in ref.parts if isinstance(p, str)))
        elif "StatementId" in step.params:
            out.append(str(step.params["StatementId"]))
    return out


def write_shell(plan: Plan, directory: Path, cli_input_json: bool, prefix: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    script = render_shell(plan, cli_input_json=cli_input_json, file_prefix=prefix)
    (directory / "import.sh").write_text(script.text, encoding="utf-8")
    for name, text in script.files.items():
        assert _FILE_NAME.fullmatch(name), name
        (directory / name).write_text(text, encoding="utf-8")
    driver = directory / "driver.sh"
    driver.write_text(_DRIVER, encoding="utf-8")
    return driver


def shell_variables(directory: Path) -> set[str]:
    return set((directory / "variables.txt").read_text(encoding="utf-8").split())


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("hostile-tools")
    return {"wrapper": install_wrapper(base / "bin"), "runner": install_runner(base / "py")}


@pytest.fixture(scope="module")
def benign_names(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """What the benign twin's scripts may name: every word of its bash script (a superset of
    its variables), every identifier of its Python script, and the variables bash itself has."""
    plan = build_plan(benign_model(), PlanOptions(lambda_permissions=True))
    words: set[str] = set()
    for mode in (False, True):
        words |= set(_WORD.findall(render_shell(plan, cli_input_json=mode).text))
    done = subprocess.run(
        ["bash", "-c", ": | :; [[ a =~ a ]]; compgen -v"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        "python": python_names(render_boto3(plan)),
        "shell": words,
        "bash": set(done.stdout.split()),
    }


@settings(
    max_examples=4,
    phases=(Phase.explicit, Phase.generate),  # each example runs two scripts: no shrinking
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    segments=st.lists(hostile_segment(), min_size=2, max_size=2, unique=True).map(tuple),
    cli_input_json=st.booleans(),
    prefix=hostile_text(),
)
def test_hostile_strings_reach_aws_exactly_through_bash_and_python_and_nothing_runs(
    data: st.DataObject,
    segments: tuple[str, str],
    cli_input_json: bool,
    prefix: str,
    tmp_path_factory: pytest.TempPathFactory,
    aws_env: dict[str, str],
    apigw: Any,
    tools: dict[str, Path],
    benign_names: dict[str, set[str]],
) -> None:
    create_lambda_function()
    text = hostile_text()
    model = make_model(lambda: data.draw(text), segments)
    plan = build_plan(model, PlanOptions(lambda_permissions=True))
    for statement in statement_ids(plan):
        assert _STATEMENT_ID.fullmatch(f"oas2gw-abcdefghij-{statement}"), statement

    shell_dir = tmp_path_factory.mktemp("hostile-shell")
    driver = write_shell(plan, shell_dir, cli_input_json, prefix)
    written = {p.name for p in shell_dir.iterdir()}
    python_dir = tmp_path_factory.mktemp("hostile-python")
    python_script = python_dir / "import.py"
    python_text = render_boto3(plan)
    python_script.write_text(python_text, encoding="utf-8")
    assert python_names(python_text) <= benign_names["python"]

    shell_api = apigw.create_rest_api(name="hostile-shell")["id"]
    python_api = apigw.create_rest_api(name="hostile-python")["id"]
    with ThreadPoolExecutor(max_workers=2) as pool:  # the aws CLI's start-up dominates
        shell_run = pool.submit(
            run_script, driver, aws_env, tools["wrapper"], (shell_api,), shell_dir
        )
        by_python = run_python(python_script, aws_env, tools["runner"], (python_api,))
        by_shell = shell_run.result()

    for directory, wrote in ((shell_dir, written), (python_dir, {"import.py"})):
        left = {p.name for p in directory.iterdir() if ".calls" not in p.name}
        assert left - {"variables.txt"} == wrote, "a value from the document made a file"
    assert not os.path.exists(CANARY), "a value from the document was executed"
    assert by_shell.returncode == 0, by_shell.stderr[-3000:]
    assert by_python.returncode == 0, by_python.stderr[-3000:]
    made = shell_variables(shell_dir) - benign_names["bash"] - set(aws_env) - {"OAS2GW_CALL_LOG"}
    assert made <= benign_names["shell"], made - benign_names["shell"]
    for rest_api_id in (shell_api, python_api):
        assert read_back_differences(model, apigw, rest_api_id) == []
    grants = [
        c["params"] for c in by_shell.calls + by_python.calls if c["operation"] == "AddPermission"
    ]
    assert len(grants) == 2
    for grant in grants:
        assert _STATEMENT_ID.fullmatch(grant["StatementId"]), grant
        assert grant["FunctionName"] == FN

    # again: the models exist now, so their schemas travel inside `--patch-operations` JSON
    with ThreadPoolExecutor(max_workers=2) as pool:
        shell_run = pool.submit(
            run_script, driver, aws_env, tools["wrapper"], (shell_api,), shell_dir
        )
        again_python = run_python(python_script, aws_env, tools["runner"], (python_api,))
        again_shell = shell_run.result()
    assert not os.path.exists(CANARY), "a value from the document was executed"
    for first, again in ((by_shell, again_shell), (by_python, again_python)):
        assert again.returncode == 0, again.stderr[-3000:]
        created = {
            c["params"]["name"]: c["params"]["schema"]
            for c in first.calls
            if c["operation"] == "CreateModel"
        }
        assert len(created) == 2 and schemas_sent(again.calls) == created
    for rest_api_id in (shell_api, python_api):
        assert read_back_differences(model, apigw, rest_api_id) == []


def test_bash_parses_every_script_the_hostile_twin_makes(tmp_path: Path) -> None:
    """`bash -n` on scripts whose every string is each fragment alone: a quoting slip that
    the sampled examples miss shows here as a syntax error, without the emulator."""
    for index, fragment in enumerate(FRAGMENTS):
        value = fragment.format(canary=CANARY)
        segment = value.replace("/", "")  # not what AWS takes: only the script's text is judged
        model = make_model(lambda v=value + str(index): v, (f"s{segment}", "t"))
        plan = build_plan(model, PlanOptions(lambda_permissions=True))
        for mode in (False, True):
            script = render_shell(plan, cli_input_json=mode, file_prefix=value)
            path = tmp_path / f"{index}-{mode}.sh"
            path.write_text(script.text, encoding="utf-8")
            done = subprocess.run(
                ["bash", "-n", str(path)], capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, (fragment, done.stderr)
            for name, text in script.files.items():
                assert _FILE_NAME.fullmatch(name), name
                json.loads(text)
        compile(render_boto3(plan), f"{index}.py", "exec")
