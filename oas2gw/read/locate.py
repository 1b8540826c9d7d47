"""JSON pointer to file:line:column, paid for only when a location is asked for.

Each file's text is kept; the first `locate` into a file composes it with libyaml (which reads
JSON too) and walks the pointer over the nodes. Pointers into the tree are mapped to the file
and place they came from: the OpenAPI body inside a template sits under a base pointer, and a
`$ref` (or a chosen `Fn::If` branch) that was inlined redirects to its target.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from oas2gw.collector import paused as paused_gc
from oas2gw.diagnostics import Location, split_pointer
from oas2gw.read.source import CFN_TAGS, Outline, nesting_bound, run_deep

Tokens = tuple[str, ...]

_LONG_TO_SHORT = {long: "!" + short for short, long in CFN_TAGS.items()}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INDEX_FROM = 32


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Composer(yaml.CSafeLoader):
    """libyaml's composer for places: a location needs key texts and merge keys, not the types
    of scalars, so nodes are not typed (that costs PyYAML's resolver a third of composing)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if value == "<<" and implicit[0]:  # a plain `<<` merges (only a scalar has a value)
            return _MERGE_TAG
        return _UNTYPED


_UNTYPED = "tag:yaml.org,2002:str"


class _File:
    def __init__(
        self, name: str, text: str, is_json: bool = False, outline: Outline | None = None
    ) -> None:
        self.name = name
        self.text = text
        self._is_json = is_json
        self._root: yaml.Node | None = None
        self._failed = False
        self._indexes: dict[int, dict[str, tuple[yaml.Node, Any]]] = {}
        self._outline = outline or {}
        #: members composed from their own text: (value node, key mark, line of the key)
        self._members: dict[Tokens, tuple[yaml.Node, Any, int] | None] = {}
        #: a JSON text's top two levels (`_json_outline`)
        self._json: JsonOutline | None = None

    def root(self) -> yaml.Node | None:
        if self._root is None and not self._failed:
            if self._is_json and "\\u" in self.text:
                # libyaml refuses JSON's surrogate-pair escapes; a same-length stand-in keeps
                # columns (done here, when a place is first asked for, not on every read)
                self.text = _SURROGATE.sub(r"\\u0020", self.text)
                self._is_json = False
            try:
                with paused_gc():
                    self._root = run_deep(
                        lambda: yaml.compose(self.text, Loader=_Composer),
                        nesting_bound(self.text),
                    )
            except (yaml.YAMLError, RecursionError, MemoryError):
                self._failed = True
            if self._root is None:
                self._failed = True
        return self._root

    def locate(self, tokens: Tokens) -> Location | None:
        """The place of the deepest node on the path that exists (nearest located ancestor)."""
        if self._root is None:
            place = (
                self._json_place(tokens)
                if self._is_json
                else self._member_place(tokens)
                if self._outline
                else None
            )
            if place is not None:
                return place
        node = self.root()
        if node is None:
            return Location(self.name, 1, 1) if self._failed and self.text else None
        mark = node.start_mark
        for token in tokens:
            found = self._indexed(node, token)
            if found is None:
                found = _child(node, token)
            if found is None:
                break
            node, mark = found
        return Location(self.name, mark.line + 1, mark.column + 1)

    def _json_place(self, tokens: Tokens) -> Location | None:
        """`locate` in JSON text without composing it. The first call finds the members of the
        top two levels in one pass that decodes everything deeper with the json module's C
        scanner (a tenth of composing the text with libyaml); a place under a member then
        reads that member's text alone. None when the text is not what the scanner reads
        (then the whole text is composed)."""
        if self._json is None:
            self._json = _json_outline(self.text)
        if not self._json:
            return None
        members, text = self._json, self.text
        try:
            for depth in (2, 1, 0):
                entry = members.get(tokens[:depth]) if len(tokens) >= depth else None
                if entry is None:
                    continue
                start, value, line, listed = entry
                at = start
                if len(tokens) > depth and not (listed and tokens[: depth + 1] not in members):
                    deeper = _json_walk(text, value, tokens, depth)[1]
                    at = at if deeper is None else deeper
                return self._at(at, line + text.count("\n", start, at))
        except (ValueError, IndexError, StopIteration, RecursionError):
            pass
        return None

    def _at(self, index: int, line: int) -> Location:
        """The place of the character at `index`, on `line` (counted from 0)."""
        return Location(self.name, line + 1, index - self.text.rfind("\n", 0, index))

    def _member_place(self, tokens: Tokens) -> Location | None:
        """`locate` from the reader's outline and the text of one member of the top two
        levels: a place in a 10,000-path document composes one path's text, not the whole
        document's. A member is placed at its key, and a member that is not there at its
        parent, all listed in the outline; a place inside one composes that member."""
        outline = self._outline
        for depth in (2, 1, 0):
            entry = outline.get(tokens[:depth]) if len(tokens) >= depth else None
            if entry is None:
                continue
            index, _, line, listed = entry
            if len(tokens) == depth or (listed and tokens[: depth + 1] not in outline):
                return self._at(index, line)
            member = self._member(tokens[:depth]) if depth else None
            if member is None:
                continue
            node, mark, line = member
            for token in tokens[depth:]:
                found = self._indexed(node, token) or _child(node, token)
                if found is None:
                    break
                node, mark = found
            return Location(self.name, line + mark.line + 1, mark.column + 1)
        return None

    def _member(self, prefix: Tokens) -> tuple[yaml.Node, Any, int] | None:
        """The member's value node and key mark, composed from its lines alone (from the start
        of its key's line to the end of its value) and kept only when that text composes to
        the one member with its key and value where the whole document has them; else None
        (a flow collection, an alias to an anchor elsewhere, a tag directive...)."""
        if prefix in self._members:
            return self._members[prefix]
        found = None
        entry = self._outline.get(prefix)
        if entry is not None:
            key_index, end, line, _ = entry
            start = self.text.rfind("\n", 0, key_index) + 1
            piece = self.text[start:end]
            try:
                with paused_gc():
                    root = run_deep(
                        lambda: yaml.compose(piece, Loader=_Composer), nesting_bound(piece)
                    )
            except (yaml.YAMLError, RecursionError, MemoryError):
                root = None
            if isinstance(root, yaml.MappingNode) and len(root.value) == 1:
                key, value = root.value[0]
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.tag != _MERGE_TAG
                    and key.start_mark.index == key_index - start
                    and value.end_mark.index == end - start
                ):
                    found = (value, key.start_mark, line)
        self._members[prefix] = found
        return found

    def _indexed(self, node: yaml.Node, token: str) -> tuple[yaml.Node, Any] | None:
        """Big mappings (10k paths) get a key index, so many lookups stay linear overall."""
        if not isinstance(node, yaml.MappingNode) or len(node.value) < _INDEX_FROM:
            return None
        index = self._indexes.get(id(node))
        if index is None:
            index = self._indexes[id(node)] = {}
            for key, value in node.value:  # later duplicates win, as in the tree
                if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE_TAG:
                    index[key.value] = (value, key.start_mark)
        return index.get(token)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_scan_value = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner
