"""Reading bytes: format by content, encodings, limits and hostile input, each located."""

from __future__ import annotations

from pathlib import Path

import pytest

from oas2gw.diagnostics import Location
from oas2gw.read import Document, ReadOptions, load_document

MINIMAL = 'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths: {}\n'


def read(
    tmp_path: Path, content: str | bytes, name: str = "api.yaml", **options: object
) -> Document:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return load_document(path, options=ReadOptions(**options))  # type: ignore[arg-type]


def codes_of(doc: Document) -> list[str]:
    return [d.code for d in doc.diagnostics]


def test_yaml_minimal_document_is_clean(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL)
    assert doc.tree == {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}}
    assert doc.diagnostics == []
    assert doc.openapi_version == "3.0.1"
    assert doc.template_kind is None
    assert doc.api_service == "apigateway"


def test_json_is_chosen_by_content_not_extension(tmp_path: Path) -> None:
    doc = read(tmp_path, '{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    assert doc.tree is not None and doc.openapi_version == "2.0"
    assert doc.diagnostics == []


def test_yaml_in_a_json_named_file_is_read_as_yaml(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL, name="api.json")
    assert doc.tree is not None and doc.diagnostics == []


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    doc = read(tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode())
    assert doc.tree is not None and doc.diagnostics == []


def test_text_and_bytes_can_be_given_directly() -> None:
    assert load_document("<text>", text=MINIMAL).tree is not None
    doc = load_document("", text=MINIMAL.encode())
    assert doc.name == "<text>" and doc.tree is not None


def test_locations_are_found_lazily_for_any_pointer(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL)
    assert doc.locator.locate("/info/version") == Location(str(tmp_path / "api.yaml"), 2, 18)
    # a pointer that does not exist falls back to its nearest located ancestor
    assert doc.locator.locate("/info/missing/deeper") == Location(str(tmp_path / "api.yaml"), 2, 1)


def test_json_locations_use_the_same_locator(tmp_path: Path) -> None:
    doc = read(tmp_path, '{\n  "openapi": "3.0.1",\n  "info": {"title": "t"},\n  "paths": {}\n}\n')
    assert doc.locator.locate("/info/title") == Location(str(tmp_path / "api.yaml"), 3, 12)


def test_status_code_keys_stay_usable_and_yaml11_scalars_are_kept(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        MINIMAL.replace("paths: {}", "paths: {}\nx-a: 504e31\nx-b: on\nx-c: 0755\nx-d: 2020-01-02")
        + "x-r:\n  200: {description: ok}\n",
        validate_schema=False,
    )
    assert doc.tree is not None
    assert doc.tree["x-a"] == "504e31"  # a string to YAML 1.1's safe loader
    assert doc.tree["x-b"] is True and doc.tree["x-c"] == 493
    assert doc.tree["x-d"] == "2020-01-02"  # dates stay text: the tree is JSON-shaped
    assert 200 in doc.tree["x-r"]
    assert doc.locator.locate("/x-r/200") == Location(str(tmp_path / "api.yaml"), 9, 3)


def test_yaml_anchors_and_aliases_work(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL + "x-a: &a {k: v}\nx-b: *a\nx-c:\n  <<: *a\n  j: w\n")
    assert doc.tree is not None
    assert doc.tree["x-b"] == {"k": "v"} and doc.tree["x-c"] == {"k": "v", "j": "w"}


def test_duplicate_key_is_E109_at_the_second_key(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL + "x-a:\n  k: 1\n  k: 2\n")
    (diag,) = doc.diagnostics
    assert (diag.code, diag.pointer) == ("E109", "/x-a/k")
    assert diag.location == Location(str(tmp_path / "api.yaml"), 6, 3)
    assert doc.tree is not None and doc.tree["x-a"] == {"k": 2}


def test_duplicate_key_in_json_is_E109(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},\n "paths": {}, "paths": {}}',
    )
    (diag,) = doc.diagnostics
    assert (diag.code, diag.pointer) == ("E109", "/paths")
    assert diag.location is not None and diag.location.line == 2


