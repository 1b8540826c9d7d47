"""The shortcuts the builder and the rules take for speed answer what the long way answers.

Each shortcut skips work only where the result is known: a set lookup before a regex, a cached
verdict on a string, a pointer joined only when a finding needs it. These tests hold each one
against the computation it replaces, on random values, and hold every pointer the builder
reports against the tree it came from, on broken copies of the corpus and the samples.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.diagnostics import escape_pointer_token, join_pointer, pointer_at, split_pointer
from oas2gw.model import rules
from oas2gw.model.build import build_model
from oas2gw.model.types import Integration, IntegrationResponse
from tests.conftest import corpus_files, sample_files

#: characters the expressions are made of, so that random text often almost matches
EXPRESSION = st.text(
    alphabet=st.sampled_from(list("method.request.response.integration.header'{}$/~ 0123aZ-_")),
    max_size=40,
)
FEW = settings(max_examples=300, deadline=None)


@FEW
@given(st.text(max_size=12), st.one_of(st.text(max_size=12), st.integers()))
def test_one_token_pointer_is_join_pointer(base: str, token: str | int) -> None:
    assert pointer_at(base, token) == join_pointer(base, token)
    assert escape_pointer_token(token) == str(token).replace("~", "~0").replace("/", "~1")


@FEW
@given(EXPRESSION)
def test_cached_expression_verdicts_are_the_regular_expressions(value: str) -> None:
    key = rules.INTEGRATION_REQUEST_KEY.fullmatch(value)
    assert rules._integration_request_key(value) == ((key[1], key[2]) if key else None)
    source = rules.METHOD_REQUEST_PARAM.fullmatch(value)
    other = (
        rules.METHOD_BODY.fullmatch(value)
        or rules.STAGE_OR_CONTEXT.fullmatch(value)
        or rules._is_static(value)
    )
    expected = (source[1], source[2]) if source else (True if other else None)
    assert rules._request_source(value) == expected
    assert rules._method_response_header(value) == bool(
        rules.METHOD_RESPONSE_HEADER.fullmatch(value)
    )
    assert rules._response_source(value) == bool(
        rules.INTEGRATION_RESPONSE_HEADER.fullmatch(value)
        or rules.INTEGRATION_BODY.fullmatch(value)
        or rules.STAGE_OR_CONTEXT.fullmatch(value)
        or rules._is_static(value)
    )


@FEW
@given(EXPRESSION)
def test_texts_without_a_brace_have_no_placeholder(value: str) -> None:
    assert rules._placeholders_removed(value) == rules.URI_PARAM.sub(
        "p", rules.STAGE_VARIABLE.sub("0", value)
    )
    names = (n.strip() for n in rules._PLACEHOLDER.findall(value))
    expected = list(dict.fromkeys(n for n in names if not n.startswith("stageVariables.")))
    assert rules.unsubstituted(value) == expected


@FEW
@given(st.text(alphabet=st.sampled_from(list('ab%0fG/?#[]{} "é~')), max_size=12))
def test_unescaped_url_pattern_only_shortens_the_url_check(text: str) -> None:
    if rules.URL_SAFE_UNESCAPED.fullmatch(text):
        assert rules.URL_SAFE.fullmatch(text)
    if "%" not in text:
        assert bool(rules.URL_SAFE_UNESCAPED.fullmatch(text)) == bool(
            rules.URL_SAFE.fullmatch(text)
        )


def test_status_code_set_is_what_the_pattern_accepts_in_ascii() -> None:
    ascii_codes = {f"{a}{b}{c}" for a in "0123456789" for b in "0123456789" for c in "0123456789"}
    matched = {code for code in ascii_codes if rules.STATUS_CODE.fullmatch(code)}
    assert matched == rules._ASCII_STATUS_CODES


def test_known_values_are_the_fallback_lists() -> None:
    for shape, values in rules._ENUM_FALLBACKS.items():
        assert rules._KNOWN_VALUES[shape] == set(values)
    assert {None, *rules._ENUM_FALLBACKS["ContentHandlingStrategy"]} == rules._KNOWN_HANDLINGS


LOCATIONS = st.sampled_from(
    ["querystring", "path", "header", "multivaluequerystring", "multivalueheader"]
)
NAMES = st.sampled_from(["id", "Id", "ID", "q", "X-Tenant", "x-tenant"])


@FEW
@given(
    st.dictionaries(
        st.builds(lambda loc, name: f"method.request.{loc}.{name}", LOCATIONS, NAMES),
        st.booleans(),
        max_size=4,
    ),
    LOCATIONS,
    NAMES,
)
def test_declared_parameter_lookup_is_the_case_folding_set_test(
    parameters: dict[str, bool], location: str, name: str
) -> None:
    single = location.replace("multivalue", "")
    wanted = {f"method.request.{single}.{name}", f"method.request.{location}.{name}"}
    have = set(parameters)
    if single == "header":
        wanted = {w.lower() for w in wanted}
        have = {h.lower() for h in have}
    assert rules._declares(parameters, location, name) == bool(wanted & have)


TEXT = st.one_of(
    st.text(max_size=5),
    st.fixed_dictionaries({"Fn::Sub": st.text(max_size=5)}),
    st.fixed_dictionaries({}),
    st.fixed_dictionaries({"a": st.integers()}),
)


@FEW
@given(
    st.one_of(st.none(), TEXT),
    st.dictionaries(st.text(max_size=3), TEXT, max_size=3),
    st.dictionaries(st.text(max_size=3), TEXT, max_size=3),
)
def test_objects_without_a_mapping_in_a_text_field_have_no_intrinsic_finding(
    uri: Any, parameters: dict[str, Any], templates: dict[str, Any]
) -> None:
    objects = [
        Integration(type="HTTP", uri=uri, requestParameters=parameters, requestTemplates=templates),
        IntegrationResponse(
            statusCode="200", responseParameters=parameters, responseTemplates=templates
        ),
    ]
    for obj in objects:
        checker = rules._Rules(rules.ApiModel())
        checker.intrinsics_in(obj, "/x")
        if not rules._holds_mapping(obj):
            assert checker.out.items == []


def test_integration_responses_hold_text_only_in_their_two_maps() -> None:
    # check_intrinsics skips a response whose two maps are empty
    assert rules._text_field_names(IntegrationResponse) == (
        (),
        ("response_parameters", "response_templates"),
    )


def _resolves(tree: Any, pointer: str) -> bool:
    node = tree
    for token in split_pointer(pointer):
        if isinstance(node, dict):
            matches = [k for k in node if str(k) == token]
            if not matches:
                return False
            node = node[matches[0]]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


BREAKAGE: list[Any] = [None, 1, "x", [], {}, True, ["a"], {"a": 1}, {"Fn::Sub": "${X}"}, "a/b~c"]


def _broken(tree: Any, rng: random.Random) -> Any:
    """A copy of `tree` with a few values replaced by values of the wrong shape."""
    tree = copy.deepcopy(tree)
    for _ in range(rng.choice([1, 2, 4])):
        nodes: list[Any] = []
        stack = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, (dict, list)) and node:
                nodes.append(node)
                stack.extend(node.values() if isinstance(node, dict) else node)
        if not nodes:
            break
        node = rng.choice(nodes)
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        node[key] = copy.deepcopy(rng.choice(BREAKAGE))
    return tree


@pytest.mark.parametrize("seed", range(3))
def test_every_builder_pointer_names_a_node_of_the_broken_document(seed: int) -> None:
    read = pytest.importorskip("oas2gw.read")
    rng = random.Random(seed)
    for path in [*sample_files(), *corpus_files()]:
        document = read.load_document(path)
        if document.tree is None:
            continue
        for _ in range(10):
            tree = _broken(document.tree, rng)
            model, diags = build_model(tree)
            for diag in diags:
                if diag.code != "E252":  # pydantic's findings may name a field the key lacks
                    assert _resolves(tree, diag.pointer), (path.name, diag)
            for resource, method in model.iter_methods():
                assert _resolves(tree, resource.pointer) and _resolves(tree, method.pointer)
                integ = method.integration
                if integ is not None:
                    assert _resolves(tree, integ.pointer), (path.name, integ.pointer)
                    for response in integ.responses:
                        assert _resolves(tree, response.pointer), (path.name, response.pointer)
                for mr in method.responses:
                    assert _resolves(tree, mr.pointer), (path.name, mr.pointer)
