"""Measure oas2gw against the floor: what the fastest parser costs on the same file.

Every measurement runs in a fresh Python process (so import caches, allocator state and peak
memory belong to that one task) under the same garbage-collector policy (`--gc`). A child imports
what its task needs, notes its peak RSS, then times only the task; it reports seconds, peak RSS
(the child's own high-water mark, `VmHWM` in /proc/self/status; `ru_maxrss` where there
is no /proc) and the peak it had before
the task. Each command is shown as a ratio to its floor:

- JSON input: read the bytes, `orjson.loads`, write the bytes back;
- YAML input: read, `yaml.load(CSafeLoader)`, write;
- `export --into`: ruamel.yaml's own round-trip load + dump of the document;
- `validate`: openapi-spec-validator's `validate()` on the same tree (its reference);
- `export --from-dump` and `diff`: the JSON floor of their inputs; a diff's peak memory is
  compared with the JSON floor holding both inputs at once (`floor-json-held`), as a
  comparison must.

Next to a command that may miss its target, a `least-*` row times what no implementation on
this stack can leave out (its floor, the checks untrusted input needs, pydantic's validation of
the model's objects, a diff's one comparison per pair of methods), as a ratio to the same
floor: the bound of that target, measured.

Commands are called through the library (`oas2gw.api`) where it has them, else through the CLI
in process; a command that is not there yet is shown as "n/a", never a crash.

    python benchmarks/run.py                 # 100, 1,000 and 10,000 operations
    python benchmarks/run.py --quick         # 100 operations only (CI smoke)
    python benchmarks/run.py --profile import-cli --ops 10000   # cProfile of one task
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import redirect_stdout
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the path set-up above must come first)

NOT_AVAILABLE = "n/a"
WARM_SIZE = 100  # the document each child runs its task on first, untimed


class Unavailable(Exception):
    """The command under test does not exist (yet) in this tree."""


class CommandFailed(Exception):
    """The command ran but could not do its job (exit 2): its time means nothing."""


# --- the tasks, each run in its own child process -----------------------------------------------


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _write_back(data: bytes, out: str) -> None:
    with open(out, "wb") as handle:
        handle.write(data)


def _parse(path: str) -> Any:
    """The floor's own parser for `path`, by extension."""
    data = _read(path)
    if path.endswith(".json"):
        import orjson

        return orjson.loads(data)
    import yaml

    return yaml.load(data, Loader=yaml.CSafeLoader)


def _prepare_floor_json(files: list[str], out: str) -> Callable[[], object]:
    import orjson

    def run() -> object:
        for path in files:
            data = _read(path)
            orjson.loads(data)
            _write_back(data, out)
        return None

    return run


def _parse_held(files: list[str], out: str, loads: Callable[[bytes], Any]) -> list[Any]:
    """Each input read, parsed and written back, the trees held together."""
    trees = []
    for path in files:
        data = _read(path)
        trees.append(loads(data))
        _write_back(data, out)
    return trees


def _prepare_floor_json_held(files: list[str], out: str) -> Callable[[], object]:
    """The JSON floor of several inputs held at once, as any comparison of them must: the
    memory floor of `diff` (its time floor stays `floor-json`, one input after the other)."""
    import orjson

    def run() -> object:
        _parse_held(files, out, orjson.loads)
        return None

    return run


def _prepare_floor_yaml(files: list[str], out: str) -> Callable[[], object]:
    import yaml

    def run() -> object:
        data = _read(files[0])
        yaml.load(data, Loader=yaml.CSafeLoader)
        _write_back(data, out)
        return None

    return run


def _prepare_floor_yaml_nogc(files: list[str], out: str) -> Callable[[], object]:
    """The YAML floor with the collector paused while libyaml builds the tree."""
    run = _prepare_floor_yaml(files, out)

    def paused() -> object:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return run()
        finally:
            if enabled:
                gc.enable()

    return paused


def _prepare_compose_yaml(files: list[str], out: str) -> Callable[[], object]:
    """libyaml composing nodes with line and column: what located diagnostics cost."""
    import yaml

    def run() -> object:
        yaml.compose(_read(files[0]), Loader=yaml.CSafeLoader)
        return None

    return run


def _prepare_ruamel(files: list[str], out: str) -> Callable[[], object]:
    from ruamel.yaml import YAML

    def run() -> object:
        rt = YAML()
        with open(files[0], "rb") as handle:
            tree = rt.load(handle)
        with open(out, "wb") as handle:
            rt.dump(tree, handle)
        return None

    return run