@pytest.mark.parametrize("anchor", ["", "x-s: &s 1\nx-t: *s\n"])
def test_keys_that_are_one_once_written_as_text_are_E109(tmp_path: Path, anchor: str) -> None:
    """`200` and `'200'` are two keys to YAML and one status code to API Gateway: a reviewer
    would see one response and the API get the other. Found on the fast path and on the full
    constructor's (anchors), at the later key."""
    doc = read(tmp_path, MINIMAL + anchor + "x-r:\n  200: a\n  '200': b\n  404: c\n")
    (diag,) = doc.diagnostics
    assert (diag.code, diag.pointer) == ("E109", "/x-r/200")
    assert "200 and '200' are one key once written as text" in diag.message
    line = 6 + anchor.count("\n")
    assert diag.location == Location(str(tmp_path / "api.yaml"), line, 3)


def test_merge_key_override_is_not_a_duplicate(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL + "x-a: &a {k: v}\nx-c:\n  <<: *a\n  k: w\n")
    assert doc.diagnostics == []


def test_cloudformation_short_tags_become_long_form(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        MINIMAL + "x-a: !Sub 'arn:${AWS::Region}:${Fn.Arn}'\nx-b: !GetAtt Fn.Arn\n"
        "x-c: !Join ['', [a, !Ref B]]\nx-d: !GetAtt [Fn, Arn]\nx-e: !If [C, 1, 2]\n",
        validate_schema=False,
    )
    assert doc.tree is not None
    assert doc.tree["x-a"] == {"Fn::Sub": "arn:${AWS::Region}:${Fn.Arn}"}
    assert doc.tree["x-b"] == {"Fn::GetAtt": ["Fn", "Arn"]} == doc.tree["x-d"]
    assert doc.tree["x-c"] == {"Fn::Join": ["", ["a", {"Ref": "B"}]]}
    assert doc.tree["x-e"] == {"Fn::If": ["C", 1, 2]}
    assert doc.locator.locate("/x-c/Fn::Join/1/1/Ref") == Location(
        str(tmp_path / "api.yaml"), 6, 21
    )


def test_unknown_tag_is_E110_with_location(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL + "x-a: !Danger rm -rf\n")
    (diag,) = doc.diagnostics
    assert diag.code == "E110" and "!Danger" in diag.message
    assert diag.location == Location(str(tmp_path / "api.yaml"), 4, 6)


def test_python_tags_are_refused_not_executed(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL + "x-a: !!python/object/apply:os.system ['touch canary']\n")
    assert "E110" in codes_of(doc)
    assert not (tmp_path / "canary").exists()