_scan_string = json.decoder.scanstring  # type: ignore[attr-defined]
#: line breaks of YAML 1.1 other than `\n` and `\r\n`, and a BOM (it shifts libyaml's columns)
_ODD_BREAKS = ("\x85", "\u2028", "\u2029", "\ufeff")


def _json_space(text: str, pos: int) -> int:
    """Where the JSON white space from `pos` ends."""
    return _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]  # `*` always matches


#: tokens -> (index of the key, index where the value starts, the key's line counted from 0,
#: whether the value's members are listed too): `Outline`'s shape, the value's start in place of
#: its end (the JSON walk starts there)
JsonOutline = dict[Tokens, tuple[int, int, int, bool]]


def _json_outline(text: str) -> JsonOutline:
    """The members of a JSON text's root object and of the objects it holds (`JsonOutline`);
    `()` is the root. Empty
    when the text has line breaks that libyaml counts and `_json_place` does not, or is not
    read by the json module's scanner (then places come from composing the whole text)."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return {}
    if any(mark in text for mark in _ODD_BREAKS):
        return {}
    outline: JsonOutline = {}
    try:
        start = _json_space(text, 0)
        line = text.count("\n", 0, start)
        outline[()] = (start, start, line, text[start] == "{")
        if text[start] == "{":
            _json_members(text, start, (), outline, [start, line])
    except (ValueError, IndexError, StopIteration, RecursionError):
        return {}
    return outline


def _json_members(
    text: str, pos: int, parent: Tokens, outline: JsonOutline, lines: list[int]
) -> int:
    """List the members of the object at `pos` under `parent` (and, at the root, those of the
    objects they hold); returns where the object ends. A later equal key replaces an earlier
    one and what was listed under it, as in the tree."""
    pos = _json_space(text, pos + 1)
    if text[pos] == "}":
        return pos + 1
    while True:
        here = pos
        key, pos = _scan_string(text, pos + 1)
        pos = _json_space(text, _json_space(text, pos) + 1)  # past `:`
        tokens = (*parent, key)
        is_object = text[pos] == "{"
        if not parent and tokens in outline:  # a repeated key: forget the first one's members
            for stale in [t for t in outline if len(t) == 2 and t[0] == key]:
                del outline[stale]
        lines[1] += text.count("\n", lines[0], here)  # lines = [index, its line]
        lines[0] = here
        outline[tokens] = (here, pos, lines[1], is_object and not parent)
        if is_object and not parent:
            pos = _json_members(text, pos, tokens, outline, lines)
        else:
            pos = _scan_value(text, pos)[1]
        pos = _json_space(text, pos)
        if text[pos] != ",":
            if text[pos] != "}":
                raise ValueError("not JSON")
            return pos + 1
        pos = _json_space(text, pos + 1)


def _json_walk(text: str, pos: int, tokens: Tokens, depth: int) -> tuple[int, int | None]:
    """Read the JSON value at `pos` (no space before it): where it ends, and where the deepest
    node of `tokens[depth:]` under it is (a member's key, an item's start), None when not even
    the first is there. Values beside the path are decoded, not walked; a member is looked for
    among all of its mapping's members, and the last of equal keys wins, as in the tree."""
    if depth == len(tokens):
        return _scan_value(text, pos)[1], None
    opener = text[pos]
    if opener not in "{[":
        return _scan_value(text, pos)[1], None
    token, found, closer = tokens[depth], None, "}" if opener == "{" else "]"
    wanted = int(token) if opener == "[" and token.isdigit() else -1
    pos = _json_space(text, pos + 1)
    if text[pos] == closer:
        return pos + 1, None
    count = 0
    while True:
        here = pos
        if opener == "{":
            key, pos = _scan_string(text, pos + 1)
            pos = _json_space(text, _json_space(text, pos) + 1)  # past `:`
            hit = key == token
        else:
            hit, count = count == wanted, count + 1
        if hit:
            pos, deeper = _json_walk(text, pos, tokens, depth + 1)
            found = here if deeper is None else deeper
        else:
            pos = _scan_value(text, pos)[1]
        pos = _json_space(text, pos)
        if text[pos] != ",":
            if text[pos] != closer:
                raise ValueError("not JSON")
            return pos + 1, found
        pos = _json_space(text, pos + 1)


