"""OpenAPI structural validation with openapi-spec-validator's verdicts, at a fraction of its cost.

openapi-spec-validator checks a document in two passes: the OpenAPI JSON schema (draft-04, run by
the interpreted `jsonschema`), then a walk that meta-checks every schema object, looks for
duplicate operation ids and parameters, unresolved path parameters, duplicate tags and invalid
`default` values. On a 10,000-operation document that costs seconds, most of it in `jsonschema`
and in its lists of visited schemas (quadratic in the number of schemas).

The fast path gives the same verdict much sooner:

1. the same JSON schemas that openapi-spec-validator ships, compiled to Python by
   `fastjsonschema` (formats off and defaults off, as `jsonschema` runs them there), through
   `fastcode.GuardedGenerator`, which decides `oneOf`/`anyOf`/`not` without raising an
   exception per failed alternative wherever that provably gives the same outcome;
2. the same walk, in the same order, over the same objects (so its "visited" rules match), with
   meta-checks and `default` checks done by the very validators openapi-spec-validator uses,
   cached by content because large documents repeat the same small schemas thousands of times.

The fast path only ever says "valid". Whenever it finds a problem, or meets anything it does not
model exactly (OpenAPI 3.1, a non-local or percent-encoded `$ref`, an extension key among the
paths, anything unexpected), it hands the document to openapi-spec-validator, which stays the
reference: its verdict and its messages are the ones reported. A differential test compares the
two over the corpus and mutated documents.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

__all__ = ["SchemaProblem", "fast_verdict", "reference_problems", "validate_tree"]

OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_VERSION = re.compile(r"(?P<major>\d+)\.(?P<minor>\d+)(\..*)?")
_MAX_REF_HOPS = 64
_MAX_DEPTH = 200


@dataclass(frozen=True)
class SchemaProblem:
    """One finding of the OpenAPI structural check; `pointer` is "" when the place is unknown."""

    message: str
    pointer: str = ""


class _Uncertain(Exception):
    """The fast path cannot vouch for this document; the reference must decide."""


class _Invalid(Exception):
    """The fast path found a problem; the reference words it (and confirms it)."""


def validate_tree(tree: Any, base_uri: str = "") -> list[SchemaProblem]:
    """Every OpenAPI structural problem of `tree` (empty when it is valid), as the reference."""
    if fast_verdict(tree):
        return []
    return reference_problems(tree, base_uri)


def fast_verdict(tree: Any) -> bool:
    """True only when openapi-spec-validator would find `tree` valid; False means "ask it"."""
    try:
        version = _spec_version(tree)
        if version is None:
            return False
        check = _compiled_schema(version)
        if check is None:
            return False
        check(tree)  # raises on the first structural problem
        _Walk(tree, version).run()
    except Exception:  # an invalid document, an unmodelled case or a missing package alike
        return False
    return True


def reference_problems(tree: Any, base_uri: str = "") -> list[SchemaProblem]:
    """openapi-spec-validator's findings: the schema pass with pointers, then its walk."""
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation.exceptions import ValidatorDetectError

    try:
        cls = get_validator_cls(tree)
    except (ValidatorDetectError, TypeError, AttributeError):
        return [SchemaProblem("no OpenAPI version: expected `swagger: '2.0'` or `openapi: 3.x.y`")]
    problems: list[SchemaProblem] = []
    try:
        validator = cls(tree, base_uri=base_uri)
        for err in cls.schema_validator.iter_errors(tree):
            pointer = "".join("/" + _escape(part) for part in err.absolute_path)
            problems.append(SchemaProblem(err.message, pointer))
        for err in validator.root_validator(validator.schema_path):
            problems.append(SchemaProblem(str(getattr(err, "message", err))))
    except Exception as exc:  # the reference itself gave up (an unresolvable $ref, ...)
        problems.append(SchemaProblem(f"{type(exc).__name__}: {exc}"))
    return problems


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _spec_version(tree: Any) -> str | None:
    """ "2.0" or "3.0" exactly where openapi-spec-validator would pick those; else None."""
    if not isinstance(tree, dict):
        return None
    for keyword, major, minor in (("swagger", "2", "0"), ("openapi", "3", "0")):
        if keyword in tree:
            value = tree[keyword]
            if not isinstance(value, str):
                return None
            m = _VERSION.match(value)
            if m and (m["major"], m["minor"]) == (major, minor):
                return f"{major}.{minor}"
    return None


