"""Bytes to a plain tree: YAML or JSON chosen by content, refusing what would hurt.

JSON goes through orjson and YAML through libyaml (`yaml.CSafeLoader`), both with the garbage
collector paused, because the parser decides the cost of a whole run. Every refusal (bad
encoding, syntax, size, depth, alias bombs) is a located diagnostic, never an exception.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson
import yaml

from oas2gw.collector import paused as paused_gc
from oas2gw.diagnostics import Diagnostic, Location, Severity, join_pointer
from oas2gw.read import codes

T = TypeVar("T")

#: CloudFormation short tags and their long JSON form.
CFN_TAGS = {
    "Ref": "Ref",
    "Condition": "Condition",
    **{
        name: f"Fn::{name}"
        for name in (
            "Sub",
            "GetAtt",
            "If",
            "Join",
            "Select",
            "Split",
            "FindInMap",
            "Equals",
            "Not",
            "And",
            "Or",
            "Base64",
            "ImportValue",
            "GetAZs",
            "Cidr",
            "Transform",
            "Length",
            "ToJsonString",
            "ForEach",
        )
    },
}

#: libyaml composes recursively in C; below this bound the main thread's stack is ample.
_SAFE_NESTING = 4000
#: Stack bytes per nesting level measured for libyaml's composer, with a margin.
_STACK_PER_LEVEL = 1024
_MAX_THREAD_STACK = 1 << 30


#: the first two tokens of a pointer -> (index of the member's key, index where its value ends,
#: line of the key, whether every member of its value is listed too): the text a location
#: under the member can be found in; `()` is the root mapping (every member listed)
Outline = dict[tuple[str, ...], tuple[int, int, int, bool]]


#: a duplicate key: (id of the mapping, the later key, where it is written, the earlier key when
#: the two are one only once written as text, else None)
Duplicate = tuple[int, Any, "yaml.Mark | None", Any]


@dataclass
class Parsed:
    """One file read: its text (kept for lazy locations) and its tree."""

    name: str
    text: str | None = None
    format: str = "yaml"  # "yaml" | "json"
    tree: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: every key a string and no dict shaped like an intrinsic: the schema check can read the
    #: tree as it is (False when unknown)
    plain: bool = False
    #: no node of the tree is reachable twice (YAML aliases can share one): checked, not assumed
    tree_shaped: bool = False
    #: the `$ref` sites of the tree, when the shape check found them on its way
    sites: Sites | None = None
    #: where the top two levels' members are written (YAML read by the fast path only)
    outline: Outline | None = None

    @property
    def ok(self) -> bool:
        return self.tree is not None and not any(d.is_error for d in self.diagnostics)

    def fail(self, code: str, message: str, line: int | None = None, column: int = 1) -> Parsed:
        location = Location(self.name, line, column) if line is not None else None
        message = " ".join(message.split())  # one line, whatever the parser said
        self.diagnostics.append(
            Diagnostic(code, Severity.ERROR, message, "", location, file=self.name)
        )
        self.tree = None
        return self


def read_file(path: Path, name: str, max_bytes: int) -> Parsed | bytes:
    """The file's bytes, or a `Parsed` holding the reason they cannot be had."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Parsed(name).fail(
                codes.E105, f"{size} bytes is over the {max_bytes}-byte limit", 1
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Parsed(name).fail(codes.E101, f"cannot read {name}: {exc.strerror or exc}")
    return data


def parse(
    name: str, data: str | bytes, *, max_bytes: int, max_depth: int, max_aliases: int
) -> Parsed:
    """Parse one document; never raises."""
    return parse_text(decode(name, data, max_bytes), max_depth=max_depth, max_aliases=max_aliases)


def decode(name: str, data: str | bytes, max_bytes: int) -> Parsed:
    """The first half of `parse`: the text, or why there is none. A caller that read the bytes
    lets them go before `parse_text` builds the tree (at 10,000 operations the bytes are 20 MiB
    of the reader's peak)."""
    result = Parsed(name)
    try:
        result.text = _decode(result, data, max_bytes)
    except MemoryError:
        result.fail(codes.E105, "the document does not fit in memory", 1)
    return result


