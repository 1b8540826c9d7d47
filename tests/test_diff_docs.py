"""docs/ci.md says what the commands print: its examples are checked against the real output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from oas2gw.diff import diff_models, render_changes
from oas2gw.model.types import (
    ApiModel,
    Authorizer,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    Resource,
)

ROOT = Path(__file__).resolve().parent.parent
CI_DOC = ROOT / "docs" / "ci.md"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

TEMPLATE = '{\n  "id": "$input.params(\'id\')",\n  "source": "%s"\n}'


def blocks(lang: str) -> list[str]:
    text = CI_DOC.read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def example(
    *,
    media: tuple[str, ...],
    ttl: int | None,
    timeout: int | None,
    pattern: str,
    source: str,
    photos: bool,
    delete: bool,
) -> ApiModel:
    ok = (MethodResponse(statusCode="200"), MethodResponse(statusCode="500"))

    def http(uri: str, errors: str = "5\\d{2}", **more: Any) -> Integration:
        replies = (
            IntegrationResponse(statusCode="200"),
            IntegrationResponse(statusCode="500", selectionPattern=errors),
        )
        return Integration(type="HTTP", httpMethod="GET", uri=uri, responses=replies, **more)

    by_id = [
        Method(
            httpMethod="GET",
            responses=ok,
            integration=http(
                "https://b.example.com/pets/{id}",
                requestTemplates={"application/json": TEMPLATE % source},
            ),
        )
    ]
    if delete:
        by_id.append(
            Method(httpMethod="DELETE", responses=ok, integration=http("https://b.example.com"))
        )
    resources = [
        Resource(
            path="/pets",
            methods=(
                Method(
                    httpMethod="GET",
                    responses=ok,
                    integration=http(
                        "https://b.example.com/pets", pattern, timeoutInMillis=timeout
                    ),
                ),
            ),
        ),
        Resource(path="/pets/{id}", methods=tuple(by_id)),
    ]
    if photos:
        post = Method(httpMethod="POST", responses=ok, integration=http("https://b.example.com"))
        resources.append(Resource(path="/pets/{id}/photos", methods=(post,)))
    return ApiModel(
        name="Petstore",
        binaryMediaTypes=media,
        authorizers=(
            Authorizer(
                name="tokens",
                type="TOKEN",
                authorizerUri="arn:aws:apigateway:us-east-1:lambda:path/x",
                authorizerResultTtlInSeconds=ttl,
            ),
        ),
        resources=tuple(resources),
    )


def test_the_console_example_of_docs_ci_is_what_diff_prints() -> None:
    document = example(
        media=("image/png",),
        ttl=60,
        timeout=10000,
        pattern="5\\d{2}",
        source="api",
        photos=False,
        delete=True,
    )
    deployed = example(
        media=("image/png", "image/jpeg"),
        ttl=None,
        timeout=5000,
        pattern="5\\d{2}|Error.*",
        source="console",
        photos=True,
        delete=False,
    )
    console = next(b for b in blocks("console") if "differences:" in b)
    command, _, rest = console.partition("\n")
    assert command.startswith("$ oas2gw diff ")
    printed = rest.split("$ echo $?")[0]
    assert render_changes(diff_models(document, deployed)) == printed


def test_the_json_example_of_docs_ci_has_the_shape_diff_prints() -> None:
    documented = json.loads(blocks("json")[0])
    model = example(
        media=(), ttl=None, timeout=10000, pattern="x", source="a", photos=False, delete=False
    )
    deployed = model.model_copy(
        update={
            "resources": (
                example(
                    media=(),
                    ttl=None,
                    timeout=5000,
                    pattern="x",
                    source="a",
                    photos=False,
                    delete=False,
                ).resources[0],
                model.resources[1],
            )
        }
    )
    printed = json.loads(
        render_changes(
            diff_models(model, deployed),
            "json",
            compared=12,
            left="api/openapi.yaml",
            right="apigateway:a1b2c3d4e5",
        )
    )
    assert printed == documented


def test_the_workflow_and_matcher_in_docs_ci_parse() -> None:
    workflow = yaml.safe_load(blocks("yaml")[1])
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("oas2gw validate" in s for s in steps)
    assert any("--check" in s for s in steps)
    assert any("oas2gw diff" in s and "apigateway:" in s for s in steps)
    matcher = json.loads(blocks("json")[1])
    pattern = re.compile(matcher["problemMatcher"][0]["pattern"][0]["regexp"])
    line = "api.yaml:42:9: error E301 uri missing [/paths/~1pets/get]"
    match = pattern.match(line)
    assert match is not None
    assert match.groups() == (
        "api.yaml",
        "42",
        "9",
        "error",
        "E301",
        "uri missing [/paths/~1pets/get]",
    )


def test_pre_commit_hooks_run_the_documented_commands() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert hooks["oas2gw-validate"]["entry"] == "oas2gw validate"
    check = hooks["oas2gw-check-generated"]
    assert check["entry"].split() == ["oas2gw", "import", "--to", "cli", "--check"]
    assert check["pass_filenames"] is False
    assert re.search(hooks["oas2gw-validate"]["files"], "api/openapi.yaml")
    assert not re.search(hooks["oas2gw-validate"]["files"], ".github/workflows/ci.yml")