def _prepare_osv(files: list[str], out: str) -> Callable[[], object]:
    from openapi_spec_validator import validate

    tree = _parse(files[0])

    def run() -> object:
        try:
            validate(tree)
        except Exception as exc:  # its verdict, not a failure of the benchmark
            return f"invalid: {type(exc).__name__}"
        return "valid"

    return run


def _prepare_fast_schema(files: list[str], out: str) -> Callable[[], object]:
    try:
        from oas2gw.read import fastschema
    except ImportError as exc:
        raise Unavailable(str(exc)) from exc
    tree = _parse(files[0])
    fastschema.validate_tree(tree)  # compiling the schema is a one-off, cached per process

    def run() -> object:
        errors = fastschema.validate_tree(tree)
        return "valid" if not errors else f"invalid: {len(errors)}"

    return run


def _cli(argv: list[str]) -> Callable[[], object]:
    """Run the CLI in this process (argv without the program name); exit code as the result."""
    try:
        from oas2gw import cli
    except ImportError as exc:
        raise Unavailable(f"oas2gw.cli: {exc}") from exc
    main = getattr(cli, "main", None)
    if main is None:
        raise Unavailable("oas2gw.cli.main")
    if argv[0] not in _cli_commands(cli):
        raise Unavailable(f"oas2gw {argv[0]}")
    saved = sys.argv

    def run() -> object:
        sys.argv = ["oas2gw", *argv]
        try:
            with redirect_stdout(io.StringIO()):
                main()
        except SystemExit as exc:
            if exc.code not in (0, 1, None):  # 2: usage or unreadable input
                raise CommandFailed(f"exit {exc.code}") from None
            return f"exit {exc.code or 0}"
        finally:
            sys.argv = saved
        return "exit 0"

    return run


def _cli_commands(cli: Any) -> set[str]:
    """Names of the commands the Typer app has registered (a lone command is still named)."""
    names: set[str] = set()
    for command in getattr(cli.app, "registered_commands", []):
        callback = command.callback
        name = command.name or (callback.__name__.replace("_", "-") if callback else "")
        names.add(name.removesuffix("-command").removesuffix("-cmd"))
    return names


def _api(name: str) -> Any:
    try:
        from oas2gw import api
    except ImportError as exc:
        raise Unavailable(f"oas2gw.api: {exc}") from exc
    func = getattr(api, name, None)
    if func is None:
        raise Unavailable(f"oas2gw.api.{name}")
    return func


def _prepare_validate(files: list[str], out: str) -> Callable[[], object]:
    try:
        validate = _api("validate")
        from oas2gw.read import load_document  # noqa: F401  (fail here, not in the timed call)
    except (Unavailable, ImportError):
        return _cli(["validate", files[0]])

    def run() -> object:
        diags = validate([files[0]])
        errors = sum(1 for d in diags if d.is_error)
        return f"{errors} errors, {len(diags) - errors} warnings"

    return run


def _prepare_import(to: str) -> Callable[[list[str], str], Callable[[], object]]:
    def prepare(files: list[str], out: str) -> Callable[[], object]:
        return _cli(["import", files[0], "--to", to, "-o", out, "--force"])

    return prepare


def _export_api() -> Any:
    try:
        from oas2gw.export.command import export_api
    except ImportError as exc:
        raise Unavailable(f"oas2gw.export.command: {exc}") from exc
    return export_api


def _prepare_export_dump(files: list[str], out: str) -> Callable[[], object]:
    try:
        export_api = _export_api()
    except Unavailable:
        return _cli(["export", "--from-dump", files[0], "-o", out])

    def run() -> object:
        # as `oas2gw export -o FILE` does: the text written as it is rendered
        try:
            result = export_api(dumps=[files[0]], chunked=True)
        except TypeError:  # a library without chunked export
            result = export_api(dumps=[files[0]])
        pieces: Iterable[str] | None = (
            [result.text] if result.text is not None else getattr(result, "chunks", None)
        )
        if pieces is None:
            raise CommandFailed("; ".join(d.render() for d in result.diagnostics[:2]))
        with open(out, "w", encoding="utf-8") as handle:
            handle.writelines(pieces)
        return f"{len(result.diagnostics)} diagnostics"

    return run


