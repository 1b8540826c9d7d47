"""The two sides of a diff: a document, saved API Gateway JSON, or `apigateway:REST_API_ID`.

A side's kind is told by its prefix or its first bytes, so each file is read once and parsed once
by the reader that fits it. boto3 is imported only when a side is a live API.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from oas2gw.diagnostics import Diagnostic, Severity
from oas2gw.diff import (
    Change,
    Format,
    compare_models,
    gc_paused,
    render_changes,
)
from oas2gw.diff_codes import E503

if TYPE_CHECKING:
    from oas2gw.export.dump import MethodMemo
    from oas2gw.model.types import ApiModel
    from oas2gw.read import ReadOptions

#: a side written `apigateway:REST_API_ID` is the live API
LIVE_PREFIX = "apigateway:"
_API_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: the first key of what `aws apigateway get-resources` / `get-rest-api` print
_DUMP_KEYS = frozenset({"items", "item", "position", "id", "rootResourceId"})
_FIRST_KEY = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"([^"\\]{0,64})"')


class SideKind(str, enum.Enum):
    DOCUMENT = "document"
    DUMP = "dump"
    LIVE = "live"


def side_kind(spec: str, head: bytes = b"") -> SideKind:
    """`apigateway:ID` is live; a JSON object whose first key is `items`, `position` or `id` is
    saved API Gateway output; anything else is read as a document (`get-export` output is one)."""
    if spec.startswith(LIVE_PREFIX):
        return SideKind.LIVE
    match = _FIRST_KEY.match(head)
    if match and match.group(1).decode("ascii", "replace") in _DUMP_KEYS:
        return SideKind.DUMP
    return SideKind.DOCUMENT


@dataclass(frozen=True)
class Side:
    """One side read into the model; `model` is None when it could not be read."""

    spec: str
    kind: SideKind
    model: ApiModel | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


ClientFactory = Callable[[], Any]


def read_side(
    spec: str,
    *,
    options: ReadOptions | None = None,
    client: Any = None,
    client_factory: ClientFactory | None = None,
    memo: MethodMemo | None = None,
) -> Side:
    """Read one side, normalised as export normalises. A live side uses `client`, or one made
    by `client_factory` (default: from the usual AWS environment). Saved JSON shares `memo`
    with the other side's: the methods both hold as the same JSON are built once."""
    from oas2gw.model.normalize import normalize
    from oas2gw.read import ReadOptions

    if spec.startswith(LIVE_PREFIX):
        return _read_live(spec, client, client_factory)
    options = options or ReadOptions()
    try:
        with open(spec, "rb") as handle:
            head, size = handle.read(256), os.fstat(handle.fileno()).st_size
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Side(spec, SideKind.DOCUMENT, None, [_error(f"cannot read: {reason}", spec)])
    kind = side_kind(spec, head)
    if kind is SideKind.DUMP:
        from oas2gw.export.dump import read_dump
        from oas2gw.read.codes import E105

        if size > options.max_bytes:
            message = f"{size} bytes is over the {options.max_bytes}-byte limit"
            return Side(spec, kind, None, [Diagnostic(E105, Severity.ERROR, message, file=spec)])
        model, diags = read_dump([spec], memo=memo)
        return Side(spec, kind, model, _once([_named(d, spec) for d in diags]))
    from oas2gw.loading import load

    # what API Gateway would hold is compared, not OpenAPI conformance (`validate` checks that,
    # and it is most of the cost of reading a large document); the reader applies the limits
    quick = replace(options, validate_schema=False)
    result = load(spec, options=quick, rules=False, keep_tree=False)
    model = normalize(result.model) if result.model is not None else None
    return Side(spec, kind, model, result.diagnostics)


