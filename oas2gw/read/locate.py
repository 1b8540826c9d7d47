"""JSON pointer to file:line:column, paid for only when a location is asked for.

Each file's text is kept; the first `locate` into a file composes it with libyaml (which reads
JSON too) and walks the pointer over the nodes. Pointers into the tree are mapped to the file
and place they came from: the OpenAPI body inside a template sits under a base pointer, and a
`$ref` (or a chosen `Fn::If` branch) that was inlined redirects to its target.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from oas2gw.collector import paused as paused_gc
from oas2gw.diagnostics import Location, split_pointer
from oas2gw.read.source import CFN_TAGS, nesting_bound, run_deep

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
    def __init__(self, name: str, text: str, is_json: bool = False) -> None:
        self.name = name
        self.text = text
        self._is_json = is_json
        self._root: yaml.Node | None = None
        self._failed = False
        self._indexes: dict[int, dict[str, tuple[yaml.Node, Any]]] = {}

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

    def add_file(self, name: str, text: str | None, is_json: bool = False) -> None:
        if text is not None and name not in self._files:
            self._files[name] = _File(name, text, is_json)

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
