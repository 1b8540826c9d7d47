"""Two models of one API, compared field by field after the normalisation export uses.

Both sides go through `oas2gw.model.normalize`, so what API Gateway fills in on read-back
(timeout 29000, INTERNET, WHEN_NO_MATCH, ...) and the order it returns things in never show up as
differences. Methods are matched by (path, HTTP method) and everything else by its name through
dicts, and each pair of methods is dumped and compared in turn, so a diff of 10,000 operations
costs about as much as dumping them once and never holds two whole dumps.

A change names its subject (`GET /pets`, `API`, `authorizer Cognito`), the field inside it
(`integration.timeoutInMillis`, `responses[200].responseModels[application/json]`) and the old
and new values. A field absent on one side is shown with the value API Gateway reports for it
when it has one, so a changed timeout reads `29000 -> 5000`, not `(unset) -> 5000`.
"""

from __future__ import annotations

import difflib
import enum
import functools
import json
import operator
import os
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from oas2gw.collector import paused as gc_paused
from oas2gw.diagnostics import Diagnostic, Location, Severity
from oas2gw.diff_codes import E501, E502
from oas2gw.model.normalize import (
    API_DEFAULTS,
    AUTHORIZER_DEFAULTS,
    INTEGRATION_DEFAULTS,
    method_order,
    normalize,
    same_objects,
)
from oas2gw.model.types import ApiModel, Authorizer, Integration, Method, extension_name

#: `old`/`new` of a field that one side does not have
ABSENT: Any = None


class ChangeKind(str, enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class Scope(str, enum.Enum):
    """What a change is about; the JSON output carries it and `--ignore` can name it."""

    API = "api"
    RESOURCE = "resource"
    METHOD = "method"
    AUTHORIZER = "authorizer"
    VALIDATOR = "validator"
    MODEL = "model"
    GATEWAY_RESPONSE = "gateway-response"


#: the model field (alias) that holds each named kind, as `--ignore` may name it
_COLLECTION = {
    Scope.AUTHORIZER: "authorizers",
    Scope.VALIDATOR: "requestValidators",
    Scope.MODEL: "models",
    Scope.GATEWAY_RESPONSE: "gatewayResponses",
    Scope.RESOURCE: "resources",
}

_LABEL = {
    Scope.AUTHORIZER: "authorizer",
    Scope.VALIDATOR: "validator",
    Scope.MODEL: "model",
    Scope.GATEWAY_RESPONSE: "gateway response",
    Scope.RESOURCE: "resource",
}

Segments = tuple[str, ...]
K = TypeVar("K")


@dataclass(frozen=True)
class Change:
    """One difference. `field` is empty when the whole subject was added or removed; `old` is
    unset (`has_old` False) for an added field, `new` for a removed one."""

    kind: ChangeKind
    scope: Scope
    name: str  # "GET /pets", "/pets", "Cognito", "" for the API
    field: Segments = ()
    old: Any = ABSENT
    new: Any = ABSENT
    has_old: bool = False
    has_new: bool = False

    @property
    def subject(self) -> str:
        if self.scope is Scope.API:
            return "API"
        if self.scope is Scope.METHOD:
            return self.name
        return f"{_LABEL[self.scope]} {self.name}"

    @property
    def field_path(self) -> str:
        return format_path(self.field)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "change": self.kind.value,
            "scope": self.scope.value,
            "subject": self.subject,
        }
        if self.scope is Scope.METHOD:
            verb, _, path = self.name.partition(" ")
            out["httpMethod"], out["path"] = verb, path
        elif self.scope is not Scope.API:
            out["name"] = self.name
        if self.field:
            out["field"] = self.field_path
        if self.has_old:
            out["old"] = self.old
        if self.has_new:
            out["new"] = self.new
        return out


# -- field paths --------------------------------------------------------------------------------


def format_path(segments: Segments) -> str:
    """Model fields joined by dots, keys of maps and keyed lists in brackets:
    `integration.responses[200].responseTemplates[application/json]`."""
    out = ""
    for seg in segments:
        if seg.startswith("["):
            out += seg
        else:
            out += ("." if out else "") + seg
    return out


def parse_path(text: str) -> Segments:
    """The inverse of `format_path`, for `--ignore` patterns; `*` stands for any one segment."""
    segments: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "[":
            end = _closing_bracket(text, i)
            segments.append(text[i : end + 1])
            i = end + 1
        elif text[i] == ".":
            i += 1
        else:
            j = i
            while j < n and text[j] not in ".[":
                j += 1
            segments.append(text[i:j])
            i = j
    return tuple(segments)