def _child(node: yaml.Node, token: str) -> tuple[yaml.Node, Any] | None:
    """Step one token down; a mapping member is located at its key, as editors show it."""
    if node.tag in _SHORT_TAGS and _LONG_TO_SHORT.get(token) == node.tag:
        return node, node.start_mark  # `!Sub x` stands for {"Fn::Sub": x}
    if isinstance(node, yaml.MappingNode):
        merged: list[yaml.Node] = []
        for key, value in reversed(node.value):  # the last duplicate is the one kept
            if key.tag == _MERGE_TAG:
                merged.append(value)
            elif isinstance(key, yaml.ScalarNode) and _same_key(key.value, token):
                return value, key.start_mark
        for source in merged:
            for candidate in source.value if isinstance(source, yaml.SequenceNode) else [source]:
                found = _child(candidate, token)
                if found is not None:
                    return found
        return None
    if isinstance(node, yaml.SequenceNode):
        if token.isdigit() and int(token) < len(node.value):
            item = node.value[int(token)]
            return item, item.start_mark
        return None
    if isinstance(node, yaml.ScalarNode) and node.tag == "!GetAtt" and token in ("0", "1"):
        return node, node.start_mark
    return None


_SHORT_TAGS = frozenset(_LONG_TO_SHORT.values())


