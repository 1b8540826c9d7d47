"""The shortcuts of reading saved JSON and comparing methods, each against the long way:
two dumps of one API share the methods they hold as the same JSON (`MethodMemo`); a method is
validated whole, in canonical form; a pair of methods is compared without dumping. Each must
give what the long way gives, model, diagnostics and diff alike, whatever the dumps hold."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw.diff import (
    _differing_fields,
    _dump,
    _same_dump,
    count_methods,
    diff_models,
    render_changes,
)
from oas2gw.diff_sources import diff_sides, read_side
from oas2gw.export import dump as dump_module
from oas2gw.export.dump import AwsParts, MethodMemo, _Converter, read_dump
from oas2gw.model.normalize import normalize, normalize_method
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # benchmarks/ is not a package: found through sys.path

OPS = 40
BASE = generate.resources_dump(OPS)
DRIFT = generate.resources_dump(OPS, drift=True)
AUTHORIZERS = {"items": [{"id": "auth01", "name": "Lambda", "type": "TOKEN"}]}
VALIDATORS = {"items": [{"id": "val001", "name": "all", "validateRequestBody": True}]}

#: values that compare equal in Python but are different JSON, and ones the models refuse
JSON_VALUES = st.sampled_from(
    [0, 1, 1.0, True, False, None, "", "1", "internet", "INTERNET", 29000, 29000.0, "29000",
     [], {}, {"Fn::Sub": "x"}, {"Fn::Sub": 1}, {"Fn::Sub": True}, [1], [True], -0.0, 0.0,
     2**70, "res001", "auth01", "nope99"]
)  # fmt: skip
FIELDS = st.sampled_from(
    ["authorizationType", "apiKeyRequired", "operationName", "authorizerId",
     "requestValidatorId", "requestParameters", "x-unknown", "httpMethod",
     "methodIntegration.timeoutInMillis", "methodIntegration.connectionType",
     "methodIntegration.timeout_in_millis", "methodIntegration.passthroughBehavior",
     "methodIntegration.cacheNamespace", "methodIntegration.x-new", "methodIntegration.type",
     "methodIntegration.requestTemplates", "methodIntegration.cacheKeyParameters",
     "methodIntegration.integrationResponses", "methodResponses", "methodIntegration"]
)  # fmt: skip

RESPONSE_FIELDS = st.sampled_from(
    ["responseParameters", "responseTemplates", "responseModels", "selectionPattern",
     "contentHandling", "statusCode", "x-unknown"]
)  # fmt: skip


def _mutations(examples: int) -> settings:
    """Hypothesis settings for tests that write and read mutated dumps (slow, in `tmp_path`)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _methods(dump: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for item in dump["items"] for m in (item.get("resourceMethods") or {}).values()]


def _dict(value: Any) -> dict[str, Any]:
    """`value` when a mutation left it an object, else an empty one (changes go nowhere)."""
    return value if isinstance(value, dict) else {}