def _closing_bracket(text: str, start: int) -> int:
    """The first unescaped `]` after `start`: inside a key, `\\`, `\\[` and `\\]` stand for
    the characters themselves, so every key reads back whole."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "]":
            return i
        i += 1
    return len(text) - 1


def _key(name: object) -> str:
    """`[key]`, with the brackets and backslashes inside the key escaped by a backslash."""
    text = str(name)
    if "[" in text or "]" in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]"


def _matches(pattern: Segments, path: Segments) -> bool:
    if not pattern or len(pattern) > len(path):
        return False
    return all(p in ("*", "[*]") or p == s for p, s in zip(pattern, path, strict=False))


def ignored(change: Change, patterns: Sequence[Segments]) -> bool:
    """A pattern ignores a change when it is a prefix of the change's field (`integration.uri`),
    or of the field qualified by its collection (`models`, `authorizers[Cognito]`)."""
    if not patterns:
        return False
    qualified: Segments = ()
    if change.scope in _COLLECTION:
        qualified = (_COLLECTION[change.scope], _key(change.name), *change.field)
    return any(
        (change.field and _matches(p, change.field)) or _matches(p, qualified) for p in patterns
    )


# -- read-back defaults shown in place of an absent value -----------------------------------------


def _integration_defaults() -> dict[Segments, Any]:
    return {
        ("integration", extension_name(Integration, name)): value
        for name, value in INTEGRATION_DEFAULTS.items()
    }


def _api_defaults() -> dict[Segments, Any]:
    return {(extension_name(ApiModel, name),): value for name, value in API_DEFAULTS.items()}


def _authorizer_defaults() -> dict[Segments, Any]:
    return {(extension_name(Authorizer, name),): v for name, v in AUTHORIZER_DEFAULTS.items()}


_METHOD_DEFAULTS = _integration_defaults()
_API_FIELD_DEFAULTS = _api_defaults()
_NAMED_DEFAULTS: dict[Scope, dict[Segments, Any]] = {Scope.AUTHORIZER: _authorizer_defaults()}


# -- the structural walk ---------------------------------------------------------------------------


class _Walker:
    """Collects field changes between two JSON values of one subject."""

    def __init__(self, scope: Scope, name: str, defaults: Mapping[Segments, Any]) -> None:
        self.scope = scope
        self.name = name
        self.defaults = defaults
        self.out: list[Change] = []

    def emit(self, path: Segments, old: Any, new: Any, has_old: bool, has_new: bool) -> None:
        if not has_old and path in self.defaults:
            old, has_old = self.defaults[path], True
        if not has_new and path in self.defaults:
            new, has_new = self.defaults[path], True
        if has_old and has_new and _same(old, new):
            return
        kind = (
            ChangeKind.CHANGED
            if has_old and has_new
            else ChangeKind.ADDED
            if has_new
            else ChangeKind.REMOVED
        )
        self.out.append(Change(kind, self.scope, self.name, path, old, new, has_old, has_new))

    def walk(self, old: Any, new: Any, path: Segments = ()) -> None:
        if old == new:
            return
        if isinstance(old, dict) and isinstance(new, dict):
            for key in _union(old, new):
                sub = (*path, _segment(path, key))
                in_old, in_new = key in old, key in new
                if in_old and in_new:
                    self.walk(old[key], new[key], sub)
                else:
                    self.emit(sub, old.get(key), new.get(key), in_old, in_new)
            return
        self.emit(path, old, new, True, True)


#: fields whose keys are names (content types, parameters, status codes), not model fields
_MAP_FIELDS = frozenset(
    {
        "requestParameters",
        "requestTemplates",
        "requestModels",
        "responseParameters",
        "responseTemplates",
        "responseModels",
        "responses",
        "properties",
        "definitions",
        "patternProperties",
    }
)


def _segment(path: Segments, key: str) -> str:
    """A key under a map-valued field is written in brackets, a model field plainly."""
    return _key(key) if path and path[-1] in _MAP_FIELDS else key


def _union(old: Mapping[K, Any], new: Mapping[K, Any]) -> Iterator[K]:
    """The keys of both, `old`'s order first: linear, however many there are."""
    yield from old
    for key in new:
        if key not in old:
            yield key