def parse_text(result: Parsed, *, max_depth: int, max_aliases: int) -> Parsed:
    """The second half of `parse`: the tree of `decode`'s text."""
    text = result.text
    if text is None or result.diagnostics:
        return result
    try:
        if not text or text.isspace():  # `strip()` would copy the whole text to say so
            return result.fail(codes.E103, "the document is empty", 1)
        if _looks_like_json(text) and _parse_json(result, text, max_depth):
            pass
        elif result.tree is None and not result.diagnostics:
            _parse_yaml(result, text, max_depth)
        if result.tree is None:
            if not result.diagnostics:
                result.fail(codes.E103, "the document holds no value", 1)
            return result
        _check_shape(result, max_depth, max_aliases)
    except RecursionError:  # below a --max-depth set past what Python's recursion can follow
        result.fail(
            codes.E106,
            f"nesting too deep to read: past the {sys.getrecursionlimit()} levels Python's "
            f"recursion can follow (the limit set is {max_depth} levels)",
            1,
        )
    except MemoryError:
        result.fail(codes.E105, "the document does not fit in memory", 1)
    return result


# --- encoding ------------------------------------------------------------------------------------


def _decode(result: Parsed, data: str | bytes, max_bytes: int) -> str | None:
    if isinstance(data, str):
        if len(data) > max_bytes:
            result.fail(codes.E105, f"{len(data)} characters is over the {max_bytes}-byte limit", 1)
            return None
        text = data[1:] if data.startswith("\ufeff") else data
    else:
        if len(data) > max_bytes:
            result.fail(codes.E105, f"{len(data)} bytes is over the {max_bytes}-byte limit", 1)
            return None
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            result.fail(codes.E102, "UTF-16 text: save the document as UTF-8", 1)
            return None
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        try:
            text = data[start:].decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _byte_position(data, exc.start + start)
            result.fail(
                codes.E102, f"invalid UTF-8 byte 0x{data[exc.start + start]:02x}", line, column
            )
            return None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _char_position(text, nul)
        result.fail(
            codes.E102, "a NUL character: this is a binary file, not a document", line, column
        )
        return None
    return text


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _char_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- JSON ----------------------------------------------------------------------------------------


_SPACE = re.compile(r"\s*")


def _looks_like_json(text: str) -> bool:
    """The first character that is not white space (as `str.isspace` says) opens a JSON value."""
    match = _SPACE.match(text)
    start = match.end() if match is not None else 0
    return text[start : start + 1] in ("{", "[")


_STRICT_JSON = re.compile(r'\s*(\{\s*"|\[\s*[\[{"\d\]-])')


def _parse_json(result: Parsed, text: str, max_depth: int) -> bool:
    """orjson first; a document that is not JSON after all falls back to YAML (its superset)."""
    try:
        with paused_gc():
            tree = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        # orjson stops at 1,024 levels ("recursion limit" in older releases, "depth limit" in
        # newer ones): the same finding as our own, lower limit gives
        if "recursion" in str(exc) or "depth limit" in str(exc):
            result.fail(codes.E106, f"nesting deeper than the {max_depth}-level limit", 1)
            return True
        if not _STRICT_JSON.match(text):  # e.g. `{openapi: 3.0.1, ...}`: YAML flow style
            probe = Parsed(result.name)
            _parse_yaml(probe, text, _SAFE_NESTING)
            if probe.tree is not None:
                result.tree, result.diagnostics = probe.tree, probe.diagnostics
                return True
        line, column = _char_position(text, exc.pos)
        result.fail(codes.E104, f"malformed JSON: {exc.msg}", line, column)
        return True
    result.format = "json"
    result.tree = tree
    return True


#: a key's closing quote, whitespace, then its colon (`"key" :`, `"key"\t:`)
_SPACED_KEY_END = re.compile(r'"[ \t\n\r]+:')
#: a quote escaped by an odd run of backslashes, then a colon: `\":`, `\\\":`, not `\\":`
#: (the lookbehind makes each match start at its run's first backslash)
_ESCAPED_QUOTE_COLON = re.compile(r'\\(?<!\\\\)(?:\\\\)*":')


