"""`$ref` inlining: every reference outside schemas becomes its target, in place.

API Gateway does not resolve references in most places (an integration object behind a `$ref`
is simply lost), so the tree handed on has them inlined. Schemas under `definitions` and
`components/schemas` may be recursive and are referred to by name, so references to them stay.
Targets are resolved once and shared, which keeps 10k operations linear; nested references
count towards an expansion limit so a few lines cannot expand into billions of nodes.
Files are read only inside the root document's folder; nothing else, and never the network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from oas2gw.diagnostics import Diagnostic, Severity, escape_pointer_token, split_pointer
from oas2gw.read import codes
from oas2gw.read.locate import SourceMap, Tokens, chain_tokens
from oas2gw.read.source import Parsed, Sites, is_site, parse, quiet_subtrees, read_file, scan_sites

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_SCHEMA_HOMES = (("definitions",), ("components", "schemas"))
#: Inlined references, counted with nesting, before a document is refused (E126).
MAX_REF_EXPANSIONS = 1_000_000


@dataclass
class _Doc:
    name: str  # display name, used in locations
    real: Path | None  # where it is on disk, for resolving relative references
    tree: Any
    base: Tokens  # where the OpenAPI document sits in the file


class _Stop(Exception):
    pass


class RefResolver:
    def __init__(
        self,
        root: _Doc,
        source_map: SourceMap,
        diagnostics: list[Diagnostic],
        *,
        max_bytes: int,
        max_depth: int,
        max_aliases: int,
        tree_shaped: bool = False,
        sites: Sites | None = None,
    ) -> None:
        self.root = root
        #: no node of the root tree is reachable twice (JSON, YAML without aliases)
        self.tree_shaped = tree_shaped
        self.sites = sites  # of the root tree, when the reader found them already
        self.map = source_map
        self.diagnostics = diagnostics
        self.limits = {"max_bytes": max_bytes, "max_depth": max_depth, "max_aliases": max_aliases}
        self.folder = root.real.parent.resolve() if root.real is not None else None
        self.docs: dict[str, _Doc | None] = {root.name: root}
        self.done: dict[tuple[str, str], Any] = {}  # resolved targets
        self.weight: dict[int, int] = {}  # container id -> references inlined inside it
        self.loops_reported: set[frozenset[str]] = set()
        self.active: set[tuple[str, str]] = {(root.name, "")}
        self.visited: set[int] = set()
        self.expansions = 0
        #: `_walk_sites`: containers above sites (id -> range of site indexes), the site at
        #: hand, and the expansions counted before each site so far
        self.ranges: dict[int, tuple[int, int]] = {}
        self.at = 0
        self.before: list[int] = []
        self.stack_pointers: list[str] = []
        #: every file read was `plain` and every reference left in the tree is usable
        self.plain = True
        self.kept: set[str] = set()  # references to schemas, left in the tree
        self.schemas_found: set[str] = set()  # ... whose targets exist
        #: (file, `$ref`) -> target file, tokens, is a schema kept by name, key of `done`
        self.targets: dict[tuple[str, str], tuple[_Doc, Tokens, bool, tuple[str, str]]] = {}

    # -- entry ------------------------------------------------------------------------------

    def resolve(self) -> Any:
        """The root tree with references inlined (mutated in place), or None when refused."""
        tree = self.root.tree
        try:
            if self.tree_shaped and _container(tree) and not is_site(tree):
                self._walk_sites(self.sites or scan_sites(tree))
            else:
                self.visited |= quiet_subtrees(tree, (b'"$ref"',))
                tree = self._walk(tree, self.root, None)
        except _Stop:
            return None
        if self.plain:  # what the schema check would otherwise have to stub out
            self.plain = all(usable_local_ref(tree, ref) for ref in self.kept)
        return tree

    # -- walking ----------------------------------------------------------------------------

    def _walk_sites(self, found: Sites) -> None:
        """`_walk` of the root tree, from a list of its reference sites.

        Equivalent to `_walk(tree)` for a tree in which no node is reachable twice, step for
        step: `scan_sites` lists the sites in the order `_walk` reaches them and each is
        handled as `_walk` would handle it. What `_walk` would have recorded on the way about
        the containers above sites (the only ones whose state a later step can read) is
        derived when read, from each one's range of sites: entered (`visited`) once its first
        site is reached, weighed (`weight`) by the expansions counted between its first site
        and the one after its last (`_seen`, `_weight_of`). A site whose parent a target's
        walk has visited is skipped, as `_walk` skips the container above it that the target's
        walk reached first (and walked through, down to this parent). Containers without a
        site below are not marked: walking one later finds nothing to do, and a reference to
        one counts 1 whether it is fresh or not. The common case, a reference whose target
        is inlined already, is handled here without the general path.
        """
        sites = found.sites
        self.ranges = found.ranges
        doc, name, base = self.root, self.root.name, self.root.base
        visited, schemas_found = self.visited, self.schemas_found
        before = self.before = []  # expansions counted before each site
        redirect = self.map.redirect_chain
        #: ref -> (value, expansions it counts, target file, target tokens), once inlined:
        #: none of these change afterwards (`_inlined` says when they could)
        inlined: dict[str, tuple[Any, int, str, Tokens]] = {}
        for at, (parent, key, chain, site) in enumerate(sites):
            self.at = at
            before.append(self.expansions)
            if id(parent) in visited:  # walked as (part of) a target already
                continue
            ref = site["$ref"]
            if type(ref) is str:
                if ref in schemas_found:
                    continue  # kept by name, found already: `_inline` returns the site
                fast = inlined.get(ref) if len(site) == 1 else None
                if fast is None and len(site) == 1:
                    fast = self._inlined(ref, site)
                    if fast is not None:
                        inlined[ref] = fast
                if fast is not None:
                    value, n, target_name, target_tokens = fast
                    if self.expansions + n > MAX_REF_EXPANSIONS:
                        self._count(n, doc, tokens_of(chain))  # reports and stops
                    self.expansions += n
                    redirect(name, base, chain, target_name, target_tokens)
                    parent[key] = value
                    continue
            new = self._walk(site, doc, chain)
            if new is not site:
                parent[key] = new

    def _seen(self, key_id: int) -> bool:
        """In `visited`, or a container above sites that `_walk_sites` has entered."""
        if key_id in self.visited:
            return True
        span = self.ranges.get(key_id)
        return span is not None and span[0] <= self.at

    def _weight_of(self, value: Any) -> int:
        """`weight`, or what `_walk` would have recorded for a container above sites when
        `_walk_sites` left it (nothing while it is still being walked)."""
        key_id = id(value)
        recorded = self.weight.get(key_id)
        if recorded is not None:
            return recorded
        span = self.ranges.get(key_id)
        if span is None or key_id in self.visited or span[1] > self.at:
            return 0
        return self.before[span[1]] - self.before[span[0]]

    def _inlined(self, ref: str, site: dict[str, Any]) -> tuple[Any, int, str, Tokens] | None:
        """What `_inline` does with a one-key site of the root tree whose target is inlined
        already (value, count, redirect), or None when it does anything else or the count
        may still change (a target that `_walk_sites` entered and has not left)."""
        known = self.targets.get((self.root.name, ref))
        if known is None:
            return None
        target_doc, tokens, schema, key = known
        if schema or key not in self.done or key in self.active:
            return None
        value = self.done[key]
        if value is site:
            return None
        span = self.ranges.get(id(value))
        if span is not None and span[1] > self.at and id(value) not in self.visited:
            return None  # above sites `_walk_sites` has not left yet: its weight is to come
        weight = 1 + self._weight_of(value)
        return value, weight, target_doc.name, target_doc.base + tokens

    def _walk(self, node: Any, doc: _Doc, path: Path_) -> Any:
        """Inline the references under `node`; `path` is a linked (parent, key) chain."""
        if type(node) is dict:
            ref = node.get("$ref")
            if isinstance(ref, str):
                return self._inline(node, doc, tokens_of(path))
            if ref is not None and type(ref) is not dict:  # a dict is a property named "$ref"
                self._report(codes.E125, "$ref must be a string", doc, (*tokens_of(path), "$ref"))
            items: Any = node.items()
        elif type(node) is list:
            items = enumerate(node)
        else:
            return node
        key_id = id(node)
        if key_id in self.visited or (self.ranges and self._seen(key_id)):
            return node
        self.visited.add(key_id)
        before = self.expansions
        for key, value in items:
            if type(value) is dict or type(value) is list:
                new = self._walk(value, doc, (path, key))
                if new is not value:
                    node[key] = new
        if self.expansions != before:
            self.weight[key_id] = self.expansions - before
        return node

    def _inline(self, node: dict[str, Any], doc: _Doc, path: Tokens) -> Any:
        ref = node["$ref"]
        known = self.targets.get((doc.name, ref))
        if known is None:
            target = self._target(ref, doc, path)
            if target is None:
                return node  # reported at every site
            target_doc, tokens = target
            schema = target_doc is self.root and _is_schema_ref(ref)
            key = (target_doc.name, "/".join(escape_pointer_token(t) for t in tokens))
            known = self.targets[(doc.name, ref)] = (target_doc, tokens, schema, key)
        target_doc, tokens, schema, key = known
        if schema:
            if ref not in self.schemas_found:  # kept by name; must exist
                found = self._lookup(target_doc, tokens, ref, doc, path)
                self.kept.add(ref)
                if found is not _MISSING:
                    self.schemas_found.add(ref)
                    self._check_alias_loop(ref, found, doc, path)
            return node
        if key in self.active:
            self._report(
                codes.E121,
                f"$ref {ref!r} refers back to itself through {_pointer(path) or '/'}",
                doc,
                path,
            )
            return node
        if key in self.done:
            value = self.done[key]
            self._count(1 + self._weight_of(value), doc, path)
        else:
            found = self._lookup(target_doc, tokens, ref, doc, path)
            if found is _MISSING:
                return node
            fresh = not self._seen(id(found))
            self.active.add(key)
            try:
                value = self._walk(found, target_doc, path_of(tokens))
            finally:
                self.active.discard(key)
            self.done[key] = value
            # a target first walked here has had its inner expansions counted just now
            self._count(1 if fresh else 1 + self._weight_of(value), doc, path)
        self.map.redirect(doc.name, doc.base + path, target_doc.name, target_doc.base + tokens)
        if len(node) > 1 and isinstance(value, dict):  # siblings of $ref override the target
            merged = dict(value)
            for k, v in node.items():
                if k != "$ref":
                    is_tree = type(v) is dict or type(v) is list
                    merged[k] = self._walk(v, doc, (path_of(path), k)) if is_tree else v
            return merged
        return value

    def _check_alias_loop(self, ref: str, target: Any, doc: _Doc, path: Tokens) -> None:
        """Recursive schemas are fine, but a schema that is only a `$ref` leading back to
        itself names nothing at all (and sends validators into endless recursion)."""
        chain = [ref]
        while type(target) is dict and len(target) == 1 and _is_schema_ref(target.get("$ref")):
            ref = target["$ref"]
            if ref in chain:
                loop = frozenset(chain[chain.index(ref) :])
                if loop not in self.loops_reported:
                    self.loops_reported.add(loop)
                    names = " -> ".join([*chain[chain.index(ref) :], ref])
                    message = f"schemas that only refer to each other, in a loop: {names}"
                    self._report(codes.E121, message, doc, (*path, "$ref"))
                return
            chain.append(ref)
            target = _resolve_local(self.root.tree, ref)

    def _count(self, n: int, doc: _Doc, path: Tokens) -> None:
        self.expansions += n
        if self.expansions > MAX_REF_EXPANSIONS:
            self._report(
                codes.E126,
                f"inlining the references takes over {MAX_REF_EXPANSIONS} expansions",
                doc,
                path,
            )
            raise _Stop

    # -- targets ----------------------------------------------------------------------------

    def _target(self, ref: str, doc: _Doc, path: Tokens) -> tuple[_Doc, Tokens] | None:
        location, _, fragment = ref.partition("#")
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            message = f"$ref fragment {fragment!r} is not a JSON pointer"
            self._report(codes.E125, message, doc, (*path, "$ref"))
            return None
        tokens = tuple(split_pointer(fragment))
        if not location:
            return doc, tokens
        target_doc = self._file(location, doc, path)
        return (target_doc, tokens) if target_doc is not None else None

    def _file(self, location: str, doc: _Doc, path: Tokens) -> _Doc | None:
        here = (*path, "$ref")
        if _SCHEME.match(location) and not _DRIVE.match(location):
            self._report(codes.E123, f"$ref {location!r} is not followed: no URLs, ever", doc, here)
            return None
        if (
            os.path.isabs(location)
            or location.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", location)
        ):
            self._report(codes.E122, f"$ref {location!r} is an absolute path", doc, here)
            return None
        if self.folder is None or doc.real is None:
            self._report(
                codes.E124,
                f"$ref {location!r} needs the document to be read from a file",
                doc,
                here,
            )
            return None
        real = (doc.real.parent / unquote(location)).resolve()
        if not real.is_relative_to(self.folder):
            self._report(
                codes.E122, f"$ref {location!r} leaves the folder of {self.root.name}", doc, here
            )
            return None
        if self.root.real is not None and real == self.root.real.resolve():
            return self.root  # the root document, named by its file
        name = os.path.normpath(os.path.join(os.path.dirname(doc.name), unquote(location)))
        if name in self.docs:
            cached = self.docs[name]
            if cached is None:
                self._report(codes.E124, f"$ref {location!r} cannot be read", doc, here)
            return cached
        data = read_file(real, name, self.limits["max_bytes"]) if real.is_file() else None
        if data is None or isinstance(data, Parsed):
            self.docs[name] = None
            detail = "no such file" if data is None else data.diagnostics[0].message
            self._report(codes.E124, f"$ref {location!r} cannot be read: {detail}", doc, here)
            return None
        parsed = parse(name, data, **self.limits)
        self.map.add_file(name, parsed.text, parsed.format == "json", parsed.outline)
        # placed in their own file already; their pointers are not pointers into the tree
        self.diagnostics.extend(replace(d, pointer="") for d in parsed.diagnostics)
        if parsed.tree is None or any(d.is_error for d in parsed.diagnostics):
            self.docs[name] = None
            self._report(codes.E124, f"$ref {location!r} cannot be read (see above)", doc, here)
            return None
        self.plain = self.plain and parsed.plain
        loaded = _Doc(name, real, parsed.tree, ())
        self.docs[name] = loaded
        return loaded

    def _lookup(self, target: _Doc, tokens: Tokens, ref: str, doc: _Doc, path: Tokens) -> Any:
        node = target.tree
        for depth, token in enumerate(tokens):
            if type(node) is dict and "$ref" in node and len(node) == 1:
                # the way to the target passes through a reference: follow it first
                node = self._walk(node, target, path_of(tokens[:depth]))
            if type(node) is dict:
                node = _get_key(node, token)
            elif type(node) is list and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                node = _MISSING
            if node is _MISSING:
                shown = "#/" + "/".join(tokens[: depth + 1])
                self._report(
                    codes.E120,
                    f"$ref {ref!r}: {shown} does not exist in {target.name}",
                    doc,
                    (*path, "$ref"),
                )
                return _MISSING
        return node

    def _report(self, code: str, message: str, doc: _Doc, path: Tokens) -> None:
        self.plain = False  # the reference stays in the tree: the schema check needs a copy
        pointer = _pointer(path)
        diag = Diagnostic(code, Severity.ERROR, message, pointer if doc is self.root else "")
        if doc is not self.root:  # not in the tree: locate it in its own file now
            diag = diag.located(_FileLocator(self.map, doc.name, doc.base + path))
        self.diagnostics.append(diag)


class _Missing:
    pass


_MISSING: Any = _Missing()


def _get_key(node: dict[Any, Any], token: str) -> Any:
    if token in node:
        return node[token]
    for key, value in node.items():  # keys the loader made numbers or booleans
        if not isinstance(key, str) and str(key) == token:
            return value
    return _MISSING


def _resolve_local(tree: Any, ref: str) -> Any:
    node = tree
    for token in split_pointer(unquote(ref[1:])):
        node = _get_key(node, token) if type(node) is dict else _MISSING
        if node is _MISSING:
            return None
    return node


def usable_local_ref(tree: Any, ref: str) -> bool:
    """`#/...`: the target exists in `tree` and is not a loop of bare `$ref`s."""
    seen = set()
    while True:
        if ref in seen:
            return False
        seen.add(ref)
        node = tree
        for token in split_pointer(unquote(ref[1:])):
            if type(node) is dict and token in node:
                node = node[token]
            elif type(node) is list and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return False
        following = node.get("$ref") if type(node) is dict and len(node) == 1 else None
        if not (isinstance(following, str) and following.startswith("#/")):
            return True
        ref = following


def _is_schema_ref(ref: Any) -> bool:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return False
    tokens = tuple(split_pointer(unquote(ref[1:])))
    return any(tokens[: len(home)] == home and len(tokens) > len(home) for home in _SCHEMA_HOMES)


#: A path as a linked chain `(parent, key)`, `None` at the root: free to extend while walking.
Path_ = Any


tokens_of = chain_tokens


def _container(node: Any) -> bool:
    return type(node) is dict or type(node) is list


def path_of(tokens: Tokens) -> Path_:
    path: Path_ = None
    for token in tokens:
        path = (path, token)
    return path


def _pointer(path: Tokens) -> str:
    return "".join("/" + escape_pointer_token(t) for t in path)


class _FileLocator:
    """Locates one place in one file, for findings in files outside the tree."""

    def __init__(self, source_map: SourceMap, file: str, tokens: Tokens) -> None:
        self.map, self.file, self.tokens = source_map, file, tokens

    def locate(self, pointer: str) -> Any:
        return self.map.locate_in(self.file, self.tokens)


def make_doc(name: str, real: Path | None, tree: Any, base: Tokens) -> _Doc:
    return _Doc(name, real, tree, base)