def _same(old: Any, new: Any) -> bool:
    """Equal, with lists of plain values taken as sets (API Gateway returns binary media types,
    cache key parameters, scopes and ARNs in an order of its own)."""
    if old == new:
        return True
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        try:
            return sorted(map(_scalar_key, old)) == sorted(map(_scalar_key, new))
        except TypeError:
            return False
    return False


def _scalar_key(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise TypeError("not a plain value")
    return json.dumps(value)


# -- methods ---------------------------------------------------------------------------------------


def _keyed(items: Iterable[Mapping[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """A list as a map by `key` (status code, name); a repeated key gets `#2`."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        name = str(item.get(key))
        unique, n = name, 1
        while unique in out:
            n += 1
            unique = f"{name}#{n}"
        out[unique] = {k: v for k, v in item.items() if k != key}
    return out


def _method_view(dump: Mapping[str, Any]) -> dict[str, Any]:
    """A method's dump with its response lists keyed by status code, for a readable walk."""
    view = {k: v for k, v in dump.items() if k != "httpMethod"}
    if "responses" in view:
        view["responses"] = _keyed(view["responses"], "statusCode")
    integration = view.get("integration")
    if isinstance(integration, dict) and "responses" in integration:
        view["integration"] = {
            **integration,
            "responses": _keyed(integration["responses"], "statusCode"),
        }
    return view


def _methods_by_path(model: ApiModel) -> dict[str, tuple[Method, ...]]:
    """Each path's methods, the last of two with one verb kept (as a map by (path, verb)
    keeps it): as a rule each resource's own tuple, compared by identity at no cost."""
    out: dict[str, tuple[Method, ...]] = {}
    for resource in model.resources:
        methods = resource.methods
        if resource.path in out:  # the same path twice: merged
            methods = out[resource.path] + methods
        if len(methods) > 1 and len({m.http_method for m in methods}) != len(methods):
            methods = tuple({m.http_method: m for m in methods}.values())
        out[resource.path] = methods
    return out


def _diff_methods(left: ApiModel, right: ApiModel) -> tuple[list[Change], int]:
    """Methods matched by path, then by verb, and how many (path, verb) pairs there are. A
    path whose methods are the same objects on both sides has no changes; each other pair is
    dumped only while it is compared: the time of one dump of the whole model, without holding
    two of them."""
    old, new = _methods_by_path(left), _methods_by_path(right)
    out: list[Change] = []
    paths = sorted(_union(old, new))
    for path in paths:
        if path not in new:
            out.append(Change(ChangeKind.REMOVED, Scope.RESOURCE, path))
        elif path not in old:
            out.append(Change(ChangeKind.ADDED, Scope.RESOURCE, path))
    compared = 0
    empty: tuple[Method, ...] = ()
    for path in paths:
        a, b = old.get(path, empty), new.get(path, empty)
        if same_objects(a, b):
            compared += len(a)
            continue
        olds = {m.http_method: m for m in a}
        news = {m.http_method: m for m in b}
        verbs = sorted(_union(olds, news), key=method_order)
        compared += len(verbs)
        for verb in verbs:
            name = f"{verb} {path}"
            if verb not in news:
                out.append(Change(ChangeKind.REMOVED, Scope.METHOD, name))
            elif verb not in olds:
                out.append(Change(ChangeKind.ADDED, Scope.METHOD, name))
            elif (fields := _differing_fields(olds[verb], news[verb])) is None or fields:
                # only the fields that may differ are dumped: the others dump equal on both
                # sides, so the walk would find nothing in them (see `_differing_fields`)
                x, y = _dump(olds[verb], fields=fields), _dump(news[verb], fields=fields)
                if x != y:
                    walker = _Walker(Scope.METHOD, name, _METHOD_DEFAULTS)
                    walker.walk(_method_view(x), _method_view(y))
                    out.extend(walker.out)
    return out, compared


# -- API-level parts -------------------------------------------------------------------------------

#: the named collections of an API, by their dump key, and the member that names each item
_NAMED: tuple[tuple[Scope, str, str], ...] = (
    (Scope.AUTHORIZER, "authorizers", "name"),
    (Scope.VALIDATOR, "requestValidators", "name"),
    (Scope.GATEWAY_RESPONSE, "gatewayResponses", "responseType"),
)
_NOT_SETTINGS = frozenset(
    {"resources", "authorizers", "requestValidators", "gatewayResponses", "models"}
)


def _diff_named(scope: Scope, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    out: list[Change] = []
    for name in _union(old, new):
        if name not in new:
            out.append(Change(ChangeKind.REMOVED, scope, name, (), old[name], ABSENT, True))
        elif name not in old:
            out.append(Change(ChangeKind.ADDED, scope, name, (), ABSENT, new[name], False, True))
        elif old[name] != new[name]:
            walker = _Walker(scope, name, _NAMED_DEFAULTS.get(scope, {}))
            walker.walk(old[name], new[name])
            out.extend(walker.out)
    return out


def _diff_api(left: Mapping[str, Any], right: Mapping[str, Any]) -> list[Change]:
    settings = _Walker(Scope.API, "", _API_FIELD_DEFAULTS)
    settings.walk(
        {k: v for k, v in left.items() if k not in _NOT_SETTINGS},
        {k: v for k, v in right.items() if k not in _NOT_SETTINGS},
    )
    out = settings.out
    for scope, field, key in _NAMED:
        out.extend(
            _diff_named(scope, _keyed(left.get(field, ()), key), _keyed(right.get(field, ()), key))
        )
    out.extend(_diff_named(Scope.MODEL, left.get("models", {}), right.get("models", {})))
    return out


@functools.cache
def _dumped_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, info in cls.model_fields.items() if not info.exclude)


def _same_field(x: Any, y: Any) -> bool:
    """True only when two values of one field dump to equal JSON data, found without dumping:
    the same object, equal values (tuples become lists, nothing else changes), or models
    compared as `_same_dump` does. False may still mean equal dumps."""
    if x is y:
        return True
    if isinstance(x, BaseModel):
        return isinstance(y, BaseModel) and _same_dump(x, y)
    if isinstance(x, tuple) and x and isinstance(x[0], BaseModel):
        return isinstance(y, tuple) and len(x) == len(y) and all(map(_same_dump, x, y))
    return bool(x == y)


def _holds_models(annotation: Any) -> bool:
    """Whether a field so annotated may hold a model (`Integration | None`, a tuple of them)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


@functools.cache
def _field_split(
    cls: type[BaseModel],
) -> tuple[Callable[[dict[str, Any]], Any], tuple[str, ...], tuple[str, ...]]:
    """The dumped fields of `cls` that hold plain data, as one getter of all of them (compared
    in one C-level tuple comparison, which is `x is y or x == y` per member, as `_same_field`
    compares plain values) and by name, and those that may hold models."""
    plain = tuple(
        name for name in _dumped_fields(cls) if not _holds_models(cls.model_fields[name].annotation)
    )
    nested = tuple(name for name in _dumped_fields(cls) if name not in plain)
    getter = (
        operator.itemgetter(*plain) if len(plain) > 1 else (lambda d: tuple(d[n] for n in plain))
    )
    return getter, plain, nested


def _same_dump(a: BaseModel, b: BaseModel) -> bool:
    """True only when `_dump(a) == _dump(b)`, found without dumping (a method's dump is most of
    what comparing it costs): the same object, or the same class with every dumped field
    `_same_field`. Pointers and extensions are not dumped. False may still mean equal dumps."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    da, db = a.__dict__, b.__dict__
    getter, _, nested = _field_split(type(a))
    return getter(da) == getter(db) and all(_same_field(da[n], db[n]) for n in nested)


def _differing_fields(a: BaseModel, b: BaseModel) -> set[str] | None:
    """The dumped fields of `a` and `b` that are not `_same_field`: empty when their dumps are
    equal, None (all of them) when they are not of one class. A field left out dumps equal on
    both sides, present on both or absent on both, so a walk of the dumps restricted to these
    fields finds every change the walk of the whole dumps finds, in the same order: the keys
    of a dump keep the field order either way."""
    if a is b:
        return set()
    if type(a) is not type(b):
        return None
    da, db = a.__dict__, b.__dict__
    getter, plain, nested = _field_split(type(a))
    differ = [n for n in nested if not _same_field(da[n], db[n])]
    if getter(da) != getter(db):  # which of them, one by one
        differ += [n for n in plain if not _same_field(da[n], db[n])]
    return set(differ)


def _dump(
    obj: BaseModel,
    exclude: frozenset[str] = frozenset(),
    *,
    fields: set[str] | None = None,
) -> dict[str, Any]:
    """A model as the JSON data its spellings give, without what it does not hold; only
    `fields` of it when given (None: all)."""
    if not exclude:  # `model_dump`'s own call, without its wrapper: once per method compared
        dumped: dict[str, Any] = obj.__pydantic_serializer__.to_python(
            obj, mode="json", by_alias=True, exclude_none=True, include=fields
        )
        return dumped
    return obj.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(exclude))


# -- the entry point -------------------------------------------------------------------------------


def diff_models(
    left: ApiModel, right: ApiModel, *, ignore: Iterable[str] = (), normalized: bool = False
) -> list[Change]:
    """Every difference from `left` to `right`: API settings and named parts first, then
    resources and methods by path. `ignore` holds field paths as the output prints them
    (`integration.uri`); a pattern drops every change at or under it. `normalized` says both
    models are normalised already (the export readers return them so), which saves a copy."""
    return compare_models(left, right, ignore=ignore, normalized=normalized)[0]


def compare_models(
    left: ApiModel, right: ApiModel, *, ignore: Iterable[str] = (), normalized: bool = False
) -> tuple[list[Change], int]:
    """`diff_models`, and how many methods it compared (`count_methods` of the two)."""
    patterns = [parse_path(p) for p in ignore]
    with gc_paused():
        if not normalized:
            left, right = normalize(left), normalize(right)
        no_resources = frozenset({"resources"})
        changes = _diff_api(_dump(left, no_resources), _dump(right, no_resources))
        method_changes, compared = _diff_methods(left, right)
        changes += method_changes
    return [c for c in changes if not ignored(c, patterns)], compared


# -- rendering -------------------------------------------------------------------------------------

Format = Literal["text", "json"]

#: strings longer than this print old and new on lines of their own
LONG = 72

_COLORS = {"+": "\033[32m", "-": "\033[31m", "~": "\033[33m", "@": "\033[36m"}
_RESET = "\033[0m"


def summarize(changes: Sequence[Change]) -> dict[str, dict[str, int]]:
    """How many distinct things were added, removed or changed, by kind: `{"methods":
    {"changed": 2}}`; a method with three changed fields counts once. For the API itself, the
    number of changed settings."""
    seen: dict[tuple[str, str], set[str]] = {}
    for c in changes:
        group = "api" if c.scope is Scope.API else _plural(c.scope)
        kind = ChangeKind.CHANGED.value if c.field else c.kind.value
        seen.setdefault((group, kind), set()).add(c.field_path if c.scope is Scope.API else c.name)
    out: dict[str, dict[str, int]] = {}
    for (group, kind), names in seen.items():
        out.setdefault(group, {})[kind] = len(names)
    return out


def _plural(scope: Scope) -> str:
    return {Scope.GATEWAY_RESPONSE: "gatewayResponses"}.get(scope, scope.value + "s")


_NOUNS = {
    "resources": "resource",
    "methods": "method",
    "authorizers": "authorizer",
    "validators": "validator",
    "models": "model",
    "gatewayResponses": "gateway response",
}
_ORDER = ("api", "resources", "methods", "authorizers", "validators", "models", "gatewayResponses")


def _summary_line(changes: Sequence[Change], compared: int | None) -> str:
    if not changes:
        scope = f" ({compared} methods compared)" if compared is not None else ""
        return f"no differences{scope}"
    counts = summarize(changes)
    parts = []
    for group in _ORDER:
        for kind in ("added", "removed", "changed"):
            n = counts.get(group, {}).get(kind)
            if not n:
                continue
            if group == "api":
                parts.append(f"{n} API setting{'s' if n != 1 else ''} changed")
            else:
                noun = _NOUNS[group]
                parts.append(f"{n} {noun}{'s' if n != 1 else ''} {kind}")
    n = len(changes)
    return f"{n} difference{'s' if n != 1 else ''}: " + ", ".join(parts)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=False)


def _change_lines(change: Change) -> list[str]:
    if not change.field:
        sign = "+" if change.kind is ChangeKind.ADDED else "-"
        return [f"{sign} {change.subject}"]
    head = f"{change.subject} {change.field_path}"
    if change.kind is ChangeKind.ADDED:
        return [f"+ {head}: {_value(change.new)}"]
    if change.kind is ChangeKind.REMOVED:
        return [f"- {head}: {_value(change.old)}"]
    old, new = change.old, change.new
    if isinstance(old, str) and isinstance(new, str) and ("\n" in old or "\n" in new):
        diff = difflib.unified_diff(
            old.splitlines(), new.splitlines(), "left", "right", n=2, lineterm=""
        )
        return [f"~ {head}:"] + ["    " + line for line in diff]
    a, b = _value(old), _value(new)
    if len(a) + len(b) > 2 * LONG:
        return [f"~ {head}:", f"    - {a}", f"    + {b}"]
    return [f"~ {head}: {a} -> {b}"]


#: characters that would move the cursor, recolour or reorder a terminal or CI log line:
#: C0 and C1 controls (tab aside), bidirectional overrides, line and paragraph separators
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every character that could rewrite a terminal or a CI log written as
    `\\uXXXX`: names and templates come from documents and APIs, not from us."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _paint(line: str) -> str:
    stripped = line.lstrip()
    color = _COLORS.get(stripped[:1])
    if stripped.startswith(("---", "+++")):
        return line
    return f"{color}{line}{_RESET}" if color else line


def render_changes(
    changes: Sequence[Change],
    fmt: Format = "text",
    *,
    color: bool = False,
    compared: int | None = None,
    left: str | None = None,
    right: str | None = None,
) -> str:
    """Text (one line per change, unified diffs for multi-line templates, a summary last) or
    JSON (`same`, `summary`, `changes`); `compared` is the number of methods looked at."""
    if fmt == "json":
        doc: dict[str, Any] = {}
        if left is not None or right is not None:
            doc["left"], doc["right"] = left, right
        doc["same"] = not changes
        doc["summary"] = summarize(changes)
        if compared is not None:
            doc["methodsCompared"] = compared
        doc["changes"] = [c.to_json() for c in changes]
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = []
    for change in changes:
        lines.extend(printable(line) for line in _change_lines(change))
    paint: Callable[[str], str] = _paint if color else (lambda s: s)
    body = [paint(line) for line in lines]
    body.append(_summary_line(changes, compared))
    return "\n".join(body) + "\n"


# -- generated files -------------------------------------------------------------------------------


def check_generated(expected_text: str, path: str | os.PathLike[str]) -> Diagnostic | None:
    """None when the file at `path` is byte for byte `expected_text` (what the document generates
    now); else E501 (stale) located at its first differing line, or E502 when it is missing.
    Other I/O errors (a directory, no permission) are raised: they are not findings."""
    name = os.fspath(path)
    try:
        actual = Path(name).read_bytes()
    except FileNotFoundError:
        return Diagnostic(E502, Severity.ERROR, "generated file missing", file=name)
    expected = expected_text.encode("utf-8")
    if actual == expected:
        return None
    line = _first_difference(actual, expected)
    if actual.replace(b"\r\n", b"\n") == expected:
        why = "differs only in line endings (CRLF): keep generated files byte for byte"
    else:
        why = "stale: not what the document generates now"
    return Diagnostic(E501, Severity.ERROR, why, location=Location(name, line, 1), file=name)


def _first_difference(a: bytes, b: bytes) -> int:
    """The 1-based line where `a` and `b` first differ."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return a.count(b"\n", 0, i) + 1


def generated_diff(
    expected_text: str, path: str | os.PathLike[str], *, context: int = 2, limit: int = 40
) -> str:
    """A short unified diff from the file on disk to what is generated now, at most `limit`
    lines (the rest counted), for a CI log."""
    name = os.fspath(path)
    try:
        actual = Path(name).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        actual = ""
    lines = list(
        difflib.unified_diff(
            actual.splitlines(),
            expected_text.splitlines(),
            f"{name} (on disk)",
            f"{name} (generated now)",
            n=context,
            lineterm="",
        )
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines) + "\n" if lines else ""


def count_methods(*models: ApiModel) -> int:
    """Distinct (path, method) pairs across the models: what a diff compared."""
    return len(
        {(r.path, m.http_method) for model in models for r in model.resources for m in r.methods}
    )


__all__ = [
    "Change",
    "ChangeKind",
    "Scope",
    "check_generated",
    "compare_models",
    "count_methods",
    "diff_models",
    "format_path",
    "gc_paused",
    "generated_diff",
    "ignored",
    "parse_path",
    "printable",
    "render_changes",
    "summarize",
]