def _find_json_duplicates(result: Parsed, text: str, keys_in_tree: int | None) -> None:
    """orjson keeps the last of duplicate keys silently; find them where a count says so.

    In valid JSON a quote that is not escaped and is followed by a colon (whitespace allowed
    between) closes a key, or opens a string that starts with a colon. Counting those gives
    at least the keys the text writes; fewer keys in the tree means a duplicate, or such a
    string, and only then is the text parsed again, slowly, to name the duplicates (a false
    alarm costs that parse, never a missed duplicate). The counts are C-speed substring and
    regex scans, about 3 ms per MB; a key hidden behind a tab before its colon, or next to a
    key ending in a backslash, is counted like any other.
    """
    if keys_in_tree is None:
        keys_in_tree = _check_depth(result.tree, 0, 1 << 30)
    counted = text
    if _SPACED_KEY_END.search(counted) is not None:  # whitespace before colons: one spelling
        counted = _SPACED_KEY_END.sub('":', counted)
    keys = counted.count('":')  # the escaped ones too, counted only when these are too many
    if keys <= keys_in_tree:
        return
    keys -= len(_ESCAPED_QUOTE_COLON.findall(counted))
    del counted
    if keys <= keys_in_tree:
        return
    import json

    found: list[tuple[dict[str, Any], str]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                found.append((out, key))
            out[key] = value
        return out

    try:
        tree = json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return
    if found:
        result.tree = tree
        _report_duplicates(result, [(id(d), k, None, None) for d, k in found])


# --- YAML ----------------------------------------------------------------------------------------


_YAML_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = (_YAML_TAG + name for name in ("str", "map", "seq"))
#: the first characters of every plain scalar an implicit resolver may type (bool, int, float,
#: null, timestamp, merge, value, yaml); checked against PyYAML's table by the tests
_RESOLVED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_TAG_CACHE_SIZE = 1 << 16


class _Loader(yaml.CSafeLoader):
    """Safe loading plus CloudFormation short tags, duplicate keys and JSON-only scalars."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Duplicate] = []
        self.bad_tags: list[tuple[str, yaml.Mark]] = []
        self._tags: dict[str, str] = {}
        #: where the members of the top two levels are, when `_build` built the tree
        self.outline: Outline | None = None

    def construct_plain_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        yield data
        own = node.value
        value = self.construct_mapping(node)
        data.update(value)
        # duplicates, merge keys, or keys that are one once written as text (`200`, `'200'`)
        if len(value) < len(own) or own is not node.value or _clashes(value):
            seen: set[Any] = set()
            texts: dict[str, Any] = {}
            for key_node, _ in own:
                key = self.construct_object(key_node)
                first = texts.setdefault(_as_text(key), key)
                if key in seen:
                    self.duplicates.append((id(data), key, key_node.start_mark, None))
                elif first is not key:  # the later one is kept, as for any duplicate
                    self.duplicates.append((id(data), key, key_node.start_mark, first))
                    data.pop(first, None)
                    texts[_as_text(key)] = key
                seen.add(key)

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The tag PyYAML's resolver gives a node (libyaml's composer asks for every untagged
        one), without its cost per call: a scalar that is quoted, or plain and not starting
        with a character any implicit resolver starts with, is a string; other plain scalars
        are resolved once per distinct text. Exact because this loader has no path resolvers."""
        if kind is not yaml.ScalarNode:
            return _MAP if kind is yaml.MappingNode else _SEQ
        if not implicit[0] or (value and value[0] not in _RESOLVED_FIRST):
            return _STR
        tag = self._tags.get(value)
        if tag is None:
            tag = yaml.resolver.BaseResolver.resolve(self, kind, value, implicit)  # type: ignore[no-untyped-call]
            if len(self._tags) < _TAG_CACHE_SIZE:
                self._tags[value] = tag
        return tag

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        return self._typed(yaml.constructor.SafeConstructor.construct_yaml_int, node, "an integer")

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        return self._typed(yaml.constructor.SafeConstructor.construct_yaml_float, node, "a number")

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> Any:
        return self._typed(yaml.constructor.SafeConstructor.construct_yaml_bool, node, "a boolean")

    def _typed(self, construct: Callable[[Any, Any], Any], node: yaml.ScalarNode, what: str) -> Any:
        """A scalar the resolver typed, or one written with `!!int`, `!!float`, `!!bool`: an
        explicit tag on a value that is not of its type is a located error."""
        try:
            return construct(self, node)
        except (ValueError, KeyError, AttributeError) as exc:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{str(node.value)[:40]!r} is not {what} ({_short_tag(node.tag)})",
                node.start_mark,
            ) from exc

    def load_tree(self, shared: bool) -> Any:
        """The document's tree: composed by libyaml, built by `_build` unless the document has
        what only the full constructor handles (anchors, merge keys, duplicate keys, set and
        ordered-map tags, unhashable keys, nesting past Python's recursion limit); then by the
        full constructor from the same nodes, which gives the same tree as `get_single_data`."""
        node = self.get_single_node()
        if node is None:
            return None
        if not shared:
            try:
                tree = _build(node, self)
                self.outline = _outline(node, tree)
                return tree
            except (_Slow, TypeError, RecursionError):
                # what a CloudFormation tag's subtree recorded, the full constructor records again
                self.bad_tags, self.duplicates = [], []
                self.constructed_objects, self.recursive_objects = {}, {}
        return self.construct_document(node)

    def construct_scalar_text(self, node: yaml.ScalarNode) -> Any:
        """Dates, timestamps and binary stay the text as written: the tree is JSON-shaped."""
        return self.construct_scalar(node)

    def construct_cfn(self, suffix: str, node: yaml.Node) -> Any:
        long_name = CFN_TAGS.get(suffix)
        value = self._construct_untagged(node)
        if long_name is None:
            self.bad_tags.append(("!" + suffix, node.start_mark))
            return value
        if long_name == "Fn::GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            value = [resource, attribute]
        return {long_name: value}

    def construct_unknown(self, node: yaml.Node) -> Any:
        self.bad_tags.append((str(node.tag), node.start_mark))
        return self._construct_untagged(node)

    def _construct_untagged(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return self.construct_sequence(node, deep=True)
        if isinstance(node, yaml.MappingNode):
            return self.construct_mapping(node, deep=True)
        return None


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_plain_map)
_Loader.add_constructor("tag:yaml.org,2002:set", _Loader.construct_plain_map)
# ordered maps and pairs stay the sequence of one-key mappings they are written as
_Loader.add_constructor("tag:yaml.org,2002:omap", _Loader.construct_yaml_seq)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:pairs", _Loader.construct_yaml_seq)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_scalar_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor("tag:yaml.org,2002:binary", _Loader.construct_scalar_text)
_Loader.add_multi_constructor("!", _Loader.construct_cfn)
_Loader.add_constructor(None, _Loader.construct_unknown)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag


class _Slow(Exception):
    """`_build` met something it leaves to the full constructor."""


def _build(root: yaml.Node, loader: _Loader) -> Any:
    """The tree of composed nodes that share nothing (no anchors), as `loader`'s constructor
    builds it, in one recursive pass: strings and containers directly, other scalars by the
    constructor's own functions. PyYAML's constructor costs three times libyaml's composing
    (generators per container, a memo of every node); this costs a quarter of it. Raises
    `_Slow` where the full constructor is needed, `TypeError` for an unhashable key."""
    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode
    typed: dict[str, Callable[[Any], Any]] = {
        "tag:yaml.org,2002:null": loader.construct_yaml_null,
        "tag:yaml.org,2002:bool": loader.construct_yaml_bool,
        "tag:yaml.org,2002:int": loader.construct_yaml_int,
        "tag:yaml.org,2002:float": loader.construct_yaml_float,
        "tag:yaml.org,2002:timestamp": loader.construct_scalar_text,
        "tag:yaml.org,2002:binary": loader.construct_scalar_text,
    }

    typed_keys = 0  # keys built that are not strings, so far

    def build_key(node: Any) -> Any:
        nonlocal typed_keys
        if node.__class__ is scalar_node and node.tag == _STR:
            return node.value
        typed_keys += 1
        return build(node)

    def build(node: Any) -> Any:
        cls, tag = node.__class__, node.tag
        if cls is scalar_node:
            if tag == _STR:
                return node.value
            construct = typed.get(tag)
            if construct is not None:
                return construct(node)
        elif cls is mapping_node:
            if tag == _MAP:
                pairs = node.value
                before = typed_keys
                data = {build_key(key): build(value) for key, value in pairs}
                if len(data) != len(pairs):  # duplicate keys: reported by the full constructor
                    raise _Slow
                # a key that is not a string here or below: `200` and `'200'` are one key to
                # the model, which writes keys as text (rare, so checked only then)
                if typed_keys != before and _clashes(data):
                    raise _Slow
                return data
        elif tag == _SEQ:
            return [build(item) for item in node.value]
        if tag.startswith("!") and not tag.startswith("!!"):
            return loader.construct_cfn(tag[1:], node)
        raise _Slow

    return build(root)


def _as_text(key: Any) -> str:
    """A mapping key as the model writes it: `200` and `'200'` are one status code."""
    return key if type(key) is str else str(key)


def _clashes(data: dict[Any, Any]) -> bool:
    """Whether two keys of `data` are one key once written as text."""
    return len({_as_text(key) for key in data}) != len(data)


