"""The generated boto3 script, run as a user runs it (`python3 import.py ID`) against the emulator.

It must make the very calls the shell script makes for the same plan, leave the API exactly as
the document says (read back with boto3 and compared field by field, what moto drops checked at
the request), run twice to the same state, and never execute anything from the document.
"""

from __future__ import annotations

import ast
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from boto3_harness import install_runner, run_python, symbolic
from conftest import corpus_files, requires_corpus, sample_files
from hypothesis import given, settings
from hypothesis import strategies as st
from shell_harness import (
    Run,
    install_wrapper,
    literal_calls,
    made_calls,
    read_back_differences,
    run_script,
)
from test_apply import REFUSED
from test_shell_e2e import item_list_schema, loadable, models_api, rich_model, schemas_sent

from oas2gw.emit.boto3 import Call, Code, layout, render_boto3, string_literal
from oas2gw.emit.shell import render_shell
from oas2gw.model import (
    ApiModel,
    Integration,
    Method,
    Resource,
)
from oas2gw.plan import Plan, PlanError, PlanOptions, build_plan

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_runner(tmp_path_factory.mktemp("runner"))


@pytest.fixture(scope="session")
def wrapper_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wrapper(tmp_path_factory.mktemp("bin"))


def run_boto3(
    plan: Plan,
    tmp: Path,
    env: dict[str, str],
    runner: Path,
    rest_api_id: str,
    name: str = "import.py",
    **render: Any,
) -> Run:
    path = tmp / name
    path.write_text(render_boto3(plan, **render), encoding="utf-8")
    return run_python(path, env, runner, (rest_api_id,))


def assert_ok(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-3000:]


# --- the script as text ---------------------------------------------------------------------