def _mutate(dump: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    out = copy.deepcopy(dump)
    methods = _methods(out)
    for _ in range(data.draw(st.integers(1, 4))):
        how = data.draw(
            st.sampled_from(
                [
                    "set",
                    "drop",
                    "reorder",
                    "resource-id",
                    "page",
                    "default",
                    "responses",
                    "response-field",
                ]
            )
        )
        method = methods[data.draw(st.integers(0, len(methods) - 1))]
        integration = _dict(method.get("methodIntegration"))
        if how == "default":  # a selection pattern of "" is the default response
            for response in _dict(integration.get("integrationResponses")).values():
                if isinstance(response, dict):
                    response["selectionPattern"] = data.draw(st.sampled_from(["", None, ".*"]))
            continue
        if how == "resource-id":
            item = out["items"][data.draw(st.integers(0, len(out["items"]) - 1))]
            item["id"] = data.draw(st.sampled_from(["res001", "zz99zz99", None]))
            continue
        if how == "page":  # the same resource once more, as a second page would repeat it
            out["items"].append(copy.deepcopy(out["items"][-1]))
            continue
        if how == "responses":  # out of status order, or a status code of another type
            several = [m for m in methods if len(_dict(m.get("methodResponses"))) > 1]
            method = several[data.draw(st.integers(0, len(several) - 1))] if several else method
            integration = _dict(method.get("methodIntegration"))
            for holder, key in ((method, "methodResponses"), (integration, "integrationResponses")):
                if not isinstance(holder.get(key), dict):
                    continue
                holder[key] = dict(reversed(list(holder[key].items())))
                for response in holder[key].values():
                    if isinstance(response, dict) and data.draw(st.integers(0, 5)) == 0:
                        response["statusCode"] = data.draw(st.sampled_from([200, "2XX", True]))
            continue
        if how == "response-field":  # one of a response's members, in one of its copies
            holders = [
                _dict(method.get("methodResponses")),
                _dict(integration.get("integrationResponses")),
            ]
            responses = [r for holder in holders for r in holder.values() if isinstance(r, dict)]
            if responses:
                response = responses[data.draw(st.integers(0, len(responses) - 1))]
                response[data.draw(RESPONSE_FIELDS)] = copy.deepcopy(data.draw(JSON_VALUES))
            continue
        if how == "reorder":
            reordered = dict(reversed(list(method.items())))
            method.clear()
            method.update(reordered)
            continue
        target, _, key = data.draw(FIELDS).rpartition(".")
        holder = method.get(target) if target else method
        if not isinstance(holder, dict):
            continue
        if how == "drop":
            holder.pop(key, None)
        else:
            holder[key] = copy.deepcopy(data.draw(JSON_VALUES))
    return out


def _write(tmp: Path, name: str, *values: dict[str, Any]) -> str:
    path = tmp / name
    try:
        path.write_bytes(b"\n".join(orjson.dumps(v) for v in values))
    except orjson.JSONEncodeError:  # past 64 bits: the json module writes it
        path.write_text("\n".join(json.dumps(v) for v in values))
    return str(path)


def _read(path: str, memo: MethodMemo | None = None) -> tuple[str, list[str]]:
    """The model as `repr` shows it (which tells `1` from `True`, unlike `==`) and the
    diagnostics."""
    model, diags = read_dump([path], memo=memo)
    return repr(model), [d.render() for d in diags]


def _assert_same_as_reading_alone(left: str, right: str) -> None:
    memo = MethodMemo()
    assert _read(left, memo) == _read(left)
    assert _read(right, memo) == _read(right)
    a, _ = read_dump([left])
    b, _ = read_dump([right])
    assert a is not None and b is not None
    changes = diff_models(a, b, normalized=True)
    expected = render_changes(changes, "json", compared=count_methods(a, b), left=left, right=right)
    assert diff_sides(left, right).render("json") == expected


@_mutations(60)
@given(data=st.data())
def test_a_mutated_dump_reads_the_same_with_the_memo_as_alone(
    tmp_path: Path, data: st.DataObject
) -> None:
    left = _write(tmp_path, "left.json", BASE, AUTHORIZERS, VALIDATORS)
    right = _write(tmp_path, "right.json", _mutate(BASE, data), AUTHORIZERS, VALIDATORS)
    _assert_same_as_reading_alone(left, right)


@_mutations(40)
@given(data=st.data())
def test_a_dump_read_in_canonical_form_is_what_normalising_its_full_reading_gives(
    tmp_path: Path, data: st.DataObject
) -> None:
    """The reader leaves out read-back defaults before building (no copy afterwards): the
    same as reading them in (`keep_defaults`) and normalising."""
    dump = _mutate(BASE, data)
    path = _write(tmp_path, "d.json", dump, AUTHORIZERS, VALIDATORS)
    full, _ = read_dump([path], keep_defaults=True)
    assert full is not None
    ids = {
        item["path"]: item["id"]
        for item in dump["items"]
        if isinstance(item.get("path"), str) and isinstance(item.get("id"), str)
    }
    assert _read(path)[0] == repr(normalize(full, resource_ids=ids))
    # each method read is in canonical form already: normalising hands it back as it is
    for keep in (False, True):
        read, _ = read_dump([path], keep_defaults=keep)
        assert read is not None
        for resource, method in read.iter_methods():
            resource_id = ids.get(resource.path)
            assert normalize_method(method, keep_defaults=keep, resource_id=resource_id) is method


@_mutations(40)
@given(data=st.data())
def test_a_method_validated_whole_is_the_one_built_part_by_part(data: st.DataObject) -> None:
    """The reader's one-validation path for well-formed methods gives what building each
    part and then the method gives, once normalised as both are read (the part-by-part path
    sorts responses on the way), or steps aside (None) for that path to report."""
    dump = _mutate(BASE, data)
    parts = AwsParts(resources=dump["items"], authorizers=AUTHORIZERS["items"])
    whole, by_parts = _Converter(parts, ""), _Converter(parts, "")
    for item in dump["items"]:
        for verb, body in (item.get("resourceMethods") or {}).items():
            if not isinstance(body, dict):
                continue
            names = whole.names(body)
            quick = whole.whole_method({"httpMethod": verb, **body}, names, item.get("id"))
            if quick is None:
                continue
            before = len(by_parts.diags.items)
            built = by_parts.method({"httpMethod": verb, **body}, "", names, item.get("id"))
            assert built is not None
            resource_id = item.get("id")
            assert repr(normalize_method(quick, resource_id=resource_id)) == repr(
                normalize_method(built, resource_id=resource_id)
            )
            assert by_parts.diags.items[before:] == []


def test_the_benchmark_drift_reads_the_same_with_the_memo_as_alone(tmp_path: Path) -> None:
    _assert_same_as_reading_alone(
        _write(tmp_path, "a.json", BASE), _write(tmp_path, "b.json", DRIFT)
    )


def test_methods_read_from_the_same_json_are_shared_and_others_are_not(tmp_path: Path) -> None:
    memo = MethodMemo()
    a, _ = read_dump([_write(tmp_path, "a.json", BASE)], memo=memo)
    b, _ = read_dump([_write(tmp_path, "b.json", DRIFT)], memo=memo)
    assert a is not None and b is not None
    pairs = list(zip(a.iter_methods(), b.iter_methods(), strict=True))
    shared = [(r.path, m.http_method) for (r, m), (_, n) in pairs if m is n]
    changed = {(r.path, m.http_method) for (r, m), (_, n) in pairs if m != n}
    assert changed and shared
    assert not changed & set(shared)
    # a resource whose methods are all shared is shared too; one with a changed method is not
    resources = list(zip(a.resources, b.resources, strict=True))
    assert any(r is s for r, s in resources)
    for r, s in resources:
        same_methods = len(r.methods) == len(s.methods) and all(
            m is n for m, n in zip(r.methods, s.methods, strict=True)
        )
        assert r is not s or same_methods


def test_an_authorizer_named_differently_on_the_right_is_read_again(tmp_path: Path) -> None:
    renamed = {"items": [{"id": "auth01", "name": "Other", "type": "TOKEN"}]}
    left = _write(tmp_path, "a.json", BASE, AUTHORIZERS)
    right = _write(tmp_path, "b.json", BASE, renamed)
    _assert_same_as_reading_alone(left, right)
    result = diff_sides(left, right)
    assert {c.field for c in result.changes if c.scope.value == "method"} == {("authorizer",)}


def test_an_unnamed_authorizer_is_warned_about_once_per_side(tmp_path: Path) -> None:
    left = _write(tmp_path, "a.json", BASE)
    right = _write(tmp_path, "b.json", BASE)
    _assert_same_as_reading_alone(left, right)
    warnings = [d for d in diff_sides(left, right).diagnostics if d.code == "W404"]
    assert sorted(d.file or "" for d in warnings if "auth01" in d.message) == [left, right]


def test_nan_in_a_dump_turns_the_memo_off(tmp_path: Path) -> None:
    dump = copy.deepcopy(BASE)
    _methods(dump)[0]["x-odd"] = None
    right = tmp_path / "b.json"
    right.write_text(json.dumps(dump).replace('"x-odd": null', '"x-odd": NaN', 1))
    left = _write(tmp_path, "a.json", dump)
    _assert_same_as_reading_alone(left, str(right))
    memo = MethodMemo()
    read_dump([left], memo=memo)
    b, _ = read_dump([str(right)], memo=memo)
    c, _ = read_dump([left], memo=memo)
    assert b is not None and c is not None
    pairs = zip(b.iter_methods(), c.iter_methods(), strict=True)
    assert all(m is not n for (_, m), (_, n) in pairs)


@pytest.mark.parametrize("reversed_key", ["methodResponses", "integrationResponses"])
def test_responses_out_of_status_order_read_whole_normalise_as_read_part_by_part(
    tmp_path: Path, reversed_key: str
) -> None:
    """`whole_method` takes responses in the order written and `method` sorts them; once
    normalised (which sorts the same stable way) the two are the same method."""
    dump = copy.deepcopy(BASE)
    for method in _methods(dump):
        holder = method if reversed_key == "methodResponses" else method["methodIntegration"]
        holder[reversed_key] = dict(reversed(list((holder.get(reversed_key) or {}).items())))
    parts = AwsParts(resources=dump["items"], authorizers=AUTHORIZERS["items"])
    converter = _Converter(parts, "")
    reversed_ones = 0
    for item in dump["items"]:
        for verb, body in (item.get("resourceMethods") or {}).items():
            names = converter.names(body)
            quick = converter.whole_method({"httpMethod": verb, **body}, names, item["id"])
            slow = converter.method({"httpMethod": verb, **body}, "", names, item["id"])
            assert quick is not None and slow is not None
            assert normalize_method(quick, resource_id=item["id"]) == normalize_method(
                slow, resource_id=item["id"]
            )
            holder = body if reversed_key == "methodResponses" else body["methodIntegration"]
            reversed_ones += len(holder.get(reversed_key) or {}) > 1
    assert reversed_ones
    path = _write(tmp_path, "d.json", dump, AUTHORIZERS)
    model, _ = read_dump([path])
    assert model is not None
    for _, method in model.iter_methods():
        assert method.integration is not None
        for responses in (method.responses, method.integration.responses):
            codes = [r.status_code for r in responses]
            assert codes == sorted(codes)


def _pairs(left: Any, right: Any) -> list[tuple[Any, Any]]:
    old = {(r.path, m.http_method): m for r, m in left.iter_methods()}
    keyed = ((old.get((r.path, m.http_method)), m) for r, m in right.iter_methods())
    return [(a, b) for a, b in keyed if a is not None]


@_mutations(30)
@given(data=st.data())
def test_methods_found_alike_without_dumping_dump_alike(
    tmp_path: Path, data: st.DataObject
) -> None:
    """`_same_dump` may only say True when the dumps are equal (the diff then skips them)."""
    document = tmp_path / "api.json"
    document.write_bytes(orjson.dumps(generate.document(OPS)))
    left = read_side(str(document)).model
    right, _ = read_dump([_write(tmp_path, "d.json", _mutate(BASE, data), AUTHORIZERS)])
    same, _ = read_dump([_write(tmp_path, "s.json", BASE, AUTHORIZERS)])
    assert left is not None and right is not None and same is not None
    alike = 0
    for a, b in _pairs(left, right) + _pairs(same, right):
        if _same_dump(a, b):
            alike += 1
            assert _dump(a) == _dump(b)
    assert alike


@_mutations(20)
@given(data=st.data())
def test_fields_left_out_of_a_method_compare_dump_alike(
    tmp_path: Path, data: st.DataObject
) -> None:
    """The diff dumps only `_differing_fields`: every other field must dump equal on both sides,
    and the restricted dump must be the whole dump's part, in the same key order."""
    document = tmp_path / "api.json"
    document.write_bytes(orjson.dumps(generate.document(OPS)))
    left = read_side(str(document)).model
    right, _ = read_dump([_write(tmp_path, "d.json", _mutate(BASE, data), AUTHORIZERS)])
    assert left is not None and right is not None
    for a, b in _pairs(left, right):
        fields = _differing_fields(a, b)
        assert fields is not None
        aliases = {type(a).model_fields[n].alias or n for n in fields}
        whole_a, whole_b = _dump(a), _dump(b)
        rest_a = {k: v for k, v in whole_a.items() if k not in aliases}
        assert rest_a == {k: v for k, v in whole_b.items() if k not in aliases}
        part = _dump(a, fields=fields)
        assert list(part.items()) == [(k, v) for k, v in whole_a.items() if k in aliases]
        assert (not fields) == _same_dump(a, b)


def test_a_reading_that_remembers_nothing_keeps_no_text_and_takes_what_it_can(
    tmp_path: Path,
) -> None:
    """`diff` reads its last side so: nothing reads after it."""
    memo = MethodMemo()
    read_dump([_write(tmp_path, "a.json", BASE)], memo=memo)
    kept, entries = len(memo.texts), len(memo.entries)
    assert kept > 0 and entries == len(_methods(BASE))
    memo.remember = False
    b, _ = read_dump([_write(tmp_path, "b.json", DRIFT)], memo=memo)
    assert b is not None and len(memo.texts) == kept
    assert not memo.entries  # each entry served the second reading, shared or not
    alone, _ = read_dump([_write(tmp_path, "b.json", DRIFT)])
    assert repr(b) == repr(alone)


@_mutations(60)
@given(data=st.data())
def test_responses_shared_by_their_json_read_as_each_built_alone(
    tmp_path: Path, data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A response saved as the same JSON as one read before is that object: the model and
    the diagnostics are what building every response on its own gives."""
    path = _write(tmp_path, "d.json", _mutate(BASE, data), AUTHORIZERS, VALIDATORS)
    shared = _read(path)
    with monkeypatch.context() as patched:
        patched.setattr(dump_module, "_SHARED_KEPT", 0)
        assert _read(path) == shared


def test_equal_responses_are_one_object_and_different_json_is_not(tmp_path: Path) -> None:
    dump = copy.deepcopy(BASE)
    chosen = [(item["path"], verb, body) for item in dump["items"]
              for verb, body in (item.get("resourceMethods") or {}).items()
              if isinstance(body.get("methodIntegration"), dict)][:3]  # fmt: skip
    for (_, _, body), flag in zip(chosen, (True, True, 1), strict=True):
        body["methodIntegration"]["integrationResponses"] = {"200": {"x-flag": flag}}
    model, _ = read_dump([_write(tmp_path, "d.json", dump)])
    assert model is not None
    by_key = {(r.path, m.http_method): m for r, m in model.iter_methods()}
    a, b, c = (by_key[(path, verb)].integration.responses[0] for path, verb, _ in chosen)  # type: ignore[union-attr]
    assert a is b and a is not c
    assert (repr(a.extensions), repr(c.extensions)) == ("{'x-flag': True}", "{'x-flag': 1}")