def _outline(root: yaml.Node, tree: Any) -> Outline:
    """Where each member of the root mapping and of the mappings it holds is written (10,000
    entries for 10,000 paths), so that a location under one composes that member's text
    rather than the whole document (`locate`). The nodes pair with the tree's keys in order:
    `_build` leaves no duplicate keys."""
    outline: Outline = {}
    if not (isinstance(root, yaml.MappingNode) and root.tag == _MAP and type(tree) is dict):
        return outline
    mark = root.start_mark
    outline[()] = (mark.index, root.end_mark.index, mark.line, True)
    for (key_node, value_node), (key, value) in zip(root.value, tree.items(), strict=True):
        token = str(key)
        mark = key_node.start_mark
        listed = isinstance(value_node, yaml.MappingNode) and value_node.tag == _MAP
        outline[(token,)] = (mark.index, value_node.end_mark.index, mark.line, listed)
        if listed:
            for (inner_key, inner_value), name in zip(value_node.value, value, strict=True):
                mark = inner_key.start_mark
                end = inner_value.end_mark.index
                outline[(token, str(name))] = (mark.index, end, mark.line, False)
    return outline


def _parse_yaml(result: Parsed, text: str, max_depth: int) -> None:
    bound = _safe_nesting(text, max_depth)
    if bound is None:
        result.fail(codes.E106, f"nesting deeper than the {max_depth}-level limit", 1)
        return
    loader = _Loader(text)
    shared = "*" in text and _may_have_anchors(text)  # without anchors no node is shared
    try:
        with paused_gc():
            tree = run_deep(lambda: loader.load_tree(shared), bound)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, in newer releases
            result.fail(codes.E106, f"nesting deeper than the {max_depth}-level limit", 1)
            return
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        code = codes.E111 if isinstance(exc, yaml.constructor.ConstructorError) else codes.E104
        if mark is not None:
            result.fail(code, f"malformed YAML: {problem}", mark.line + 1, mark.column + 1)
        else:
            result.fail(code, f"malformed YAML: {problem}", 1)
        return
    except yaml.reader.ReaderError as exc:
        line, column = _char_position(text, exc.position)
        what = f"character {exc.character!r}" if isinstance(exc.character, str) else "byte"
        result.fail(codes.E104, f"malformed YAML: {what} is not allowed in YAML", line, column)
        return
    except yaml.YAMLError as exc:
        result.fail(codes.E104, f"malformed YAML: {exc}", 1)
        return
    finally:
        loader.dispose()
    result.tree = tree
    result.outline = loader.outline
    for tag, mark in loader.bad_tags:
        result.diagnostics.append(
            Diagnostic(
                codes.E110,
                Severity.ERROR,
                f"unknown tag {tag}: only standard YAML tags and CloudFormation short forms "
                "(!Ref, !Sub, !GetAtt...) are read",
                "",
                Location(result.name, mark.line + 1, mark.column + 1),
                file=result.name,
            )
        )
    if loader.duplicates:
        _report_duplicates(result, loader.duplicates)


def nesting_bound(text: str) -> int:
    """An upper bound of the YAML nesting depth that costs two C-speed passes.

    Flow collections each open with a bracket; block collections each start at a column at
    least one beyond their parent's, except a sequence under a mapping key (hence twice the
    longest line).
    """
    longest = max(map(len, text.splitlines()), default=0)
    return text.count("[") + text.count("{") + 2 * longest + 4


#: bytes: `[{` as `(`, `]}` as `)`; everything else deleted
_PARENS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
#: bytes: indentation and indicators (`- `, `? `, `: `) as `a`, newlines kept, the rest `b`
_LEADERS = bytes(
    ord("a") if c in b" \t?:-" else c if c == ord("\n") else ord("b") for c in range(256)
)
#: rounds of removing innermost bracket pairs before the rest is counted one by one
_ROUNDS = 64


def quick_depth_bound(text: str) -> int:
    """A tighter upper bound of the nesting depth, at C speed.

    Flow depth is at most the bracket depth counted as if no bracket were quoted; block depth at
    most twice a line's run of leading indentation and indicators (`- `, `? `, `: `), plus one.
    Both are measured on the UTF-8 bytes (no multi-byte character holds an ASCII byte).
    """
    data = text.encode("utf-8", "surrogatepass")
    # Each round of deleting adjacent `()` pairs removes the innermost matched pairs, so the
    # bracket depth is at most the rounds plus the depth of what is left.
    brackets = data.translate(_PARENS, _NOT_BRACKETS)
    rounds = 0
    while rounds < _ROUNDS:
        fewer = brackets.replace(b"()", b"")
        if len(fewer) == len(brackets):
            break
        brackets, rounds = fewer, rounds + 1
    flow = depth = 0
    for byte in brackets:  # unmatched brackets, or pairs nested deeper than the rounds
        depth = depth + 1 if byte == 40 else max(depth - 1, 0)
        flow = max(flow, depth)
    return rounds + flow + 2 * _longest_run(data.translate(_LEADERS)) + 2