def ruff_format_problems(texts: dict[str, str], tmp: Path) -> str:
    """What `ruff format` (black's style, line length 88) would change; empty when clean."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    for name, text in texts.items():
        (tmp / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [ruff, "format", "--isolated", "--diff", *texts],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if done.returncode == 0 else done.stdout[-4000:] + done.stderr[-1000:]


def test_script_is_black_clean_and_needs_no_oas2gw(tmp_path: Path) -> None:
    models = {"rich.py": rich_model()}
    for sample in sample_files():
        try:
            model = loadable(sample)
        except pytest.skip.Exception:  # the reader has not landed yet
            continue
        if model is not None:
            models[sample.stem + ".py"] = model
    texts = {
        name: render_boto3(
            build_plan(model, PlanOptions(lambda_permissions=True, deploy_stage="v1"))
        )
        for name, model in models.items()
    }
    texts["baked.py"] = render_boto3(build_plan(rich_model()), rest_api_id="abc'\"123")
    long_and_odd = ApiModel(
        name="T" * 120 + "\x1b[31m\n'''\"\"\"",
        resources=(Resource(path="/" + "p" * 90, methods=(Method(http_method="GET"),)),),
    )
    texts["odd.py"] = render_boto3(build_plan(long_and_odd))
    assert "\x1b" not in texts["odd.py"]  # escaped in the literal, never written raw
    for name, text in texts.items():
        tree = ast.parse(text, filename=name)
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert imported <= {"os", "sys", "boto3", "botocore"}, name
    assert ruff_format_problems(texts, tmp_path) == ""


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_string_becomes_a_literal_that_reads_back_exactly(text: str) -> None:
    literal = string_literal(text)
    assert "\n" not in literal and "\r" not in literal
    literal.encode("utf-8")  # lone surrogates are escaped, never written raw
    assert ast.literal_eval(literal) == text


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.text(max_size=40) | st.booleans() | st.integers(),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=30), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_laid_out_values_read_back_exactly(value: Any) -> None:
    lines = layout(Call("client.put_thing", (("restApiId", "x"), ("value", value))), "    ")
    text = "def f():\n" + "\n".join(lines) + "\n"
    call = ast.parse(text).body[0].body[0].value  # type: ignore[attr-defined]
    assert ast.literal_eval(call.keywords[1].value) == value


def random_value(rng: random.Random, depth: int = 0) -> Any:
    words = ["method.request.header.X-Tenant", "a", "é日本", "'", '"', "{}", "x" * 30, ""]
    kind = rng.randrange(6 if depth < 3 else 3)
    if kind == 0:
        return " ".join(rng.choice(words) for _ in range(rng.randrange(1, 5)))
    if kind == 1:
        return rng.choice([True, False, 0, 29000])
    if kind == 2:
        return "".join(rng.choice("abcdefgh.-_/") for _ in range(rng.randrange(0, 90)))
    if kind == 3:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {
        random_value(rng, 3) if kind == 4 else f"k{n}": random_value(rng, depth + 1)
        for n in range(rng.randrange(0, 5))
    }


def test_layout_is_what_black_would_write(tmp_path: Path) -> None:
    """Hundreds of nested values at several indents, checked by one `ruff format` run."""
    rng = random.Random(4)
    functions = []
    for number in range(600):
        args = tuple((f"p{i}", random_value(rng)) for i in range(rng.randrange(1, 4)))
        indent = "    " * rng.randrange(1, 4)
        lines = [f"def f{number}(client, rest_api_id):"]
        lines += ["    " * depth + "if rest_api_id:" for depth in range(1, len(indent) // 4)]
        lines += layout(
            Call("client.put_thing", (("restApiId", Code("rest_api_id")), *args)), indent
        )
        functions.append("\n".join(lines) + "\n")
    assert ruff_format_problems({"laid_out.py": "\n\n".join(functions)}, tmp_path) == ""


# --- running it -----------------------------------------------------------------------------


def test_rich_model_twice_gives_same_state_and_aws_style_requests(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, apigw: Any, rest_api_id: str
) -> None:
    model = rich_model()
    plan = build_plan(model, PlanOptions(deploy_stage="dev"))
    first = run_boto3(plan, tmp_path, aws_env, runner, rest_api_id)
    assert_ok(first)
    assert read_back_differences(model, apigw, rest_api_id) == []
    assert made_calls(first) == literal_calls(plan)  # what moto drops reached the request
    puts = {
        c["params"]["httpMethod"]: c["params"]
        for c in first.calls
        if c["operation"] == "PutIntegration"
    }
    assert puts["POST"]["cacheKeyParameters"] == ["method.request.path.id"]
    assert puts["GET"]["connectionId"] == "abc123"
    assert f"{len(plan.steps)} steps done on REST API {rest_api_id}" in first.stderr

    second = run_boto3(plan, tmp_path, aws_env, runner, rest_api_id)
    assert_ok(second)
    assert read_back_differences(model, apigw, rest_api_id) == []
    ops = second.operations()
    for created in ("CreateResource", "CreateModel", "CreateRequestValidator", "CreateAuthorizer"):
        assert created not in ops
    deleted: set[tuple[str, str]] = set()
    for call in second.calls:
        p = call["params"]
        if call["operation"] == "DeleteMethod":
            deleted.add((p["resourceId"], p["httpMethod"]))
        if call["operation"] in ("PutMethod", "PutMethodResponse"):
            assert (p["resourceId"], p["httpMethod"]) in deleted, call
    assert len(deleted) == len(model.iter_methods())


def test_second_run_gives_existing_models_the_documents_schema(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, apigw: Any, rest_api_id: str
) -> None:
    """As the shell script does: `update_model` with the schema, a reference to another model
    carrying the REST API id."""
    before = models_api({"type": "object"}, {"type": "array"})
    after = models_api({"type": "string"}, {"type": "array", "minItems": 1})
    assert_ok(run_boto3(build_plan(before), tmp_path, aws_env, runner, rest_api_id))
    second = run_boto3(build_plan(after), tmp_path, aws_env, runner, rest_api_id)
    assert_ok(second)
    items = item_list_schema(rest_api_id, '"minItems":1,')
    want = {"Item": '{"type":"string"}', "ItemList": items}
    assert schemas_sent(second.calls) == want
    held = {m: apigw.get_model(restApiId=rest_api_id, modelName=m)["schema"] for m in want}
    assert held == want


def compact_model() -> ApiModel:
    """One of each kind of step (settings, model, validator, authorizer, gateway response,
    nested resources, a method with responses and an integration with its responses) in as
    few calls as possible: every aws CLI call costs a process."""
    rich = rich_model()
    [toys] = [r for r in rich.resources if r.path == "/pets/{id}/toys"]
    return rich.model_copy(
        update={
            "request_validators": rich.request_validators[1:],
            "default_request_validator": None,
            "resources": (toys.model_copy(update={"methods": toys.methods[:1]}),),
        }
    )


def test_cli_and_boto3_scripts_make_the_same_calls(
    tmp_path: Path,
    aws_env: dict[str, str],
    runner: Path,
    wrapper_dir: Path,
    apigw: Any,
) -> None:
    """Same document, same starting state: the same calls with the same parameters, first on
    empty APIs, then each script again on the API the other one built."""
    plan = build_plan(compact_model(), PlanOptions(deploy_stage="dev"))
    shell_api = apigw.create_rest_api(name="by-shell")["id"]
    python_api = apigw.create_rest_api(name="by-python")["id"]
    shell_path = tmp_path / "shell" / "import.sh"  # apart: each run logs beside its script
    shell_path.parent.mkdir()
    shell_path.write_text(render_shell(plan).text, encoding="utf-8")

    with ThreadPoolExecutor(max_workers=2) as pool:  # the aws CLI's start-up dominates
        shell_run = pool.submit(run_script, shell_path, aws_env, wrapper_dir, (shell_api,))
        by_python = run_boto3(plan, tmp_path, aws_env, runner, python_api)
        by_shell = shell_run.result()
    assert_ok(by_shell)
    assert_ok(by_python)
    assert symbolic(by_python.calls, python_api) == symbolic(by_shell.calls, shell_api)

    with ThreadPoolExecutor(max_workers=2) as pool:
        shell_run = pool.submit(run_script, shell_path, aws_env, wrapper_dir, (python_api,))
        again_python = run_boto3(plan, tmp_path, aws_env, runner, shell_api)
        again_shell = shell_run.result()
    assert_ok(again_python)
    assert_ok(again_shell)
    assert symbolic(again_python.calls, shell_api) == symbolic(again_shell.calls, python_api)
    assert "DeleteMethod" in again_python.operations()


def test_apply_makes_the_same_changes_as_the_script(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, apigw: Any
) -> None:
    """On empty APIs, `apply` and the boto3 script (so the shell script too) change the same
    things with the same parameters: one plan, three executors, no drift."""
    from oas2gw.applier import apply
    from oas2gw.aws import Pacer

    model, options = rich_model(), PlanOptions(deploy_stage="dev")
    script_api = apigw.create_rest_api(name="by-script")["id"]
    apply_api = apigw.create_rest_api(name="by-apply")["id"]
    by_script = run_boto3(build_plan(model, options), tmp_path, aws_env, runner, script_api)
    assert_ok(by_script)
    calls: list[dict[str, Any]] = []
    apigw.meta.events.register(
        "provide-client-params.apigateway.*",
        lambda params, model, **_: calls.append(
            {"service": "apigateway", "operation": model.name, "params": dict(params)}
        ),
    )
    report = apply(model, apigw, apply_api, options=options, pacer=Pacer.unpaced())
    assert report.ok, report.render()

    def changes(made: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [c for c in made if not c["operation"].startswith("Get")]

    assert symbolic(changes(calls), apply_api) == symbolic(changes(by_script.calls), script_api)


def test_missing_rest_api_id_is_usage_exit_2(
    tmp_path: Path, aws_env: dict[str, str], runner: Path
) -> None:
    path = tmp_path / "import.py"
    path.write_text(render_boto3(build_plan(rich_model())), encoding="utf-8")
    env = dict(aws_env)
    env.pop("REST_API_ID", None)
    run = run_python(path, env, runner)
    assert run.returncode == 2
    assert "usage" in run.stderr and run.calls == []


def test_rest_api_id_from_environment_when_no_argument(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, rest_api_id: str
) -> None:
    path = tmp_path / "import.py"
    path.write_text(render_boto3(build_plan(ApiModel(resources=(Resource(path="/a"),)))))
    run = run_python(path, dict(aws_env, REST_API_ID=rest_api_id), runner)
    assert_ok(run)
    assert {c["params"]["restApiId"] for c in run.calls} == {rest_api_id}


def test_baked_rest_api_id_wins_over_environment(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, rest_api_id: str
) -> None:
    path = tmp_path / "baked.py"
    plan = build_plan(ApiModel(resources=(Resource(path="/a"),)))
    path.write_text(render_boto3(plan, rest_api_id=rest_api_id), encoding="utf-8")
    run = run_python(path, dict(aws_env, REST_API_ID="nope"), runner, ("nope",))
    assert_ok(run)
    assert {c["params"]["restApiId"] for c in run.calls} == {rest_api_id}


def test_failing_step_is_named_and_exits_1(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, rest_api_id: str
) -> None:
    # moto refuses credentials from another account, as AWS refuses a role it cannot pass
    model = ApiModel(
        resources=(
            Resource(
                path="/x",
                methods=(
                    Method(
                        http_method="PUT",
                        integration=Integration(
                            type="AWS",
                            http_method="POST",
                            uri="arn:aws:apigateway:us-east-1:sqs:path/1/q",
                            credentials="arn:aws:iam::999999999999:role/other",
                        ),
                    ),
                ),
            ),
        )
    )
    run = run_boto3(build_plan(model), tmp_path, aws_env, runner, rest_api_id)
    assert run.returncode == 1
    assert "step failed: PUT /x put_integration:" in run.stderr
    assert "Traceback" not in run.stderr
    assert aws_env["AWS_SECRET_ACCESS_KEY"] not in run.stderr.replace("testing", "")


def test_retries_are_adaptive_unless_the_caller_chose(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, rest_api_id: str
) -> None:
    path = tmp_path / "import.py"
    path.write_text(render_boto3(build_plan(ApiModel())), encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "generated"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    env_before = dict(os.environ)
    try:
        os.environ.pop("AWS_RETRY_MODE", None)
        os.environ.pop("AWS_MAX_ATTEMPTS", None)
        retries = namespace["Run"](rest_api_id).config.retries
        assert retries == {"mode": "adaptive", "total_max_attempts": 10}
        os.environ["AWS_RETRY_MODE"] = "standard"
        os.environ["AWS_MAX_ATTEMPTS"] = "3"
        assert namespace["Run"](rest_api_id).config.retries in (None, {})
    finally:
        os.environ.clear()
        os.environ.update(env_before)


# Hostile strings in every field, through this script and the shell one against the emulator
# with a canary, are tested in test_hostile_emitters.py; here, every string becomes a literal
# that reads back exactly (above).


# --- samples and corpus ---------------------------------------------------------------------


def import_and_compare(
    path: Path, tmp: Path, env: dict[str, str], runner: Path, client: Any, twice: bool
) -> list[str]:
    model = loadable(path)
    if model is None:
        return []
    try:
        plan = build_plan(model)
    except PlanError:  # unresolved intrinsics: no script can send it (tested where planned)
        return []
    rest_api_id = client.create_rest_api(name=path.stem[:100])["id"]
    refused = next((v for k, v in REFUSED.items() if k in path.name), None)
    problems: list[str] = []
    env = dict(env, AWS_MAX_ATTEMPTS="2")  # the emulator answers 500 to what it lacks: fail fast
    for attempt in range(2 if twice else 1):
        run = run_boto3(plan, tmp, env, runner, rest_api_id, name=f"{path.stem[:60]}.py")
        if run.returncode == 1 and refused is not None and attempt == 0:
            step = " ".join(refused[1].split(": ")[:2])  # `POST / put_integration`
            if f"step failed: {step}:" in run.stderr:
                return []  # refused as AWS would, at the step it names
        if run.returncode != 0:
            return [f"{path.name} run {attempt + 1}: exit {run.returncode}: {run.stderr[-800:]}"]
        if attempt == 0 and made_calls(run) != literal_calls(plan):
            problems.append(f"{path.name}: requests differ from the plan")
        problems += [f"{path.name}: {p}" for p in read_back_differences(model, client, rest_api_id)]
    return problems


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_sample_imports_exactly_twice(
    sample: Path, tmp_path: Path, aws_env: dict[str, str], runner: Path, apigw: Any
) -> None:
    assert import_and_compare(sample, tmp_path, aws_env, runner, apigw, twice=True) == []


@requires_corpus
def test_corpus_documents_import_exactly(
    tmp_path: Path, aws_env: dict[str, str], runner: Path, apigw: Any
) -> None:
    def one(numbered: tuple[int, Path]) -> list[str]:
        tmp = tmp_path / f"{numbered[0]:03d}"
        tmp.mkdir()
        return import_and_compare(numbered[1], tmp, aws_env, runner, apigw, twice=False)

    with ThreadPoolExecutor(max_workers=3) as pool:
        problems = [p for found in pool.map(one, enumerate(corpus_files())) for p in found]
    assert problems == []


def test_script_runs_under_the_oldest_python_syntax_it_claims() -> None:
    text = render_boto3(build_plan(rich_model(), PlanOptions(lambda_permissions=True)))
    ast.parse(text, feature_version=(3, 8))
    assert sys.version_info >= (3, 8)


def test_failure_messages_never_carry_the_credentials_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEJr")
    namespace: dict[str, Any] = {"__name__": "generated"}
    exec(compile(render_boto3(build_plan(ApiModel())), "import.py", "exec"), namespace)
    run = namespace["Run"]("abc123")
    echoed = (
        "IncompleteSignatureException: Authorization=AWS4-HMAC-SHA256 "
        "Credential=AKIAIOSFODNN7EXAMPLE/20261125/us-east-1/apigateway/aws4_request "
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY FwoGZXIvYXdzEJr"
    )
    redacted = run.redact(echoed)
    for secret in ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdzEJr"):
        assert secret not in redacted