def _same_key(text: str, token: str) -> bool:
    if text == token:
        return True
    # keys the safe loader turns into numbers or booleans (`200`, `on`) match their string form
    return text.lower() in ("true", "false", "yes", "no", "on", "off") and token in (
        "True",
        "False",
    )


def chain_tokens(chain: Any) -> Tokens:
    """The tokens of a path kept as a linked chain `(parent, key)` (`None` at the root)."""
    keys: list[str] = []
    while chain is not None:
        chain, key = chain
        keys.append(str(key))
    keys.reverse()
    return tuple(keys)


class SourceMap:
    """The `Locator` of one read: files, the document's base, and the inlined places."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._files: dict[str, _File] = {}
        self._root_file: str | None = None
        self._base: Tokens = ()
        self._redirects: dict[tuple[str, Tokens], tuple[str, Tokens]] = {}
        #: redirects not yet in `_redirects`, in the order given: sites as linked chains, whose
        #: tokens are built only when a location is first asked for (most reads ask for none)
        self._pending: list[tuple[str, Tokens, Any, str, Tokens]] = []

    def add_file(
        self, name: str, text: str | None, is_json: bool = False, outline: Outline | None = None
    ) -> None:
        """A file's text, and where the reader found its top two levels (YAML only)."""
        if text is not None and name not in self._files:
            self._files[name] = _File(name, text, is_json, outline)

    def set_root(self, name: str, base: Tokens = ()) -> None:
        self._root_file, self._base = name, base

    def redirect(self, file: str, site: Tokens, target_file: str, target: Tokens) -> None:
        """Nodes under `site` in `file` were inlined from `target` in `target_file`."""
        self._pending.append((file, site, None, target_file, target))

    def redirect_chain(
        self, file: str, base: Tokens, chain: Any, target_file: str, target: Tokens
    ) -> None:
        """`redirect` for the site `base` + `chain_tokens(chain)`, converted when first used."""
        self._pending.append((file, base, chain, target_file, target))

    def _settle(self) -> None:
        redirects = self._redirects
        for file, base, chain, target_file, target in self._pending:
            site = base + chain_tokens(chain) if chain is not None else base
            redirects[(file, site)] = (target_file, target)
        self._pending.clear()

    def redirects(self) -> dict[tuple[str, Tokens], tuple[str, Tokens]]:
        """Every redirect: (file, site) -> (target file, target)."""
        if self._pending:
            self._settle()
        return dict(self._redirects)

    def locate(self, pointer: str) -> Location | None:
        if self._root_file is None:
            return None
        file, tokens = self.resolve(pointer)
        source = self._files.get(file)
        return source.locate(tokens) if source is not None else None

    def resolve(self, pointer: str) -> tuple[str, Tokens]:
        """The file and the pointer (as tokens) that a tree pointer came from."""
        assert self._root_file is not None
        if self._pending:
            self._settle()
        file, tokens = self._root_file, self._base + tuple(split_pointer(pointer))
        floor = 0  # after a redirect, only the target itself or deeper may redirect again
        for _ in range(64):  # chained references; cycles are never inlined, but stay bounded
            for cut in range(len(tokens), floor - 1, -1):
                target = self._redirects.get((file, tokens[:cut]))
                if target is not None:
                    file, tokens = target[0], target[1] + tokens[cut:]
                    floor = len(target[1])
                    break
            else:
                break
        return file, tokens

    def locate_in(self, file: str, tokens: Tokens) -> Location | None:
        """A place in a given file, by file-space tokens (for files outside the tree)."""
        source = self._files.get(file)
        return source.locate(tokens) if source is not None else None