def _longest_run(leaders: bytes) -> int:
    """The longest run of `a` at the start of a line (searches double, then halve)."""

    def found(n: int) -> bool:
        run = b"a" * n
        return leaders.startswith(run) or b"\n" + run in leaders

    low, high = 0, 1
    while found(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if found(middle) else (low, middle)
    return low


def _safe_nesting(text: str, max_depth: int) -> int | None:
    """A nesting bound libyaml's recursive composer can be given a stack for, or None when
    the document is deeper than `max_depth` (measured exactly, without recursion)."""
    quick = quick_depth_bound(text)
    if quick <= max_depth:
        return quick  # shallow for sure, and a bound to size libyaml's stack by
    # Possibly too deep: libyaml's parser slows down with the square of the depth (100,000
    # levels took 35 s), so measure first and stop at the limit.
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
                if depth > max_depth:
                    return None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the real parse reports the syntax error with its place (up to here: shallow)
    return deepest + 1


def run_deep(fn: Callable[[], T], bound: int) -> T:
    """Run libyaml's recursive composer on a thread whose stack fits `bound` nesting levels."""
    if bound <= _SAFE_NESTING:
        return fn()
    size = min(_MAX_THREAD_STACK, max(bound * _STACK_PER_LEVEL + (32 << 20), 64 << 20))
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append((True, fn()))
        except BaseException as exc:  # handed back to the caller's thread
            outcome.append((False, exc))

    with _STACK_LOCK:
        try:
            previous = threading.stack_size(size)
        except (ValueError, RuntimeError) as exc:  # a platform without settable stacks
            raise MemoryError("no thread stack for a document this nested") from exc
        try:
            worker = threading.Thread(target=target, name="oas2gw-yaml")
            worker.start()
        except RuntimeError as exc:  # the stack could not be allocated
            raise MemoryError("no thread stack for a document this nested") from exc
        finally:
            threading.stack_size(previous)
    worker.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


_STACK_LOCK = threading.Lock()


def quiet_subtrees(tree: Any, needles: tuple[bytes, ...], levels: int = 4) -> set[int]:
    """Ids of subtrees (path items, operations, components...) that contain none of `needles`,
    found by serialising with orjson: C speed, where a Python walk over every node is not."""
    quiet: set[int] = set()
    option = orjson.OPT_NON_STR_KEYS

    def scan(node: Any, level: int) -> None:
        children = node.values() if type(node) is dict else node
        for child in children:
            if type(child) is not dict and type(child) is not list:
                continue
            try:
                dumped = orjson.dumps(child, option=option)
            except (TypeError, orjson.JSONEncodeError):
                continue  # walked the slow way
            if not any(needle in dumped for needle in needles):
                quiet.add(id(child))
            elif level < levels:
                scan(child, level + 1)

    if type(tree) is dict or type(tree) is list:
        scan(tree, 1)
    return quiet


# --- shape: depth, aliases, duplicates --------------------------------------------------------


class _TooDeep(Exception):
    pass


class _Recursive(Exception):
    pass


def _check_shape(result: Parsed, max_depth: int, max_aliases: int) -> None:
    """Refuse trees too deep for the later stages, and alias bombs before anyone expands them."""
    text = result.text or ""
    shared = result.format == "yaml" and "*" in text and _may_have_anchors(text)
    try:
        if shared:
            expansions = _expansions(result.tree, max_depth, max_aliases)
            if expansions > max_aliases:
                result.fail(
                    codes.E107,
                    f"expanding the YAML aliases takes over {max_aliases} substitutions "
                    "(alias bomb?)",
                    1,
                )
        else:
            result.tree_shaped = True  # without anchors nothing is shared
            keys: int | None = None  # mapping keys in the tree, when a pass counted them
            scanned = result.tree
            if result.format == "json" and "$ref" in text and _container(scanned):
                # the `$ref`s are to be found anyway: the same pass checks the shape
                scan = scan_sites(result.tree, max_depth)
                result.sites, result.plain, keys = scan, scan.plain, scan.keys
            elif "$ref" in text and _container(scanned):
                # YAML: orjson tells the depth and whether every key is a string; the pass
                # that finds the `$ref`s tells the rest of `plain` (no search of the output)
                if not _shape_fast(result, max_depth, marks=False):
                    _check_depth(result.tree, 0, max_depth)
                result.sites = scan_sites(result.tree)
                result.plain = result.plain and result.sites.plain
            else:  # JSON's duplicate check counts the keys from the tree when none did
                if not _shape_fast(result, max_depth):
                    keys = _check_depth(result.tree, 0, max_depth)
            if result.format == "json":
                _find_json_duplicates(result, text, keys)
                if result.tree is not scanned:  # read again to name duplicates: new nodes
                    result.sites = None
    except _TooDeep:
        result.fail(codes.E106, f"nesting deeper than the {max_depth}-level limit", 1)
    except _Recursive:
        result.fail(codes.E108, "a YAML alias refers to a node that contains it", 1)


#: orjson refuses to serialise deeper than this, which makes it a C-speed depth check.
_ORJSON_MAX_DEPTH = 254


def _shape_fast(result: Parsed, max_depth: int, marks: bool = True) -> bool:
    """Whether orjson shows the tree is within the depth limit (False: not known; the caller
    walks the tree). Without `marks`, `plain` says only that every key is a string.

    orjson refuses keys that are not strings unless asked, and in its output a dict shaped
    like an intrinsic shows one of `_INTRINSIC_MARKS` (inside strings, quotes are escaped), so
    the same output tells whether the tree is `plain`.
    """
    if max_depth < _ORJSON_MAX_DEPTH:
        return False
    text = result.text or ""
    try:
        dumped = orjson.dumps(result.tree)
        result.plain = not marks or (
            not any(mark in dumped for mark in _INTRINSIC_MARKS)
            and ("$ref" in text or b'"$ref":' not in dumped)  # a `$ref` spelled with escapes
        )
    except (TypeError, orjson.JSONEncodeError):
        try:
            orjson.dumps(result.tree, option=orjson.OPT_NON_STR_KEYS)
        except (TypeError, orjson.JSONEncodeError):
            return False
    return True


#: What a dict that may be an intrinsic (`{"Ref": ...}`, `{"Fn::Sub": ...}`) looks like in
#: orjson's output; string values starting with `Fn::` match too, which only costs a copy.
_INTRINSIC_MARKS = (b'"Fn::', b'"Ref":', b'"Condition":')

#: An `&` where YAML allows an anchor; found from the `&` (a leading class scans 30x slower).
_ANCHOR = re.compile(r"&(?<=[\s\[\]{},:?-]&)")


def _may_have_anchors(text: str) -> bool:
    """Without an anchor no alias can share a node, whatever `*`s the text holds (`*/*`)."""
    return text.startswith("&") or _ANCHOR.search(text) is not None


def _container(node: Any) -> bool:
    return type(node) is dict or type(node) is list


def is_site(node: Any) -> bool:
    """A mapping `$ref` inlining stops at: `$ref` a string (inlined) or another scalar (E125)."""
    if type(node) is not dict:
        return False
    ref = node.get("$ref")
    return ref is not None and type(ref) is not dict


@dataclass
class Sites:
    """The `$ref` sites of a tree (not those under other sites), in the order of a depth-first
    walk, and the containers above them."""

    #: (parent, key, chain, site): `chain` the linked `(parent chain, key)` path of the site
    sites: list[tuple[Any, Any, Any, dict[str, Any]]]
    #: id of a container above sites -> (index of its first site, index after its last)
    ranges: dict[int, tuple[int, int]]
    #: mapping keys in the tree (as `_check_depth` counts them)
    keys: int = 0
    #: no mapping of one key is (or, with siblings of a `$ref` merged in, may become) an
    #: intrinsic: keys are not checked for being strings, so this is for JSON trees only
    plain: bool = True


def scan_sites(tree: Any, limit: int = 1 << 30) -> Sites:
    """Every `$ref` site of `tree`, the depth checked and the keys counted on the way.

    One recursive pass with a type test per value, so that finding the references costs less
    than a twentieth of walking every node with `$ref` inlining's own walk. Nesting deeper
    than `limit` raises `_TooDeep`, exactly where `_check_depth` does: a node deeper than the
    limit, a scalar counted as a node (so a non-empty container at the limit is too deep).
    """
    found = Sites([], {})
    sites, ranges = found.sites, found.ranges
    add = sites.append
    plain = True
    lone: dict[Any, None] = {}  # the keys of mappings with one key: a few dozen names
    count = 0  # `len(sites)`, without a call per container

    def walk(node: Any, chain: Any, items: Any, depth: int) -> int:
        nonlocal plain, count
        if depth >= limit:  # its children are deeper than the limit
            raise _TooDeep
        start = count
        keys = 0
        for key, value in items:
            kind = type(value)
            if kind is dict:
                if "$ref" in value:
                    ref = value["$ref"]
                    if ref is not None and type(ref) is not dict:  # a site (`is_site`)
                        add((node, key, (chain, key), value))
                        count += 1
                        if len(value) == 1 and type(ref) is str:
                            keys += 1
                            if depth + 2 > limit:
                                raise _TooDeep
                        else:  # siblings (merged into the target) or a finding: looked at fully
                            plain = False
                            keys += _check_depth(value, depth + 1, limit)
                        continue
                if value:
                    size = len(value)
                    if size == 1:
                        lone[next(iter(value))] = None
                    keys += size + walk(value, (chain, key), value.items(), depth + 1)
            elif kind is list and value:
                keys += walk(value, (chain, key), enumerate(value), depth + 1)
        if count != start:
            ranges[id(node)] = (start, count)
        return keys

    if type(tree) is dict:
        if is_site(tree):
            plain = False
        if len(tree) == 1:
            lone[next(iter(tree))] = None
        found.keys = len(tree) + (walk(tree, None, tree.items(), 0) if tree else 0)
    elif tree:
        found.keys = walk(tree, None, enumerate(tree), 0)
    found.plain = plain and not any(is_intrinsic_key(name) for name in lone)
    return found


def is_intrinsic_key(name: Any) -> bool:
    return name == "Ref" or name == "Condition" or (type(name) is str and name.startswith("Fn::"))


def _check_depth(node: Any, depth: int, limit: int) -> int:
    """Refuse nesting beyond the limit; returns the number of mapping keys (for JSON dups)."""
    if depth > limit:
        raise _TooDeep
    if type(node) is dict:
        keys = len(node)
        values: Any = node.values()
    elif type(node) is list:
        keys, values = 0, node
    else:
        return 0
    for value in values:
        if type(value) is dict or type(value) is list:
            keys += _check_depth(value, depth + 1, limit)
    return keys


def _expansions(root: Any, limit_depth: int, limit: int) -> int:
    """Alias substitutions a full expansion would make; stops counting past the limit."""
    memo: dict[int, tuple[int, int]] = {}  # id -> (height, expansions inside)
    active: set[int] = set()

    def visit(node: Any, depth: int) -> tuple[int, int]:
        if depth > limit_depth:
            raise _TooDeep
        key = id(node)
        active.add(key)
        height, total = 0, 0
        values = node.values() if type(node) is dict else node
        for value in values:
            if type(value) is not dict and type(value) is not list:
                continue
            child = id(value)
            if child in active:
                raise _Recursive
            if child in memo:
                child_height, inner = memo[child]
                total += 1 + inner
                if depth + child_height > limit_depth:
                    raise _TooDeep
            else:
                child_height, inner = visit(value, depth + 1)
                total += inner
            height = max(height, child_height + 1)
            if total > limit:
                break
        active.discard(key)
        memo[key] = (height, total)
        return height, total

    if type(root) is not dict and type(root) is not list:
        return 0
    return visit(root, 0)[1]


def _report_duplicates(result: Parsed, found: Sequence[Duplicate]) -> None:
    """Duplicate keys with the pointer of the mapping that holds them (found by identity)."""
    wanted = {mapping_id for mapping_id, _, _, _ in found}
    pointers: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(result.tree, "")]
    seen: set[int] = set()
    while stack and len(pointers) < len(wanted):
        node, pointer = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if id(node) in wanted:
            pointers[id(node)] = pointer
        if type(node) is dict:
            stack.extend(
                (v, join_pointer(pointer, str(k)))
                for k, v in node.items()
                if type(v) in (dict, list)
            )
        elif type(node) is list:
            stack.extend(
                (v, join_pointer(pointer, i)) for i, v in enumerate(node) if type(v) in (dict, list)
            )
    for mapping_id, key, mark, first in found:
        if mapping_id not in pointers:  # the mapping itself lost to a later duplicate key
            pointer, note = "", " (in a value that a later duplicate key replaced)"
        else:
            pointer, note = join_pointer(pointers[mapping_id], str(key)), ""
        if first is not None:
            note += f" ({first!r} and {key!r} are one key once written as text)"
        location = Location(result.name, mark.line + 1, mark.column + 1) if mark else None
        result.diagnostics.append(
            Diagnostic(
                codes.E109,
                Severity.ERROR,
                f"duplicate key {key!r}: only the last value is kept{note}",
                pointer,
                location,
                file=result.name,
            )
        )