def _prepare_export_into(files: list[str], out: str) -> Callable[[], object]:
    spec, dump = files
    try:
        export_api = _export_api()
    except Unavailable:
        return _cli(["export", "--from-dump", dump, "--into", spec, "-o", out])

    def run() -> object:
        result = export_api(dumps=[dump], into=spec)
        if result.text is None:
            raise CommandFailed("; ".join(d.render() for d in result.diagnostics[:2]))
        _write_back(result.text.encode("utf-8"), out)
        return "changed" if result.changed else "unchanged"

    return run


def _prepare_diff(files: list[str], out: str) -> Callable[[], object]:
    try:
        diff = _api("diff")
    except Unavailable:
        return _cli(["diff", files[0], files[1]])

    def run() -> object:
        result = diff(files[0], files[1])
        if getattr(result, "failed", False):
            diags = list(getattr(result, "diagnostics", []))
            raise CommandFailed("; ".join(d.render() for d in diags[:2]) or "failed")
        changes = getattr(result, "changes", None)
        return f"{len(changes)} changes" if changes is not None else "done"

    return run


# --- the least work: what no command on this stack can skip, to bound a missed target ---------
#
# A command that misses its target is bounded by what it cannot leave out: its floor (read,
# parse, write), the checks untrusted input needs (a document's duplicate keys, as two C-speed
# scans of its bytes count them), pydantic's validation of the objects its model holds (the
# models are the library's API) and, for a diff, one comparison of each pair of methods (the
# models' own equality, which stops at the first difference). Each `least-*` task times those,
# on the same inputs, in a fresh process like the others: its ratio is the least the command
# could reach; the command's own ratio above it is the Python work of interpreting the input.
# The model's data is made untimed beforehand, by oas2gw itself (so the peak memory of these
# rows holds it as well and is not compared). Like every oas2gw command, they run with the
# collector paused.


def _model_data(path: str) -> tuple[dict[str, Any], bool]:
    """The model oas2gw reads from `path` (a document or saved JSON), as the data pydantic
    validates it from (its keys, without the pointers into the document), and whether `path`
    is a document."""
    from oas2gw.diff_sources import SideKind, read_side

    side = read_side(path)
    if side.model is None:
        raise CommandFailed(f"{path}: no model")
    data = side.model.model_dump(by_alias=True, exclude_unset=True)
    if side.kind is SideKind.DOCUMENT:
        return data, True
    _share_responses(data)
    return data, False


def _share_responses(data: dict[str, Any]) -> None:
    """Saved JSON's responses as a reader may take them: each distinct one validated once
    (its first place stays data), the others the object built from it, given as built. What
    finding the repeats costs is left out: the least work stays a lower bound."""
    import orjson

    from oas2gw.model.types import IntegrationResponse, MethodResponse

    built: dict[tuple[type[Any], bytes], Any] = {}

    def share(holder: dict[str, Any], cls: type[Any]) -> None:
        responses = list(holder.get("responses", ()))
        for index, response in enumerate(responses):
            key = (cls, orjson.dumps(response))
            if key in built:
                responses[index] = built[key]
            else:
                built[key] = cls.__pydantic_validator__.validate_python(response)
        holder["responses"] = responses

    for item in data.get("resources", ()):
        for method in item.get("methods", ()):
            share(method, MethodResponse)
            if method.get("integration"):
                share(method["integration"], IntegrationResponse)


def _visit(node: Any) -> int:
    """One bare recursive visit of a tree, counting its mapping keys: the least a reader that
    must find every `$ref` of a document (they may sit anywhere) does, and the count a
    duplicate-key check compares the text's with."""
    count = len(node) if type(node) is dict else 0
    for value in node.values() if type(node) is dict else node:
        if type(value) is dict or type(value) is list:
            count += _visit(value)
    return count


#: a key's closing quote, whitespace, then its colon: a document may space its keys so
_SPACED_KEY_END = re.compile(rb'"[ \t\n\r]+:')
#: a quote escaped by an odd run of backslashes, then a colon: `\":` inside a string
_ESCAPED_QUOTE_COLON = re.compile(rb'\\(?<!\\\\)(?:\\\\)*":')