@cache
def _package_text(package: str, relative: str) -> str:
    """A file shipped inside `package`, found without importing it: importing
    openapi-spec-validator costs half a second, more than the whole fast check."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(package)
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path.read_text(encoding="utf-8")


def _package_json(package: str, relative: str) -> Any:
    """A fresh copy each time: compiling a schema may write into it."""
    return json.loads(_package_text(package, relative))


#: Validators generated from the schemas below and shipped (`write_validators`), so that a run
#: loads their bytecode instead of generating and compiling 300 kB of Python (30-50 ms of
#: every start-up). One is used only when its KEY matches the installed schema and compiler;
#: otherwise the validator is generated in memory, as the shipped one was.
SHIPPED = "oas2gw.read.validators"
_SCHEMAS = {"oas20": "2.0", "oas30": "3.0", "draft4": None}
#: Part of the KEY: change it when `_generate` changes what it writes.
_GENERATOR = "5"
_OPTIONS: dict[str, Any] = {
    "use_formats": False,  # `jsonschema` runs these schemas without a format checker
    "use_default": False,  # never write defaults into the user's tree
    "detailed_exceptions": False,
}
#: The data path an error message would name, built with `str.format(**locals())` for every
#: array item and mapping member; the fast path never shows a message, so it is left out.
_ITEM_PATH = re.compile(r'\(name_prefix or "data"\) \+ "(?:[^"\\]|\\.)*"\.format\(\*\*locals\(\)\)')
_ENTRY = re.compile(r"^def (\w+)\(", re.MULTILINE)
#: A regex search in the generated code, and a pattern that is a literal after its `^`.
_SEARCH = re.compile(
    r"""REGEX_PATTERNS\[('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\]\.search\((\w+)\)"""
)
_LITERAL = re.compile(r"\^((?:[A-Za-z0-9_ /-]|\\[$./-])*)(\$?)\Z")


_DRAFT4 = ("jsonschema_specifications", "schemas/draft4/metaschema.json")


def _schema_file(name: str) -> tuple[str, str]:
    version = _SCHEMAS[name]
    if version is None:
        return _DRAFT4
    return ("openapi_spec_validator", f"resources/schemas/v{version}/schema.json")


def _key(name: str, compiler_version: str) -> str:
    """What a validator was generated from: the schema's text (and draft-04's, which the
    OpenAPI schemas refer to), the compiler's version and this generator's."""
    import hashlib

    parts = [compiler_version, _GENERATOR, _package_text(*_schema_file(name))]
    parts.append(_package_text(*_DRAFT4))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _generate(name: str, guarded: bool = True) -> str:
    """The validator module for one schema: fastjsonschema's code, its entry point named
    `validate`, and the KEY it was generated for. `guarded=False`: fastjsonschema's own
    generator, for releases whose internals `fastcode` does not know (slower, same verdicts)."""
    import fastjsonschema

    definition = _package_json(*_schema_file(name))
    if "draft-04" not in definition.get("$schema", ""):
        raise ValueError(f"{name}: not a draft-04 schema")  # the generator speaks draft-04
    head = (
        f"# Generated by `python -m oas2gw.read.fastschema`: do not edit ({name}).\n"
        "# ruff: noqa\n# mypy: ignore-errors\n"
    )
    tail = f"KEY = {_key(name, fastjsonschema.VERSION)!r}\n"
    if guarded:
        return head + guarded_code(definition) + tail
    handlers = {"http": _local_only, "https": _local_only}
    plain = fastjsonschema.compile_to_code(definition, handlers=handlers, **_OPTIONS)
    entry = _ENTRY.search(plain, plain.index("\ndef "))
    assert entry is not None  # the root schema's function comes first
    return f"{head}{plain}\n\nvalidate = {entry[1]}\n{tail}"


def guarded_code(definition: dict[str, Any]) -> str:
    """Python source of a draft-04 validator for `definition`, entry point `validate`:
    fastjsonschema's code, written by `fastcode.GuardedGenerator`."""
    import fastjsonschema
    from fastjsonschema.ref_resolver import RefResolver

    from oas2gw.read.fastcode import GuardedGenerator

    handlers = {"http": _local_only, "https": _local_only}
    resolver = RefResolver.from_schema(definition, handlers=handlers, store={})
    entry = resolver.get_scope_name()  # the root schema's function, as the generator names it
    generator = GuardedGenerator(definition, resolver=resolver, **_OPTIONS)
    state = generator.global_state_code  # generates the functions first, as compile_to_code
    code = f'VERSION = "{fastjsonschema.VERSION}"\n{state}\n{generator.func_code}'
    code = _SEARCH.sub(_plain_search, _ITEM_PATH.sub('(name_prefix or "data")', code))
    return f"{code}\n\nvalidate = {entry}\n"


def _plain_search(found: re.Match[str]) -> str:
    """`^x-` searched as `startswith("x-")`: the same answer for a string, and an error
    for anything else (`re` raises TypeError, `startswith` is missing or raises), without
    the regex engine; `$` also matches before a final newline, as in `re`."""
    pattern = ast.literal_eval(found[1])
    literal = _LITERAL.match(pattern)
    if literal is None:
        return found[0]
    text, var = re.sub(r"\\(.)", r"\1", literal[1]), found[2]
    if not literal[2]:
        return f"{var}.startswith({text!r})"
    return f"({var}.startswith({text!r}) and {var} in ({text!r}, {text + chr(10)!r}))"


def _compile(name: str) -> Callable[[Any], Any] | None:
    try:
        import fastjsonschema
    except ImportError:
        return None
    try:
        shipped: Any = importlib.import_module(f"{SHIPPED}.{name}")
    except ImportError:
        shipped = None
    if shipped is not None and _key(name, fastjsonschema.VERSION) == shipped.KEY:
        return shipped.validate  # type: ignore[no-any-return]
    try:
        source = _generate(name)
    except Exception:  # a fastjsonschema whose internals the shortcuts do not know
        source = _generate(name, guarded=False)
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{SHIPPED}.{name}>", "exec"), namespace)
    return namespace["validate"]  # type: ignore[no-any-return]


def write_validators(folder: Path | None = None) -> list[Path]:
    """Regenerate the shipped validators (after openapi-spec-validator or fastjsonschema moves;
    `ruff format` them after)."""
    spec = importlib.util.find_spec(SHIPPED)
    if folder is None:
        assert spec is not None and spec.submodule_search_locations
        folder = Path(next(iter(spec.submodule_search_locations)))
    written = []
    for name in _SCHEMAS:
        path = folder / f"{name}.py"
        path.write_text(_generate(name), encoding="utf-8")
        written.append(path)
    return written


@cache
def _compiled_schema(version: str) -> Callable[[Any], Any] | None:
    """openapi-spec-validator's own JSON schema for `version`, compiled by fastjsonschema."""
    return _compile("oas" + version.replace(".", ""))


def _draft4() -> Any:
    return _package_json(*_DRAFT4)


@cache
def _compiled_meta_schema() -> Callable[[Any], Any] | None:
    """Draft-04's meta-schema (what `OAS30Validator.check_schema` checks against; it names
    no formats), compiled, so that clean documents never import `jsonschema`."""
    return _compile("draft4")


def _local_only(uri: str) -> Any:
    """The only remote schema the OpenAPI schemas name is draft-04's; never the network."""
    if uri.rstrip("#") == "http://json-schema.org/draft-04/schema":
        return _draft4()
    raise ValueError(f"no remote schemas: {uri}")


def _canonical(value: Any) -> str:
    """A cache key that keeps every distinction a validator makes (1 / 1.0 / true, key
    types); values JSON cannot hold (dates from YAML) raise, and the reference decides.
    Both writers give texts that read back as the same value; orjson, several times
    faster, is used only on exactly the types it writes as the standard library does."""
    if _json_only(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONEncodeError:  # a lone surrogate, an integer past 64 bits
            pass
    _only_string_keys(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _json_only(node: Any) -> bool:
    """Plain dicts with string keys, lists, strings, booleans, None, ints and finite
    floats, and nothing else (no subclass, tuple, date, NaN)."""
    kind = type(node)
    if kind is str or kind is int or kind is bool or node is None:
        return True
    if kind is dict:
        for key, value in node.items():
            if type(key) is not str or not _json_only(value):
                return False
        return True
    if kind is list:
        return all(map(_json_only, node))
    return kind is float and math.isfinite(node)


def _only_string_keys(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise _Uncertain("a key that is not a string")
            _only_string_keys(value)
    elif isinstance(node, list):
        for value in node:
            _only_string_keys(value)


@cache
def _meta_check(schema_text: str) -> bool:
    """openapi-spec-validator's meta-check (OAS30Validator.check_schema) of one schema object."""
    check = _compiled_meta_schema()
    if check is None:
        raise _Uncertain("fastjsonschema is not installed")
    try:
        check(json.loads(schema_text))
    except ValueError:  # fastjsonschema's JsonSchemaValueException is one
        return False
    return True


@cache
def _default_ok(schema_text: str, value_text: str) -> bool:
    """A `default` checked as openapi-spec-validator checks it (no `$ref` inside: see caller)."""
    from openapi_schema_validator import oas30_format_checker
    from openapi_schema_validator.validators import OAS30Validator

    validator = OAS30Validator(json.loads(schema_text), format_checker=oas30_format_checker)
    return next(iter(validator.iter_errors(json.loads(value_text))), None) is None


def _has_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_has_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


class _Walk:
    """openapi-spec-validator's keyword walk, step for step, raising at the first doubt."""

    def __init__(self, tree: dict[str, Any], version: str) -> None:
        self.tree = tree
        self.version = version
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: set[Any] = set()
        self.targets: dict[str, Any] = {}
        self.url_fields: dict[str, set[str]] = {}
        self._keep: list[Any] = []  # keeps ids stable: nothing we look at is freed meanwhile

    def run(self) -> None:
        spec = self.tree
        if "tags" in spec:
            seen: set[str] = set()
            for tag in self.resolve(spec["tags"]):
                name = self.resolve(tag)["name"]
                if not isinstance(name, str):
                    raise _Uncertain("tag name")
                if name in seen:
                    raise _Invalid("duplicate tag")
                seen.add(name)
        if "paths" in spec:
            for url, item in self.items(spec["paths"]):
                if url.startswith("x-"):
                    raise _Uncertain("an extension among the paths")
                self.path(url, self.resolve(item))
        if "components" in spec:
            components = self.resolve(spec["components"])
            if "schemas" in components:
                for _, schema in self.items(components["schemas"]):
                    self.schema(schema, require_properties=True, meta_checked=False, depth=0)

    # -- $ref ---------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        if not isinstance(node, dict) or "$ref" not in node:
            return node  # most calls: decided before any bookkeeping
        hops = 0
        while isinstance(node, dict) and "$ref" in node:
            node = self.target(node["$ref"])
            hops += 1
            if hops > _MAX_REF_HOPS:
                raise _Uncertain("a $ref loop")
        return node

    def target(self, ref: Any) -> Any:
        """What one `$ref` names; each reference is followed once (the tree does not change
        during the walk, and a reference that fails raises every time)."""
        if not isinstance(ref, str) or not ref.startswith("#") or "%" in ref:
            raise _Uncertain(f"$ref {ref!r}")
        if ref in self.targets:
            return self.targets[ref]
        node: Any = self.tree
        if ref not in ("#", "#/"):
            if not ref.startswith("#/"):
                raise _Uncertain(f"$ref {ref!r}")
            for token in ref[2:].split("/"):
                key = token.replace("~1", "/").replace("~0", "~")
                if isinstance(node, dict):
                    node = node[key]
                elif isinstance(node, list) and key.isdigit():
                    node = node[int(key)]
                else:
                    raise _Uncertain(f"$ref {ref!r}")
        self.targets[ref] = node
        return node

    def items(self, node: Any) -> Iterable[tuple[str, Any]]:
        """The members of a mapping, once every key is known to be a string."""
        node = self.resolve(node)
        if not isinstance(node, dict):
            raise _Uncertain("not a mapping")
        for key in node:
            if not isinstance(key, str):
                raise _Uncertain("a key that is not a string")
        return node.items()

    def listed(self, node: Any) -> list[Any]:
        node = self.resolve(node)
        if not isinstance(node, list):
            raise _Uncertain("not a list")
        return node

    # -- paths and operations -----------------------------------------------------------------

    def path(self, url: str, item: Any) -> None:
        if not isinstance(item, dict):
            raise _Uncertain("path item")
        shared = self.parameters(item["parameters"]) if "parameters" in item else set()
        for name, operation in self.items(item):
            if name in OPERATIONS:
                self.operation(url, self.resolve(operation), shared)

    def operation(self, url: str, operation: Any, shared: set[str]) -> None:
        """`shared`: the path parameters the path item declares for all its operations."""
        if not isinstance(operation, dict):
            raise _Uncertain("operation")
        if "operationId" in operation:
            op_id = self.resolve(operation["operationId"])
            if op_id is not None and op_id in self.operation_ids:
                raise _Invalid("duplicate operationId")
            self.operation_ids.add(op_id)
        if "responses" in operation:
            for _code, response in self.items(operation["responses"]):
                self.response(response)
        names = self.parameters(operation["parameters"]) if "parameters" in operation else set()
        if names | shared != self.fields(url):
            raise _Invalid("unresolved path parameter")

    def fields(self, url: str) -> set[str]:
        """The `{names}` in a path, parsed once for all its operations."""
        found = self.url_fields.get(url)
        if found is None:
            found = {field for _, field, _, _ in string.Formatter().parse(url) if field}
            self.url_fields[url] = found
        return found

    def response(self, response: Any) -> None:
        if isinstance(response, dict) and "$ref" in response:
            response = self.resolve(response)
        if not isinstance(response, dict):
            raise _Uncertain("response")
        if self.version == "2.0":
            if "schema" in response:
                self.schema(response["schema"], True, False, 0)
        elif "content" in response:
            for _mime, media in self.items(response["content"]):
                media = self.resolve(media)
                if not isinstance(media, dict):
                    raise _Uncertain("media type")
                if "schema" in media:
                    self.schema(media["schema"], True, False, 0)

    def parameters(self, parameters: Any) -> set[str]:
        """Checks a list of parameters; the names of those in the path."""
        seen: set[tuple[Any, Any]] = set()
        in_path: set[str] = set()
        resolve = self.resolve
        for parameter in self.listed(parameters):
            if isinstance(parameter, dict) and "$ref" in parameter:
                parameter = resolve(parameter)
            if not isinstance(parameter, dict):
                raise _Uncertain("parameter")
            if "schema" in parameter:
                self.schema(parameter["schema"], True, False, 0)
            if self.version == "2.0" and "default" in parameter:
                self.default(parameter, parameter["default"])
            name, where = parameter["name"], parameter["in"]
            if not isinstance(name, str) or not isinstance(where, str):
                name, where = resolve(name), resolve(where)  # a `$ref`, or no name at all
                if not isinstance(name, str) or not isinstance(where, str):
                    raise _Uncertain("parameter name")
            key = (name, where)
            if key in seen:
                raise _Invalid("duplicate parameter")
            seen.add(key)
            if where == "path":
                in_path.add(name)
        return in_path

    # -- schema objects -----------------------------------------------------------------------

    def schema(self, node: Any, require_properties: bool, meta_checked: bool, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Uncertain("schema nesting")
        schema = self.resolve(node) if isinstance(node, dict) and "$ref" in node else node
        if not isinstance(schema, (dict, bool)):
            raise _Invalid("a schema that is not an object")
        self._keep.append(schema)
        key = id(schema)
        if not meta_checked and key not in self.meta_checked:
            self.meta_checked.add(key)
            if not _meta_check(_canonical(schema)):
                raise _Invalid("schema meta-check")
        if key in self.visited:
            return
        self.visited.add(key)
        if not isinstance(schema, dict):
            return
        nested: set[str] = set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for inner in self.listed(schema[keyword]):
                    self.schema(inner, False, True, depth + 1)
                    if keyword == "allOf":
                        nested |= self.properties_of(inner, depth + 1)
        for keyword in ("not", "items"):
            if keyword in schema:
                self.schema(schema[keyword], False, True, depth + 1)
        if "properties" in schema:
            for _name, prop in self.items(schema["properties"]):
                self.schema(prop, False, True, depth + 1)
        if "allOf" in schema and require_properties:
            required = self.resolve(schema["required"]) if "required" in schema else None
            properties = self.resolve(schema["properties"]) if "properties" in schema else None
            if set(required or []) - set(properties or []) - nested:
                raise _Invalid("required names an undefined property")
        if "default" in schema:
            value = self.resolve(schema["default"])
            nullable = self.resolve(schema["nullable"]) if "nullable" in schema else False
            if value is not None or nullable is not True:
                self.default(schema, value)

    def properties_of(self, node: Any, depth: int) -> set[str]:
        if depth > _MAX_DEPTH:
            raise _Uncertain("schema nesting")
        schema = self.resolve(node)
        if not isinstance(schema, dict):
            raise _Uncertain("schema")
        found: set[str] = set()
        if "properties" in schema:
            found.update(key for key, _ in self.items(schema["properties"]))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for inner in self.listed(schema[keyword]):
                    found |= self.properties_of(inner, depth + 1)
        for keyword in ("items", "not"):
            if keyword in schema:
                found |= self.properties_of(schema[keyword], depth + 1)
        return found

    def default(self, schema: dict[str, Any], value: Any) -> None:
        if _has_ref(schema):  # the reference resolves those through the whole document
            raise _Uncertain("a default beside a $ref")
        if not _default_ok(_canonical(schema), _canonical(value)):
            raise _Invalid("default does not match its schema")


if __name__ == "__main__":
    for written in write_validators():
        print(written)
