"""`diff_models` and `render_changes` over models built by hand: every kind of change, named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.diagnostics import Location
from oas2gw.diff import (
    Change,
    ChangeKind,
    Scope,
    check_generated,
    compare_models,
    count_methods,
    diff_models,
    format_path,
    generated_diff,
    parse_path,
    render_changes,
    summarize,
)
from oas2gw.model.normalize import normalize
from oas2gw.model.types import (
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

TEMPLATE = '#set($body = $input.path("$"))\n{\n  "id": "$body.id",\n  "name": "$body.name"\n}'


def method(verb: str = "GET", **integration: Any) -> Method:
    fields: dict[str, Any] = {
        "type": "HTTP",
        "httpMethod": "GET",
        "uri": "https://backend.example.com/pets",
        "requestTemplates": {"application/json": TEMPLATE},
        "responses": (
            IntegrationResponse(statusCode="200"),
            IntegrationResponse(statusCode="500", selectionPattern="5\\d{2}"),
        ),
    }
    fields.update(integration)
    return Method(
        httpMethod=verb,
        requestParameters={"method.request.querystring.limit": False},
        responses=(
            MethodResponse(statusCode="200", responseModels={"application/json": "Pets"}),
            MethodResponse(statusCode="500"),
        ),
        integration=Integration(**fields),
    )


def api(**updates: Any) -> ApiModel:
    """The sample API; `updates` by field name (snake_case), as `model_copy` takes them."""
    unknown = set(updates) - set(ApiModel.model_fields)
    assert not unknown, f"not field names: {unknown}"
    base = ApiModel(
        name="Petstore",
        binaryMediaTypes=("image/png", "image/jpeg"),
        requestValidators=(RequestValidator(name="all", validateRequestBody=True),),
        authorizers=(Authorizer(name="tokens", type="TOKEN", authorizerUri="arn:aws:x"),),
        gatewayResponses=(GatewayResponse(responseType="DEFAULT_4XX", statusCode="400"),),
        models={"Pets": {"type": "array", "items": {"type": "string"}}},
        resources=(
            Resource(path="/pets", methods=(method("GET"), method("POST"))),
            Resource(path="/pets/{id}", methods=(method("GET"),)),
        ),
    )
    return base.model_copy(update=updates)


def with_method(model: ApiModel, path: str, new: Method) -> ApiModel:
    resources = tuple(
        r.model_copy(
            update={
                "methods": tuple(new if m.http_method == new.http_method else m for m in r.methods)
            }
        )
        if r.path == path
        else r
        for r in model.resources
    )
    return model.model_copy(update={"resources": resources})


def lines(changes: list[Change]) -> list[str]:
    return render_changes(changes, "text").splitlines()


def test_a_model_against_itself_is_only_a_summary() -> None:
    changes = diff_models(api(), api())
    assert changes == []
    assert render_changes(changes, compared=3) == "no differences (3 methods compared)\n"


def test_changed_timeout_reads_from_the_read_back_default() -> None:
    right = with_method(api(), "/pets", method("GET", timeoutInMillis=5000))
    out = lines(diff_models(api(), right))
    assert out[0] == "~ GET /pets integration.timeoutInMillis: 29000 -> 5000"
    assert out[-1] == "1 difference: 1 method changed"


def test_read_back_defaults_and_enum_case_are_not_differences() -> None:
    spelled_out = with_method(
        api(),
        "/pets",
        method(
            "GET",
            timeoutInMillis=29000,
            connectionType="internet",
            passthroughBehavior="WHEN_NO_MATCH",
        ),
    )
    assert diff_models(api(), spelled_out) == []
    assert diff_models(api(api_key_source="HEADER"), api()) == []


def test_lists_of_names_in_another_order_are_the_same() -> None:
    assert diff_models(api(), api(binary_media_types=("image/jpeg", "image/png"))) == []


def test_changed_template_shows_a_unified_diff() -> None:
    changed = TEMPLATE.replace('"$body.name"', '"$body.fullName"')
    right = with_method(
        api(), "/pets", method("GET", requestTemplates={"application/json": changed})
    )
    out = lines(diff_models(api(), right))
    assert out[0] == "~ GET /pets integration.requestTemplates[application/json]:"
    assert '    -  "name": "$body.name"' in out
    assert '    +  "name": "$body.fullName"' in out


def test_integration_response_change_is_named_by_status_code() -> None:
    responses = (
        IntegrationResponse(statusCode="200"),
        IntegrationResponse(statusCode="500", selectionPattern="5\\d{2}|Error.*"),
    )
    right = with_method(api(), "/pets/{id}", method("GET", responses=responses))
    (change,) = diff_models(api(), right)
    assert change.field_path == "integration.responses[500].selectionPattern"
    assert (change.old, change.new) == ("5\\d{2}", "5\\d{2}|Error.*")


def test_integration_response_added_is_named() -> None:
    responses = (
        IntegrationResponse(statusCode="200"),
        IntegrationResponse(statusCode="500", selectionPattern="5\\d{2}"),
        IntegrationResponse(statusCode="404", selectionPattern="Not found.*"),
    )
    right = with_method(api(), "/pets", method("GET", responses=responses))
    (change,) = diff_models(api(), right)
    assert change.kind is ChangeKind.ADDED
    assert lines([change])[0] == (
        '+ GET /pets integration.responses[404]: {"selectionPattern": "Not found.*", '
        '"responseParameters": {}, "responseTemplates": {}}'
    )


def test_method_response_change_is_named() -> None:
    base = method("POST")
    changed = base.model_copy(
        update={
            "responses": (
                MethodResponse(statusCode="200", responseModels={"application/json": "Empty"}),
                MethodResponse(statusCode="500"),
            )
        }
    )
    out = lines(diff_models(api(), with_method(api(), "/pets", changed)))
    assert (
        out[0] == '~ POST /pets responses[200].responseModels[application/json]: "Pets" -> "Empty"'
    )


def test_method_added_and_removed() -> None:
    right = api(
        resources=(
            Resource(path="/pets", methods=(method("GET"), method("DELETE"))),
            Resource(path="/pets/{id}", methods=(method("GET"),)),
        )
    )
    out = lines(diff_models(api(), right))
    assert out == [
        "- POST /pets",
        "+ DELETE /pets",
        "2 differences: 1 method added, 1 method removed",
    ]


def test_resource_added_and_removed_name_the_resource_and_its_methods() -> None:
    right = api(
        resources=(
            Resource(path="/pets", methods=(method("GET"), method("POST"))),
            Resource(path="/owners", methods=(method("GET"),)),
        )
    )
    out = lines(diff_models(api(), right))
    assert out[:4] == [
        "+ resource /owners",
        "- resource /pets/{id}",
        "+ GET /owners",
        "- GET /pets/{id}",
    ]


def test_api_settings_and_named_parts_are_compared() -> None:
    right = api(
        description="now described",
        minimum_compression_size=1024,
        request_validators=(RequestValidator(name="all", validateRequestBody=False),),
        authorizers=(),
        gateway_responses=(GatewayResponse(responseType="DEFAULT_4XX", statusCode="404"),),
        models={
            "Pets": {"type": "array", "items": {"type": "integer"}},
            "Pet": {"type": "object"},
        },
    )
    out = lines(diff_models(api(), right))
    assert out[:7] == [
        '+ API description: "now described"',
        "+ API minimumCompressionSize: 1024",
        "- authorizer tokens",
        "~ validator all validateRequestBody: true -> false",
        '~ gateway response DEFAULT_4XX statusCode: "400" -> "404"',
        '~ model Pets items.type: "string" -> "integer"',
        "+ model Pet",
    ]
    assert summarize(diff_models(api(), right)) == {
        "api": {"changed": 2},
        "validators": {"changed": 1},
        "authorizers": {"removed": 1},
        "gatewayResponses": {"changed": 1},
        "models": {"changed": 1, "added": 1},
    }


def test_ignore_drops_a_field_and_everything_under_it() -> None:
    right = with_method(
        api(), "/pets", method("GET", timeoutInMillis=5000, uri="https://other.example.com")
    )
    right = with_method(right, "/pets/{id}", method("GET", requestTemplates={}))
    every = diff_models(api(), right)
    assert len(every) == 3
    kept = diff_models(api(), right, ignore=["integration.uri", "integration.requestTemplates"])
    assert [c.field_path for c in kept] == ["integration.timeoutInMillis"]
    assert diff_models(api(), right, ignore=["integration"]) == []


def test_ignore_names_collections_and_wildcards() -> None:
    right = api(authorizers=(), models={})
    assert diff_models(api(), right, ignore=["authorizers", "models[Pets]"]) == []
    responses = (IntegrationResponse(statusCode="200", contentHandling="CONVERT_TO_TEXT"),)
    right = with_method(api(), "/pets", method("GET", responses=responses))
    assert diff_models(api(), right, ignore=["integration.responses"]) == []
    kept = diff_models(api(), right, ignore=["integration.responses[*].contentHandling"])
    assert [c.field_path for c in kept] == ["integration.responses[500]"]


def test_paths_round_trip_through_parse() -> None:
    path = ("integration", "responses", "[200]", "responseTemplates", "[application/json]")
    assert format_path(path) == "integration.responses[200].responseTemplates[application/json]"
    assert parse_path(format_path(path)) == path
    odd = ("responseTemplates", "[a\\]b.c]", "[x\\[y]", "[\\]\\[]", "[back\\\\slash]")
    assert parse_path(format_path(odd)) == odd


@pytest.mark.parametrize("key", ["][", "a]b.c", "x[y", "[]", "\\", "a\\]", "."])
def test_a_key_with_brackets_is_escaped_and_its_change_can_be_ignored(key: str) -> None:
    right = with_method(api(), "/pets", method("GET", requestTemplates={key: "changed"}))
    changes = diff_models(api(), right)
    assert changes
    assert diff_models(api(), right, ignore=[c.field_path for c in changes]) == []


def test_json_format_carries_old_and_new_values() -> None:
    right = with_method(api(), "/pets", method("GET", timeoutInMillis=5000))
    right = right.model_copy(update={"authorizers": ()})
    doc = json.loads(render_changes(diff_models(api(), right), "json", compared=3))
    assert doc["same"] is False
    assert doc["methodsCompared"] == 3
    assert doc["summary"] == {"authorizers": {"removed": 1}, "methods": {"changed": 1}}
    timeout = doc["changes"][1]
    assert timeout == {
        "change": "changed",
        "scope": "method",
        "subject": "GET /pets",
        "httpMethod": "GET",
        "path": "/pets",
        "field": "integration.timeoutInMillis",
        "old": 29000,
        "new": 5000,
    }
    assert doc["changes"][0]["old"]["authorizerUri"] == "arn:aws:x"
    assert "new" not in doc["changes"][0]


def test_colour_only_when_asked() -> None:
    changes = diff_models(api(), api(authorizers=()))
    assert "\033[" not in render_changes(changes)
    assert render_changes(changes, color=True).startswith("\033[31m- authorizer tokens")


def test_ten_thousand_methods_are_matched_by_key() -> None:
    """Quadratic matching would take minutes here; dict matching takes a second."""
    verbs = ("GET", "POST", "PUT", "DELETE")
    resources = tuple(
        Resource(
            path=f"/r{i}/{{id}}",
            methods=tuple(method(v, uri=f"https://b.example.com/{i}/{v}") for v in verbs),
        )
        for i in range(2500)
    )
    left = ApiModel(name="big", resources=resources)
    last = resources[-1]
    changed = last.model_copy(
        update={"methods": (*last.methods[:3], method("DELETE", timeoutInMillis=1000))}
    )
    right = left.model_copy(update={"resources": (*reversed(resources[:-1]), changed)})
    (change,) = diff_models(left, right, ignore=["integration.uri"])
    assert change.name == "DELETE /r2499/{id}"
    assert change.field_path == "integration.timeoutInMillis"


# -- generated files ---------------------------------------------------------------------------


def test_check_generated_fresh_file_is_none(tmp_path: Path) -> None:
    target = tmp_path / "deploy.sh"
    target.write_bytes(b"#!/usr/bin/env bash\necho ok\n")
    assert check_generated("#!/usr/bin/env bash\necho ok\n", target) is None


def test_check_generated_stale_file_is_E501_at_its_first_changed_line(tmp_path: Path) -> None:
    target = tmp_path / "deploy.sh"
    target.write_text("a\nb\nc\n", encoding="utf-8")
    diag = check_generated("a\nb\nC\n", target)
    assert diag is not None and diag.code == "E501"
    assert diag.location == Location(str(target), 3, 1)
    assert diag.render().startswith(f"{target}:3:1: error E501 stale")
    short = generated_diff("a\nb\nC\n", target)
    assert "-c\n+C\n" in short


def test_check_generated_missing_file_is_E502(tmp_path: Path) -> None:
    diag = check_generated("x\n", tmp_path / "absent.sh")
    assert diag is not None and diag.code == "E502"


def test_check_generated_names_crlf_line_endings(tmp_path: Path) -> None:
    target = tmp_path / "deploy.sh"
    target.write_bytes(b"a\r\nb\r\n")
    diag = check_generated("a\nb\n", target)
    assert diag is not None and "line endings" in diag.message


def test_generated_diff_is_short(tmp_path: Path) -> None:
    target = tmp_path / "deploy.sh"
    target.write_text("".join(f"line {i}\n" for i in range(200)), encoding="utf-8")
    short = generated_diff("".join(f"LINE {i}\n" for i in range(200)), target)
    assert short.splitlines()[-1] == "... (363 more diff lines)"


@pytest.mark.parametrize("kind", list(Scope))
def test_every_scope_renders_a_subject(kind: Scope) -> None:
    change = Change(ChangeKind.ADDED, kind, "GET /x" if kind is Scope.METHOD else "x")
    assert render_changes([change]).splitlines()[0].startswith("+ ")


def test_hostile_names_and_templates_cannot_rewrite_the_terminal_or_the_log() -> None:
    """A path, a header or a template may hold escape sequences, carriage returns, line breaks
    (a CI runner reads `::command::` at a line start) or bidirectional overrides."""
    hostile = "/x\x1b[2J\r\n::error::forged\u202e\x9b31m"
    left = ApiModel(resources=(Resource(path=hostile, methods=(method("GET"),)),))
    right = ApiModel(
        resources=(
            Resource(
                path=hostile,
                methods=(method("GET", requestTemplates={"application/json": hostile + "\nb"}),),
            ),
        )
    )
    text = render_changes(diff_models(left, right) + diff_models(left, ApiModel()))
    for line in text.splitlines():
        assert not any(ch in line for ch in "\x1b\r\u202e\x9b"), repr(line)
        assert not line.startswith("::")
    assert "\\u001b[2J\\u000d\\u000a::error::forged\\u202e\\u009b31m" in text


# -- properties ----------------------------------------------------------------------------------

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@st.composite
def mutated(draw: st.DrawFn) -> ApiModel:
    """The sample API with a few of its methods' integrations changed at random."""
    model = api()
    for path, verb in draw(
        st.lists(st.sampled_from([("/pets", "GET"), ("/pets", "POST"), ("/pets/{id}", "GET")]))
    ):
        fields: dict[str, Any] = {}
        if draw(st.booleans()):
            fields["timeoutInMillis"] = draw(st.sampled_from([None, 50, 29000, 5000]))
        if draw(st.booleans()):
            fields["uri"] = "https://" + draw(text)
        if draw(st.booleans()):
            fields["requestTemplates"] = draw(st.dictionaries(text, text, max_size=2))
        if draw(st.booleans()):
            fields["passthroughBehavior"] = draw(st.sampled_from(["NEVER", "when_no_match"]))
        model = with_method(model, path, method(verb, **fields))
    return model