def _fewer_keys_than_written(raw: bytes, keys: int) -> bool:
    """The least a JSON duplicate-key check costs (orjson keeps the last of two equal keys
    silently): the keys the bytes write, counted by C scans (a search for spaced keys, a
    count of `":` less the escaped `\":` of strings when there are more), against the keys in
    the tree. A difference is what a reader then looks into; in these inputs there is none."""
    if _SPACED_KEY_END.search(raw) is not None:
        raw = _SPACED_KEY_END.sub(b'":', raw)
    written = raw.count(b'":')
    if written > keys:
        written -= len(_ESCAPED_QUOTE_COLON.findall(raw))
    return written > keys


def _methods_by_key(model: Any) -> dict[tuple[str, str], Any]:
    return {(r.path, m.http_method): m for r in model.resources for m in r.methods}


def _prepare_least(
    check: bool, compare: bool = False, serialize: bool = False
) -> Callable[[list[str], str], Callable[[], object]]:
    """`serialize`: the model is written out as JSON (pydantic's own serializer, then orjson),
    in place of the input's bytes: what an export does at least with the model it read."""

    def prepare(files: list[str], out: str) -> Callable[[], object]:
        import orjson

        try:
            from oas2gw.collector import paused
            from oas2gw.model.types import ApiModel
            from oas2gw.read import fastschema
        except ImportError as exc:
            raise Unavailable(str(exc)) from exc
        made = [_model_data(path) for path in files]
        validate = ApiModel.__pydantic_validator__.validate_python
        if check:
            fastschema.validate_tree(_parse(files[0]))  # compiling is a one-off per process

        def run() -> object:  # with the collector paused, as every oas2gw command runs
            with paused():
                return work()

        def work() -> object:
            models = []
            for path, (data, is_document) in zip(files, made, strict=True):
                raw = _read(path)
                tree = orjson.loads(raw)
                if not serialize:
                    _write_back(raw, out)
                if is_document:
                    if _fewer_keys_than_written(raw, _visit(tree)):
                        raise CommandFailed(f"{path}: duplicate keys")
                    if check:
                        fastschema.validate_tree(tree)
                models.append(validate(data))
                if serialize:
                    model = models[-1]
                    dumped = model.__pydantic_serializer__.to_python(
                        model, mode="json", by_alias=True, exclude_none=True
                    )
                    _write_back(orjson.dumps(dumped), out)
            if compare:
                # each pair compared once; those that differ written out as data, which a
                # diff that names every changed field cannot do with less
                left, right = (_methods_by_key(m) for m in models)
                differ = [(m, right[key]) for key, m in left.items() if right.get(key) != m]
                for pair in differ:
                    for method in pair:
                        method.__pydantic_serializer__.to_python(
                            method, mode="json", by_alias=True, exclude_none=True
                        )
                same = len(left) - len(differ)
                return f"{len(left)} methods compared, {same} the same"
            return f"{sum(len(m.resources) for m in models)} resources"

        return run

    return prepare


def _saved_methods(tree: Any) -> dict[tuple[str, str], Any]:
    """The methods of saved `get-resources` output by (path, HTTP method), as saved."""
    return {
        (item["path"], verb): body
        for item in tree.get("items", ())
        for verb, body in (item.get("resourceMethods") or {}).items()
    }


def _prepare_least_dumps(files: list[str], out: str) -> Callable[[], object]:
    """The least work of a diff of two dumps of one API: both parsed (the floor); each saved
    method of the second compared exactly with the first's, as orjson writes them (what lets
    a reader build once what did not change); the first dump's objects validated, and those
    of the second's methods that changed; each changed method compared with the first's."""
    import orjson

    try:
        from oas2gw.collector import paused
        from oas2gw.model.types import ApiModel, Method
    except ImportError as exc:
        raise Unavailable(str(exc)) from exc
    first, _ = _model_data(files[0])
    second, _ = _model_data(files[1])
    before, after = (_saved_methods(_parse(path)) for path in files)
    same = {
        key
        for key, body in after.items()
        if key in before and orjson.dumps(body) == orjson.dumps(before[key])
    }
    changed = [
        ((resource["path"], method["httpMethod"]), method)
        for resource in second.get("resources", ())
        for method in resource.get("methods", ())
        if (resource["path"], method["httpMethod"]) not in same
    ]
    validate = ApiModel.__pydantic_validator__.validate_python
    validate_method = Method.__pydantic_validator__.validate_python

    def run() -> object:  # with the collector paused, as every oas2gw command runs
        with paused():
            return work()

    def work() -> object:
        trees = _parse_held(files, out, orjson.loads)
        dumps = orjson.dumps
        kept = {key: dumps(body) for key, body in _saved_methods(trees[0]).items()}
        shared = sum(
            1 for key, body in _saved_methods(trees[1]).items() if kept.get(key) == dumps(body)
        )
        theirs = _methods_by_key(validate(first))
        differ = sum(1 for key, data in changed if theirs.get(key) != validate_method(data))
        return f"{shared} methods shared, {differ} differ"

    return run