def _saved_json(spec: str) -> bool:
    """Whether `spec` names saved API Gateway output, told by its first bytes (a file that
    cannot be read is not, and `read_side` says why)."""
    if spec.startswith(LIVE_PREFIX) or not os.path.isfile(spec):  # a pipe is read once
        return False
    try:
        with open(spec, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return side_kind(spec, head) is SideKind.DUMP


def _read_live(spec: str, client: Any, client_factory: ClientFactory | None) -> Side:
    from oas2gw.export import codes as export_codes
    from oas2gw.export.live import make_client, read_live_api

    rest_api_id = spec[len(LIVE_PREFIX) :]
    if not _API_ID.match(rest_api_id):
        message = f"{spec!r}: expected apigateway: followed by a REST API id"
        return Side(spec, SideKind.LIVE, None, [_error(message, spec)])
    if client is None:
        try:
            client = (client_factory or make_client)()
        except Exception as exc:  # botocore raises several unrelated types for a bad environment
            from oas2gw.aws import describe_failure, redact

            failure = describe_failure(exc, rest_api_id=rest_api_id)
            reason = failure.message if failure is not None else redact(_first_line(exc))
            message = f"cannot make an AWS client: {reason}"
            diag = Diagnostic(export_codes.E401, Severity.ERROR, message, file=spec)
            return Side(spec, SideKind.LIVE, None, [diag])
    model, diags = read_live_api(client, rest_api_id)
    return Side(spec, SideKind.LIVE, model, _once([_named(d, spec) for d in diags]))


def _error(message: str, spec: str) -> Diagnostic:
    return Diagnostic(E503, Severity.ERROR, message, file=spec)


def _named(diag: Diagnostic, spec: str) -> Diagnostic:
    return diag if diag.file or diag.location else replace(diag, file=spec)


def _once(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Each finding once: a dump repeats the same warning for every method it concerns."""
    return list(dict.fromkeys(diags))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


@dataclass(frozen=True)
class DiffResult:
    """What `diff` found: the changes, every diagnostic of reading both sides, and how many
    methods were compared. `changes` is empty when a side could not be read (`failed`)."""

    left: Side
    right: Side
    changes: list[Change] = field(default_factory=list)
    compared: int = 0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.left.diagnostics + self.right.diagnostics

    @property
    def failed(self) -> bool:
        return self.left.model is None or self.right.model is None

    @property
    def same(self) -> bool:
        return not self.failed and not self.changes

    def render(self, fmt: Format = "text", *, color: bool = False) -> str:
        """The changes as text (a summary last) or JSON, naming both sides."""
        return render_changes(
            self.changes,
            fmt,
            color=color,
            compared=self.compared,
            left=self.left.spec,
            right=self.right.spec,
        )


def diff_sides(
    left: str,
    right: str,
    *,
    ignore: Iterable[str] = (),
    options: ReadOptions | None = None,
    client: Any = None,
    client_factory: ClientFactory | None = None,
) -> DiffResult:
    """Read both sides and compare them. Two live sides share one client; two saved dumps
    share the methods they hold as the same JSON (compared as the same objects, at no cost)."""
    from oas2gw.export.dump import MethodMemo

    if client is None and left.startswith(LIVE_PREFIX) and right.startswith(LIVE_PREFIX):
        factory = client_factory
        if factory is None:
            from oas2gw.export.live import make_client

            factory = make_client
        try:
            client = factory()
        except Exception:  # reported once per side by `read_side`, with the reason
            client = None
    saved = _saved_json(left), _saved_json(right)
    # a document last: its reading peaks highest, and then only the other side's model is held
    # beside it (at 10,000 operations 199 MiB against 226 the other way round)
    first = 1 if saved[1] and not saved[0] and not left.startswith(LIVE_PREFIX) else 0
    with gc_paused():
        memo = MethodMemo() if all(saved) else None
        sides: dict[int, Side] = {}
        for index in (first, 1 - first):
            if memo is not None and index != first:  # the last reading: no other takes it
                memo.remember = False
            sides[index] = read_side(
                (left, right)[index],
                options=options,
                client=client,
                client_factory=client_factory,
                memo=memo,
            )
        a, b = sides[0], sides[1]
        del memo
        if a.model is None or b.model is None:
            return DiffResult(a, b)
        changes, compared = compare_models(a.model, b.model, ignore=ignore, normalized=True)
        return DiffResult(a, b, changes, compared)


__all__ = [
    "LIVE_PREFIX",
    "DiffResult",
    "Side",
    "SideKind",
    "diff_sides",
    "read_side",
    "side_kind",
]