HOSTILE = {
    "empty": (b"", "E103", 1),
    "only-comments": (b"# nothing\n\n", "E103", None),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "E102", 1),
    "invalid-utf8": (b"openapi: 3.0.1\ninfo: \xc3\x28\n", "E102", 2),
    "utf16": ("openapi: 3.0.1".encode("utf-16"), "E102", 1),
    "malformed-yaml": (b"openapi: 3.0.1\npaths: [\n", "E104", 3),
    "malformed-json": (b'{"openapi": "3.0.1",\n "paths": }', "E104", 2),
    "tab-indent": (b"openapi: 3.0.1\npaths:\n\t/a: {}\n", "E104", 3),
    "two-documents": (b"a: 1\n---\nb: 2\n", "E104", 2),
    "list-at-top": (b"- a\n- b\n", "E112", 1),
    "scalar-at-top": (b"just text\n", "E112", 1),
    "unhashable-key": (b"? [a, b]\n: c\n", "E111", 1),
    "deep-flow": (b"[" * 100_000 + b"]" * 100_000, "E106", 1),
    "deep-block": (b"- " * 100_000 + b"x\n", "E106", 1),
    "deep-json": (b'{"a":' * 2000 + b"1" + b"}" * 2000, "E106", 1),
    "deep-under-limit-but-over-option": (b"a: " + b"[" * 300 + b"]" * 300, "E106", 1),
    "recursive-alias": (b"a: &a [*a]\n", "E108", 1),
    "alias-bomb": (
        b'a: &a ["l","l","l","l","l","l","l","l","l"]\n'
        + b"".join(
            f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n".encode()
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "E107",
        1,
    ),
    "no-version": (b"info: {title: t}\npaths: {}\n", "E201", 1),
    "unknown-version": (b"openapi: 4.0.0\ninfo: {title: t}\npaths: {}\n", "E201", 1),
    "swagger-1.2": (b"swagger: '1.2'\n", "E201", 1),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_gives_a_located_diagnostic_never_an_exception(
    tmp_path: Path, case: str
) -> None:
    content, code, line = HOSTILE[case]
    doc = read(tmp_path, content)
    assert code in codes_of(doc), [d.render() for d in doc.diagnostics]
    diag = next(d for d in doc.diagnostics if d.code == code)
    assert diag.is_error
    if line is not None:
        assert diag.location is not None and diag.location.line == line
    rendered = diag.render()
    assert "\n" not in rendered and code in rendered


def test_size_limit_is_E105_before_reading(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL, max_bytes=10)
    assert codes_of(doc) == ["E105"] and doc.tree is None


def test_alias_limit_is_an_option(tmp_path: Path) -> None:
    content = MINIMAL + "x-a: &a [1]\nx-b: [*a, *a, *a]\n"
    assert read(tmp_path, content).tree is not None
    assert codes_of(read(tmp_path, content, max_aliases=2)) == ["E107"]


def test_missing_file_and_directory_are_E101(tmp_path: Path) -> None:
    assert codes_of(load_document(tmp_path / "nope.yaml")) == ["E101"]
    assert codes_of(load_document(tmp_path)) == ["E101"]


def test_openapi_31_is_read_with_W202(tmp_path: Path) -> None:
    doc = read(tmp_path, MINIMAL.replace("3.0.1", "3.1.0"))
    assert doc.tree is not None and doc.openapi_version == "3.1.0"
    (diag,) = doc.diagnostics
    assert (diag.code, diag.pointer) == ("W202", "/openapi")
    assert diag.location == Location(str(tmp_path / "api.yaml"), 1, 1)


def test_swagger_version_as_a_number_is_20(tmp_path: Path) -> None:
    doc = read(tmp_path, "swagger: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    assert doc.openapi_version == "2.0" and doc.diagnostics == []


def test_a_megabyte_document_loads(tmp_path: Path) -> None:
    lines = [MINIMAL.replace("paths: {}", "paths:")]
    for i in range(3000):
        lines.append(
            f"  /p{i}/{{id}}:\n    get:\n      parameters:\n"
            "        - {name: id, in: path, required: true, schema: {type: string}}\n"
            "      responses:\n        '200': {description: ok}\n"
            "      x-amazon-apigateway-integration:\n        type: aws\n        httpMethod: POST\n"
            "        uri: arn:aws:apigateway:us-east-1:dynamodb:action/GetItem\n"
            "        requestTemplates:\n"
            '          application/json: \'{"TableName": "t", "Key": {"id": {"S": "x"}}}\'\n'
        )
    content = "".join(lines)
    assert len(content) > 1_000_000
    doc = read(tmp_path, content)
    assert doc.tree is not None and len(doc.tree["paths"]) == 3000
    assert doc.diagnostics == []
    json_doc = read(tmp_path, __import__("json").dumps(doc.tree), name="api.json")
    assert json_doc.tree == doc.tree and json_doc.diagnostics == []


def test_json_surrogate_escapes_do_not_lose_locations() -> None:
    text = '{"openapi": "3.0.1", "info": {"title": "\\ud83d\\ude00", "version": "1"}, "paths": {}}'
    doc = load_document("x.json", text=text)
    assert doc.tree is not None and doc.tree["info"]["title"] == "\U0001f600"
    assert doc.locator.locate("/info/version") == Location("x.json", 1, 56)


def test_tab_indented_json_is_located() -> None:
    text = '{\n\t"openapi": "3.0.1",\n\t"info": {"title": "t", "version": "1"},\n\t"paths": {}\n}'
    doc = load_document("x.json", text=text)
    assert doc.diagnostics == []
    assert doc.locator.locate("/info/title") == Location("x.json", 3, 11)


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(MINIMAL.encode())

    monkeypatch.setattr(sys, "stdin", Stdin)
    doc = load_document("-")
    assert doc.name == "<stdin>" and doc.tree is not None and doc.diagnostics == []
    assert doc.locator.locate("/paths") == Location("<stdin>", 3, 1)


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 100_000 + "]" * 100_000 + "\n", "a: " + "{x: " * 50_000],
    ids=["closed", "unclosed"],
)
def test_very_deep_flow_nesting_is_refused_before_libyaml_walks_it(text: str) -> None:
    """libyaml's parser slows with the square of the depth (35 s at 100,000 levels): the depth
    is measured first, stopping at the limit."""
    doc = load_document("deep.yaml", text=text)
    assert doc.tree is None
    assert [d.code for d in doc.diagnostics] == ["E106"]