TASKS: dict[str, Callable[[list[str], str], Callable[[], object]]] = {
    "floor-json": _prepare_floor_json,
    "floor-yaml": _prepare_floor_yaml,
    "floor-yaml-nogc": _prepare_floor_yaml_nogc,
    "floor-json-held": _prepare_floor_json_held,
    "compose-yaml": _prepare_compose_yaml,
    "ruamel-rt": _prepare_ruamel,
    "osv-validate": _prepare_osv,
    "fast-schema": _prepare_fast_schema,
    "validate": _prepare_validate,
    "import-cli": _prepare_import("cli"),
    "import-boto3": _prepare_import("boto3"),
    "export-dump": _prepare_export_dump,
    "export-into": _prepare_export_into,
    "diff": _prepare_diff,
    "least-import": _prepare_least(check=True),
    "least-export-dump": _prepare_least(check=False, serialize=True),
    "least-diff": _prepare_least(check=False, compare=True),
    "least-diff-dumps": _prepare_least_dumps,
}


def _maxrss_mib() -> float:
    """This process's peak RSS. Linux: VmHWM, which starts afresh at exec; `ru_maxrss` can
    carry the parent's peak over a fork + exec, so it is only the fallback elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(
    task: str,
    files: list[str],
    gc_policy: str,
    profile: str | None,
    warm: list[str] | None = None,
) -> dict[str, Any]:
    """Run one task in this (fresh) process and describe what it cost.

    `warm` inputs (the 100-operation sibling) are run through the task first, untimed, so that
    the lazy imports a command makes on its first call are paid there: the time reported is the
    work that grows with the document; start-up is measured on its own."""
    with tempfile.TemporaryDirectory(prefix="oas2gw-bench-") as tmp:
        out = os.path.join(tmp, "out")
        prepare = TASKS.get(task)
        if prepare is None:
            return {"status": NOT_AVAILABLE, "note": f"no task {task!r}"}
        try:
            if warm:
                try:
                    prepare(warm, out)()
                except CommandFailed as exc:
                    return {"status": "failed", "note": f"warm-up: {exc}"}
            run = prepare(files, out)
        except Unavailable as exc:
            return {"status": NOT_AVAILABLE, "note": str(exc)}
        gc.collect()
        if gc_policy == "off":
            gc.disable()
        before = _maxrss_mib()
        try:
            if profile:
                import cProfile

                prof = cProfile.Profile()
                start = time.perf_counter()
                result = prof.runcall(run)
                seconds = time.perf_counter() - start
                prof.dump_stats(profile)
            else:
                start = time.perf_counter()
                result = run()
                seconds = time.perf_counter() - start
        except CommandFailed as exc:
            return {"status": "failed", "note": str(exc)}
        return {
            "status": "ok",
            "seconds": seconds,
            "peak_mib": _maxrss_mib(),
            "baseline_mib": before,
            "result": result,
        }


# --- the parent: which tasks, on which files, in what table ---------------------------------------


@dataclass
class Row:
    size: int
    task: str
    input: str
    floor: str | None  # the task it is compared with
    status: str = "ok"
    seconds: float | None = None
    peak_mib: float | None = None
    baseline_mib: float | None = None
    result: Any = None
    note: str = ""
    ratio: float | None = None
    memory_ratio: float | None = None
    runs: list[float] = field(default_factory=list)


def _spawn(
    task: str,
    files: list[Path],
    gc_policy: str,
    profile: str | None = None,
    warm: list[Path] | None = None,
) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", task, "--gc", gc_policy]
    if profile:
        cmd += ["--profile-out", profile]
    if warm:
        cmd += ["--warm", ",".join(str(w) for w in warm)]
    cmd += [str(f) for f in files]
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"status": "error", "note": tail[:200]}
    try:
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"status": "error", "note": "no result from the child"}
    return result


def measure(
    size: int,
    task: str,
    files: list[Path],
    floor: str | None,
    gc_policy: str,
    repeat: int,
    warm: list[Path] | None = None,
) -> Row:
    """Best of `repeat` fresh processes (peak memory: the best run's); a run that takes over
    `QUICK` seconds is not repeated (a ruamel round trip of 10,000 operations takes minutes).
    A floor under `FLOOR_SECONDS` is the best of `FLOOR_REPEAT` at least: every ratio divides
    by it, and its best of 3 moved by a fifth between runs (0.240-0.299 s for two dumps)."""
    row = Row(size, task, " + ".join(f.name for f in files), floor)
    best: dict[str, Any] | None = None
    runs = max(repeat, FLOOR_REPEAT) if task.startswith("floor-") and repeat > 1 else repeat
    for index in range(runs):
        if best is not None and best["seconds"] > QUICK:
            break
        if index >= repeat and best is not None and best["seconds"] > FLOOR_SECONDS:
            break
        got = _spawn(task, files, gc_policy, warm=warm)
        if got.get("status") != "ok":
            row.status, row.note = got.get("status", "error"), got.get("note", "")
            return row
        row.runs.append(got["seconds"])
        if best is None or got["seconds"] < best["seconds"]:
            best = got
    assert best is not None
    row.seconds, row.peak_mib = best["seconds"], best["peak_mib"]
    row.baseline_mib, row.result = best["baseline_mib"], best.get("result")
    return row


#: seconds under which a run is repeated for the best of `--repeat`
QUICK = 10.0
#: a floor this fast is repeated this often at least (`measure`)
FLOOR_REPEAT = 7
FLOOR_SECONDS = 1.0


def plan(size: int, data: Path) -> list[tuple[str, list[Path], str | None]]:
    """(task, inputs, floor task key) for one size; floor keys name rows of the same size."""
    j3, y3 = data / f"openapi-{size}.json", data / f"openapi-{size}.yaml"
    j2, y2 = data / f"swagger-{size}.json", data / f"swagger-{size}.yaml"
    dump = data / f"resources-{size}.json"
    drift = data / f"resources-drift-{size}.json"
    return [
        ("floor-json", [j3], None),
        ("floor-yaml", [y3], None),
        ("floor-yaml-nogc", [y3], "floor-yaml:openapi"),
        ("compose-yaml", [y3], "floor-yaml:openapi"),
        ("floor-json", [dump], None),
        ("floor-json", [j3, dump], None),
        ("ruamel-rt", [y3], None),
        ("osv-validate", [j3], None),
        ("osv-validate", [j2], None),
        ("fast-schema", [j3], "osv-validate:openapi"),
        ("fast-schema", [j2], "osv-validate:swagger"),
        ("validate", [j3], "osv-validate:openapi"),
        ("validate", [y3], "floor-yaml:openapi"),
        ("import-cli", [j3], "floor-json:openapi"),
        ("least-import", [j3], "floor-json:openapi"),
        ("import-cli", [y3], "floor-yaml:openapi"),
        ("floor-yaml", [y2], None),
        ("import-cli", [y2], "floor-yaml:swagger"),
        ("import-boto3", [j3], "floor-json:openapi"),
        ("export-dump", [dump], "floor-json:resources"),
        ("least-export-dump", [dump], "floor-json:resources"),
        ("export-into", [y3, dump], "ruamel-rt:openapi"),
        ("export-into", [y3, drift], "ruamel-rt:openapi"),
        ("floor-json-held", [j3, dump], "floor-json:openapi+resources"),
        ("diff", [j3, dump], "floor-json:openapi+resources"),
        ("least-diff", [j3, dump], "floor-json:openapi+resources"),
        ("floor-json", [dump, drift], None),
        ("floor-json-held", [dump, drift], "floor-json:resources+resources-drift"),
        ("diff", [dump, drift], "floor-json:resources+resources-drift"),
        ("least-diff-dumps", [dump, drift], "floor-json:resources+resources-drift"),
    ]


#: tasks whose peak memory means nothing: they hold data made before the timed part
TIME_ONLY = frozenset({"least-import", "least-export-dump", "least-diff", "least-diff-dumps"})

#: tasks whose peak memory is compared with another floor than their time: a diff holds both
#: sides, so its memory floor is the parser holding both inputs
MEMORY_FLOORS = {"diff": "floor-json-held"}


def _key(row: Row) -> str:
    stem = "+".join(re.sub(r"-\d+\.\w+$", "", part) for part in row.input.split(" + "))
    return f"{row.task}:{stem}"


def _memory_floor(task: str, files: list[Path]) -> str:
    """The key of the row `task` on `files` compares its peak memory with."""
    return _key(Row(0, MEMORY_FLOORS[task], " + ".join(f.name for f in files), None))


def _is_needed(task: str, files: list[Path], needed: set[str]) -> bool:
    """Whether this entry is the floor of a selected task."""
    row = Row(0, task, " + ".join(f.name for f in files), None)
    return _key(row) in needed or task in needed


def _find_floor(rows: list[Row], size: int, floor: str) -> Row | None:
    for row in rows:
        if row.size != size or row.status != "ok":
            continue
        if _key(row) == floor or row.task == floor:
            return row
    return None


def _generate_inputs(data: Path, sizes: list[int] | tuple[int, ...]) -> None:
    """In a child process, so that this one stays small while it spawns the measured ones."""
    code = "import sys, generate; from pathlib import Path; "
    code += f"generate.write_set(Path({str(data)!r}), {tuple(sizes)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE)


def run_suite(
    sizes: list[int],
    data: Path,
    gc_policy: str,
    repeat: int,
    only: set[str] | None,
    warm_first: bool = True,
) -> list[Row]:
    _generate_inputs(data, sorted({*sizes, WARM_SIZE}))
    warm_inputs = [files for _, files, _ in plan(WARM_SIZE, data)]
    rows: list[Row] = []
    for size in sizes:
        entries = plan(size, data)
        needed = {floor for task, _, floor in entries if floor and (not only or task in only)}
        needed |= {
            _memory_floor(task, files)
            for task, files, _ in entries
            if task in MEMORY_FLOORS and (not only or task in only)
        }
        for index, (task, files, floor) in enumerate(entries):
            if only and task not in only and not _is_needed(task, files, needed):
                continue
            warm = warm_inputs[index] if warm_first else None
            row = measure(size, task, files, floor, gc_policy, repeat, warm)
            if floor and row.status == "ok":
                base = _find_floor(rows, size, floor)
                if base is not None and base.seconds and row.seconds is not None:
                    row.ratio = row.seconds / base.seconds
                if task in MEMORY_FLOORS:
                    base = _find_floor(rows, size, _memory_floor(task, files))
                if base is not None and base.peak_mib and row.peak_mib and task not in TIME_ONLY:
                    row.memory_ratio = row.peak_mib / base.peak_mib
            rows.append(row)
            print(_format_row(row), file=sys.stderr, flush=True)
    return rows


def startup(data: Path) -> dict[str, Any]:
    """Whole-process wall time of `oas2gw --help` and of a 100-operation JSON import."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out: dict[str, Any] = {}
    doc = data / "openapi-100.json"
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "oas2gw --help": [sys.executable, "-m", "oas2gw", "--help"],
            "oas2gw import (100 ops, JSON)": [
                sys.executable, "-m", "oas2gw", "import", str(doc), "--to", "cli",
                "-o", os.path.join(tmp, "out.sh"), "--force",
            ],
        }  # fmt: skip
        for name, cmd in cases.items():
            best = None
            code = 0
            for _ in range(5):
                start = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT)
                elapsed = time.perf_counter() - start
                code = proc.returncode
                best = elapsed if best is None else min(best, elapsed)
            out[name] = {"seconds": best, "exit": code}
    out["eager_imports"] = import_costs(env)
    return out