@settings(max_examples=60, deadline=None)
@given(mutated(), mutated())
def test_no_changes_exactly_when_the_normalised_models_are_equal(a: ApiModel, b: ApiModel) -> None:
    changes = diff_models(a, b)
    same = normalize(a).model_dump(by_alias=True) == normalize(b).model_dump(by_alias=True)
    assert (changes == []) == same
    assert diff_models(b, b) == []
    # every change is named by a field path that, ignored, takes it away
    assert diff_models(a, b, ignore=[c.field_path for c in changes if c.field]) == []
    # the reverse diff swaps old and new
    back = {(c.name, c.field, json.dumps(c.new), json.dumps(c.old)) for c in diff_models(b, a)}
    assert {(c.name, c.field, json.dumps(c.old), json.dumps(c.new)) for c in changes} == back
    doc = json.loads(render_changes(changes, "json"))
    assert doc["same"] is (changes == []) and len(doc["changes"]) == len(changes)


# -- matching methods: by path, then by verb ---------------------------------------------------

#: a few methods, two of them equal but not the same object
SOME_METHODS = [method("GET"), method("GET"), method("GET", uri="https://other.example.com")]
SOME_METHODS += [method("POST"), method("DELETE", timeoutInMillis=50)]


@st.composite
def layouts(draw: st.DrawFn) -> ApiModel:
    """Resources drawn from few paths and few method objects: paths repeated, a verb twice in
    one resource, the same objects on both sides or equal ones."""
    resources = draw(
        st.lists(
            st.builds(
                lambda path, methods: Resource(path=path, methods=tuple(methods)),
                st.sampled_from(["/a", "/b", "/a/{id}"]),
                st.lists(st.sampled_from(SOME_METHODS), max_size=3),
            ),
            max_size=4,
        )
    )
    return ApiModel(resources=tuple(resources))


def _by_key(left: ApiModel, right: ApiModel) -> list[tuple[str, str]]:
    """The long way: methods by (path, verb), the last of two kept; which pairs differ."""

    def keyed(model: ApiModel) -> dict[tuple[str, str], Method]:
        return {(r.path, m.http_method): m for r in model.resources for m in r.methods}

    old, new = keyed(left), keyed(right)
    return sorted(
        key
        for key in old.keys() | new.keys()
        if key not in old
        or key not in new
        or diff_models(
            ApiModel(resources=(Resource(path="/", methods=(old[key],)),)),
            ApiModel(resources=(Resource(path="/", methods=(new[key],)),)),
        )
    )


@settings(max_examples=200, deadline=None)
@given(layouts(), layouts())
def test_methods_are_matched_as_pairs_of_path_and_verb_whatever_the_layout(
    a: ApiModel, b: ApiModel
) -> None:
    changes, compared = compare_models(a, b, normalized=True)
    assert compared == count_methods(a, b)
    differ = {tuple(reversed(c.name.split(" ", 1))) for c in changes if c.scope is Scope.METHOD}
    assert sorted(differ) == _by_key(a, b)
    assert compare_models(a, a, normalized=True) == ([], count_methods(a))