def import_costs(env: dict[str, str], top: int = 12) -> list[dict[str, Any]]:
    """`python -X importtime -m oas2gw --help`: the costliest top-level imports (cumulative)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "oas2gw", "--help"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    found: list[dict[str, Any]] = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and (len(m.group(3)) - 1) // 2 <= 2:  # up to what oas2gw's modules import
            found.append({"module": m.group(4), "cumulative_ms": int(m.group(2)) / 1000})
    found.sort(key=lambda r: -r["cumulative_ms"])
    return found[:top]


def _fmt(value: float | None, spec: str, unit: str = "") -> str:
    if value is None:
        return " " * (len(format(0.0, spec)) + len(unit))
    return format(value, spec) + unit


def _format_row(row: Row) -> str:
    if row.status != "ok":
        return f"{row.size:>6} {row.task:<17} {row.input:<38} {row.status}  {row.note[:60]}"
    return (
        f"{row.size:>6} {row.task:<17} {row.input:<38} {_fmt(row.seconds, '9.3f')} s"
        f" {_fmt(row.ratio, '7.2f', 'x')} {_fmt(row.peak_mib, '8.0f')} MiB"
        f" {_fmt(row.memory_ratio, '6.2f', 'x')}  {str(row.result or '')[:30]}"
    )


def table(rows: list[Row]) -> str:
    head = (
        f"{'ops':>6} {'task':<17} {'input':<38} {'time':>11} {'ratio':>8} "
        f"{'peak RSS':>12} {'ratio':>7}  result"
    )
    return "\n".join([head, "-" * len(head), *(_format_row(r) for r in rows)])


def markdown(rows: list[Row]) -> str:
    lines = [
        "| ops | task | input | time (s) | x floor | peak RSS (MiB) | x floor peak | floor "
        "| result |",
        "|---:|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if r.status != "ok":
            lines.append(f"| {r.size} | {r.task} | {r.input} | {r.status} | | | | | {r.note} |")
            continue
        lines.append(
            f"| {r.size} | {r.task} | {r.input} | {_fmt(r.seconds, '.3f')} "
            f"| {_fmt(r.ratio, '.2f')} "
            f"| {_fmt(r.peak_mib, '.0f')} | {_fmt(r.memory_ratio, '.2f')} | {r.floor or ''} "
            f"| {r.result or ''} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 operations only (CI smoke)")
    parser.add_argument("--ops", type=int, action="append", help="sizes (repeatable)")
    parser.add_argument("--gc", choices=("default", "off"), default="default",
                        help="garbage-collector policy of every timed task")  # fmt: skip
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of N (runs over 10 s are not repeated)"
    )
    parser.add_argument("--only", action="append", help="only these tasks (and their floors)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "oas2gw-bench")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--profile", metavar="TASK", help="cProfile one task and print hot spots")
    parser.add_argument("--child", metavar="TASK", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    parser.add_argument("--warm", help=argparse.SUPPRESS)
    parser.add_argument(
        "--cold", action="store_true", help="time first calls too (lazy imports included)"
    )
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        warm = args.warm.split(",") if args.warm else None
        result = child(args.child, [str(f) for f in args.files], args.gc, args.profile_out, warm)
        print(json.dumps(result, default=str))
        return 0

    sizes = [100] if args.quick else (args.ops or list(generate.SIZES))
    if args.profile:
        return profile(args.profile, sizes[-1], args.data, args.gc, args.files)

    rows = run_suite(
        sizes,
        args.data,
        args.gc,
        1 if args.quick else args.repeat,
        set(args.only or ()) or None,
        warm_first=not args.cold,
    )
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "gc": args.gc,
        "timed": "cold first call" if args.cold else f"after an untimed {WARM_SIZE}-op warm-up",
        "memory": "peak RSS: VmHWM of /proc/self/status inside each child process",
        "rows": [asdict(r) for r in rows],
    }
    if not args.no_startup:
        report["startup"] = startup(args.data)
    print(table(rows))
    if args.markdown:
        print()
        print(markdown(rows))
    if "startup" in report:
        print()
        for name, value in report["startup"].items():
            if name != "eager_imports":
                print(f"start-up  {name:<32} {value['seconds']:.3f} s  (exit {value['exit']})")
        for imp in report["startup"]["eager_imports"]:
            print(f"import    {imp['module']:<32} {imp['cumulative_ms']:8.1f} ms")
    target = args.json or args.data / "results.json"
    target.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nresults: {target}", file=sys.stderr)
    return 0


def profile(task: str, size: int, data: Path, gc_policy: str, files: list[Path]) -> int:
    """cProfile one task on the generated inputs of `size`, and print the top functions."""
    import pstats

    _generate_inputs(data, sorted({size, WARM_SIZE}))
    warm: list[Path] | None = None
    for (name, inputs, _), (_, small, _) in zip(
        plan(size, data), plan(WARM_SIZE, data), strict=True
    ):
        if name == task:
            files, warm = files or inputs, small
            break
    out = data / f"{task}-{size}.prof"
    got = _spawn(task, files, gc_policy, str(out), warm=warm)
    print(json.dumps(got, default=str))
    if got.get("status") != "ok":
        return 1
    stats = pstats.Stats(str(out))
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
