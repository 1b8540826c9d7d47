"""`--to cli`: a bash script of `aws` commands that makes a `Plan` true on a REST API.

Nothing from the document is ever code: every value travels in single quotes (or as JSON in
single quotes), comments and labels are escaped, and bash variable names are our own
(`RESOURCE_3`, `AUTHORIZER_1`), never derived from the document. Values the aws CLI itself
would interpret rather than pass on travel in the call's inline `--cli-input-json` instead:
`file://`, `fileb://`, `http://`, `https://` prefixes (the CLI would read that file or URL) and
strings bash cannot carry (NUL) or UTF-8 cannot encode. A value starting with `-` is written
`--option=value`, so it is never taken for an option.

The script needs bash 4+ and the aws CLI only: no jq, no python.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from oas2gw.model.types import cli_option
from oas2gw.plan import Plan, Ref, Step, Sub, place, uses_identity

#: What the aws CLI replaces with a file's or URL's content (awscli `paramfile`).
_PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")
#: Parameters the aws CLI passes through verbatim despite such a prefix.
_PARAMFILE_EXEMPT = {("PutIntegration", "uri")}
_BARE = re.compile(r"[A-Za-z0-9_./:,@%+=-]+")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
#: Run-time ids written first: where the call applies.
_LOCATION = ("restApiId", "resourceId", "parentId")
#: lines rendered before they are handed on as one piece of text
_CHUNK_LINES = 4096


@dataclass(frozen=True)
class ShellScript:
    """The script, and the JSON files it reads (by file name) under `--cli-input-json`."""

    text: str
    files: dict[str, str] = field(default_factory=dict)


def render_shell(
    plan: Plan,
    *,
    rest_api_id: str | None = None,
    cli_input_json: bool = False,
    file_prefix: str = "oas2gw",
) -> ShellScript:
    """Render `plan` as bash.

    `rest_api_id` bakes the id in (else `$REST_API_ID`, else the first argument).
    `cli_input_json` makes every call read its literal parameters from a JSON file beside the
    script; `file_prefix` starts those files' names.
    """
    return _Shell(plan, rest_api_id, cli_input_json, _file_name_part(file_prefix)).render()


def shell_chunks(plan: Plan, *, rest_api_id: str | None = None) -> Iterator[str]:
    """`render_shell(plan, rest_api_id=...).text` in pieces, made as they are read: a caller
    that writes them as they come never holds the whole script (27 MB at 10,000 methods)."""
    return _Shell(plan, rest_api_id, False, "").chunks()


@functools.cache  # a few dozen operations, asked for at every step
def command_name(operation: str) -> str:
    """`PutIntegration` -> `put-integration`."""
    return _CAMEL.sub("-", operation).lower()


@functools.cache  # a few dozen operations, asked for at every step
def _step_command(operation: str) -> str:
    """The command's part of a `STEP='label command'` word."""
    return _printable(command_name(operation)).replace("'", "'\\''")


def quote(text: str) -> str:
    """A bash word that stands for exactly `text`: bare when harmless, else single-quoted."""
    if _BARE.fullmatch(text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def json_text(value: Any) -> str:
    """Compact JSON, readable non-ASCII, escaped where UTF-8 cannot carry a character."""
    if _orjson_writes_alike(value, 0):
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:  # a lone surrogate (UTF-8 cannot carry it), an int past 64 bits
            pass
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if text.isascii() or _encodable(text):
        return text
    return json.dumps(value, separators=(",", ":"))


def _orjson_writes_alike(value: Any, depth: int) -> bool:
    """Whether orjson writes `value` byte for byte as `json.dumps(value, ensure_ascii=False,
    separators=(",", ":"))` does, should it write it at all.

    Both escape the same characters the same way (every code point is tested) and write ints,
    booleans and null alike; they differ on floats (`1e-07` against `1e-7`), NaN, subclasses
    and non-string keys, so those, and anything deeper than the plan's values go, take the
    `json` path.
    """
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return True
    if depth > 8:
        return False
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return False
            leaf = type(item)
            if leaf is not str and leaf is not bool and not _orjson_writes_alike(item, depth + 1):
                return False
        return True
    if kind is list or kind is tuple:
        return all(_orjson_writes_alike(item, depth + 1) for item in value)
    return False


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(text: str) -> str:
    """Text safe for a comment or a message: one line, control characters escaped."""
    if text.isprintable() and (text.isascii() or _encodable(text)):
        return text  # nearly always: no work per character
    out = []
    for ch in text:
        if ch.isprintable() and _encodable(ch):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def _file_name_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:60].lower()


_HEADER = """\
#!/usr/bin/env bash
# {title}
#
# Generated by oas2gw. Makes the document's {methods} method(s) true on an existing REST API:
# creates missing resources (parent first); creates models, request validators and authorizers
# or patches them to match; then deletes and re-puts each method with its responses and
# integration. Running it again gives the same state. Changes reach clients at the next
# deployment.
#
# Usage:       {usage}
# Environment: the usual aws CLI settings (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...);
#              AWS_RETRY_MODE (default adaptive), AWS_MAX_ATTEMPTS (default 10).
# Exit status: 0 done; 1 a step failed (named on stderr); 2 no REST API id given.
# Progress (one line per method or definition) goes to stderr; stdout stays empty.
# Needs bash 4 or later and the aws CLI.
# Every value is single-quoted on purpose, JMESPath queries included: nothing may expand.
# shellcheck disable=SC2016
set -euo pipefail
"""

_PRELUDE = """\
if [[ -z $REST_API_ID ]]; then
  printf 'usage: %s REST_API_ID   (or set REST_API_ID)\\n' "$0" >&2
  exit 2
fi
export AWS_RETRY_MODE=${AWS_RETRY_MODE:-adaptive}
export AWS_MAX_ATTEMPTS=${AWS_MAX_ATTEMPTS:-10}
export AWS_PAGER=''

STEP='start'
failed() {
  printf 'oas2gw: step failed (status %s): %s\\n' "$1" "$STEP" >&2
  exit 1
}
trap 'failed $?' ERR
# The first id in an aws --output text listing, or nothing.
first_id() {
  local word
  for word in $1; do
    printf '%s' "$word"
    return 0
  done
}
progress() {
  printf 'oas2gw: %s\n' "$1" >&2
}
# A failed call whose error says its effect is already in place is not a failure.
already_done() {
  if [[ $2 != *"$1"* ]]; then
    printf '%s\\n' "$2" >&2
    failed 255
  fi
}
"""

_LISTING = """\
STEP='list resources'
LISTING=$(aws apigateway get-resources --rest-api-id "$REST_API_ID" --embed methods \\
  --query 'items[].[id, to_string([path]), join(`,`, keys(resourceMethods || `{}`))]' \\
  --output text)
# Resource ids and existing methods by path; the key is the path as a JSON list, ASCII only.
declare -A RESOURCE_ID=() METHODS=()
while IFS=$'\\t' read -r id key methods; do
  [[ -n $id ]] || continue
  RESOURCE_ID[$key]=$id
  METHODS[$id]=",$methods,"
done <<< "$LISTING"
RESOURCE_0=${RESOURCE_ID['["/"]']:-}
if [[ -z $RESOURCE_0 ]]; then
  STEP='list resources: the REST API has no root resource'
  failed 1
fi
"""

_IDENTITY = """\
STEP='region and account'
REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
if [[ -z $REGION ]]; then
  REGION=$(aws configure get region)
fi
IDENTITY=$(aws sts get-caller-identity --query '[Account, Arn]' --output text)
ACCOUNT=${IDENTITY%%$'\\t'*}
PARTITION=${IDENTITY#*$'\\t'arn:}
PARTITION=${PARTITION%%:*}
"""

_HERE = """\
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"""


@dataclass
class _Shell:
    plan: Plan
    rest_api_id: str | None
    cli_input_json: bool
    file_prefix: str
    variables: dict[tuple[str, str], str] = field(default_factory=dict)
    #: variables of each kind so far (counting them at every definition was quadratic)
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    #: the current label, printable and escaped for single quotes
    label_text: str = ""
    #: (parameter, short plain ASCII string value) -> its option word
    option_words: dict[tuple[str, str], str] = field(default_factory=dict)
    #: id of a step's `refs` -> (those refs, their location options, their other options, the
    #: names of those placed inside a parameter)
    ref_words: dict[int, tuple[Mapping[str, Ref | Sub], list[str], list[str], list[str]]] = field(
        default_factory=dict
    )

    def render(self) -> ShellScript:
        text = "".join(self.chunks())
        return ShellScript(text, dict(self.files))

    def chunks(self) -> Iterator[str]:
        """The script in pieces of a few thousand lines, made as they are asked for."""
        self.variables[("resource", "/")] = "RESOURCE_0"
        self.counts["resource"] = 1
        title = _printable(self.plan.title or "REST API")
        usage = "bash SCRIPT" if self.rest_api_id else "bash SCRIPT REST_API_ID"
        out = [
            _HEADER.format(title=f"Import of {title}", methods=self.plan.method_count, usage=usage)
        ]
        if self.rest_api_id is not None:
            out.append(f"REST_API_ID={quote(self.rest_api_id)}\n")
        else:
            out.append("REST_API_ID=${REST_API_ID:-${1:-}}\n")
        out.append(_PRELUDE)
        if self.cli_input_json:
            out.append(_HERE)
        if uses_identity(self.plan.steps):
            out.append("\n" + _IDENTITY)
        out.append("\n" + _LISTING)
        yield "".join(out)
        lines = self.lines
        previous = ""
        for index, step in enumerate(self.plan.steps, start=1):
            if step.label != previous:
                label = _printable(step.label)
                lines.append("")
                lines.append(f"# --- {label}")
                lines.append(f"progress {quote(label)}")
                self.label_text = label.replace("'", "'\\''")
                previous = step.label
            self._step(index, step)
            if len(lines) >= _CHUNK_LINES:
                lines.append("")  # every line ends in a newline
                yield "\n".join(lines)
                lines.clear()
        lines.append("")
        lines.append("STEP='done'")
        lines.append(
            f"printf 'oas2gw: %s steps done on REST API %s\\n' {len(self.plan.steps)}"
            ' "$REST_API_ID" >&2'
        )
        lines.append("")
        yield "\n".join(lines)
        lines.clear()

    # --- steps ----------------------------------------------------------------------------

    def _step(self, index: int, step: Step) -> None:
        # `quote(_printable(label + " " + command))`, the label's part made once per label:
        # both escape character by character, and the space means the word is always quoted
        self.lines.append(f"STEP='{self.label_text} {_step_command(step.operation)}'")
        if step.action == "create_resource":
            self._create_resource(index, step)
        elif step.action == "ensure":
            self._ensure(index, step)
        elif step.action == "delete_method":
            resource = self._ref(step.refs["resourceId"])
            verb = quote("," + str(step.params["httpMethod"]) + ",")
            self.lines.append(f"if [[ ${{METHODS[{resource}]:-}} == *{verb}* ]]; then")
            self._emit(index, step, indent="  ")
            self.lines.append("fi")
        elif step.tolerate:
            call = self._command(index, step)
            self.lines.append(f"if ! err=$({call} 2>&1 >/dev/null); then")
            for code in step.tolerate:
                self.lines.append(f'  already_done {quote(code)} "$err"')
            self.lines.append("fi")
        else:
            self._emit(index, step)

    def _create_resource(self, index: int, step: Step) -> None:
        assert step.saves is not None
        var = self._define(step.saves, "RESOURCE")
        key = quote(json.dumps([step.key], separators=(",", ":")))
        self.lines.append(f"{var}=${{RESOURCE_ID[{key}]:-}}")
        self.lines.append(f"if [[ -z ${var} ]]; then")
        self.lines.append(f"  {var}=$({self._command(index, step, query='id')})")
        self.lines.append("fi")

    def _ensure(self, index: int, step: Step) -> None:
        assert step.lookup is not None
        literal = json.dumps(step.key).replace("`", "\\u0060")
        field_name = "id" if step.saves is not None else "name"
        listing = (
            f'aws {step.service} {command_name(step.lookup)} --rest-api-id "$REST_API_ID"'
            f" --query {quote(f'items[?name==`{literal}`].{field_name}')} --output text"
        )
        self.lines.append(f"FOUND=$({listing})")
        if step.saves is None:
            self.lines.append("if [[ -z ${FOUND//[[:space:]]/} ]]; then")
            self._emit(index, step, indent="  ")
            if step.update is not None:
                self.lines.append("else")
                self._emit(index, step.update, indent="  ", suffix="update")
            self.lines.append("fi")
            return
        var = self._define(step.saves, step.saves.kind.upper())
        self.lines.append(f'{var}=$(first_id "$FOUND")')
        self.lines.append(f"if [[ -z ${var} ]]; then")
        self.lines.append(f"  {var}=$({self._command(index, step, query='id')})")
        if step.update is not None:
            self.lines.append("else")
            self._emit(index, step.update, indent="  ", suffix="update")
        self.lines.append("fi")

    def _emit(self, index: int, step: Step, indent: str = "", suffix: str = "") -> None:
        self.lines.append(indent + self._command(index, step, suffix=suffix) + " >/dev/null")

    # --- one command ------------------------------------------------------------------------

    def _command(self, index: int, step: Step, query: str = "", suffix: str = "") -> str:
        words = [f"aws {step.service} {command_name(step.operation)}"]
        located, late, inner = self._ref_words(step.refs)
        words += located
        params = step.params
        if inner:  # run-time values inside a parameter: that parameter is a word of its own
            placed = params
            for name in inner:
                placed = place(placed, name, step.refs[name])
            tops = dict.fromkeys(name.split("/", 1)[0] for name in inner)
            words += [f"{cli_option(top)} {self._json_word(placed[top])}" for top in tops]
            params = {k: v for k, v in params.items() if k not in tops}
        if self.cli_input_json:
            if params:
                name = self._file(index, step, suffix, params)
                words.append(f'--cli-input-json "file://$HERE/{name}"')
        else:
            inline: dict[str, Any] = {}
            operation = step.operation
            known = self.option_words
            for item in params.items():
                name, value = item
                if type(value) is str and (word := known.get(item)) is not None:
                    words.append(word)  # a value seen before (so ASCII, no NUL, no prefix)
                elif type(value) is str and value.isascii() and "\0" not in value:
                    # `_needs_json` for the common case, without the call: only a paramfile
                    # prefix can send such a value through the JSON
                    if not value.startswith(_PARAMFILE_PREFIXES):
                        word = _text_option(cli_option(name), value)
                        if len(value) <= 64:  # the values that repeat: verbs, codes, types
                            known[item] = word
                        words.append(word)
                    elif (operation, name) in _PARAMFILE_EXEMPT:
                        words.append(_text_option(cli_option(name), value))
                    else:
                        inline[name] = value
                elif type(value) is dict:
                    # what `_option` makes of it: JSON text opens with `{`, so it is quoted
                    text = json_text(value).replace("'", "'\\''")
                    words.append(f"{cli_option(name)} '{text}'")
                elif isinstance(value, str) and self._needs_json(operation, name, value):
                    inline[name] = value
                else:
                    words.append(_option(name, value))
            if inline:
                words.append(f"--cli-input-json {quote(json_text(inline))}")
        words += late
        if query:
            words.append(f"--query {query} --output text")
        return " \\\n    ".join(words) if len(words) > 3 else " ".join(words)

    def _ref_words(self, refs: Mapping[str, Ref | Sub]) -> tuple[list[str], list[str], list[str]]:
        """The options of `refs`: those that say where the call applies, and the others; and
        the names of those that go inside a parameter (`patchOperations/0/value`).

        A method's steps share one `refs` mapping, so the words are kept per mapping (holding
        it, so its id is not reused) until a definition could change what they say.
        """
        cached = self.ref_words.get(id(refs))
        if cached is not None and cached[0] is refs:
            return cached[1], cached[2], cached[3]
        located: list[str] = []
        late: list[str] = []
        inner: list[str] = []
        for name, ref in refs.items():
            if "/" in name:
                inner.append(name)
                continue
            where = located if name in _LOCATION else late
            where.append(f"{cli_option(name)} {self._ref(ref)}")
        self.ref_words[id(refs)] = (refs, located, late, inner)
        return located, late, inner

    def _json_word(self, value: Any) -> str:
        """One bash word for the JSON text of `value`, whose strings may be `Sub`s or `Ref`s:
        the literal text single-quoted, each run-time id spliced in as its variable (an id
        is letters and digits, so it needs no JSON escaping)."""
        found: list[Ref | Sub] = []
        mark = "@@oas2gw-value-"

        def swap(node: Any) -> Any:
            if isinstance(node, (Ref, Sub)):
                found.append(node)
                return f"{mark}{len(found) - 1}@@"
            if isinstance(node, Mapping):
                return {k: swap(v) for k, v in node.items()}
            if isinstance(node, (list, tuple)):
                return [swap(v) for v in node]
            return node

        text = json_text(swap(value))
        while text.count(mark) != len(found):  # the document wrote the mark: another one
            mark = mark.replace("@@", "@@@", 1)
            found.clear()
            text = json_text(swap(value))
        pieces = re.split('"' + re.escape(mark) + r'(\d+)@@"', text)
        words: list[str | Ref] = [pieces[0]]  # JSON text, and the ids spliced into it
        for number, literal in zip(pieces[1::2], pieces[2::2], strict=True):
            ref = found[int(number)]
            words.append('"')
            for part in ref.parts if isinstance(ref, Sub) else (ref,):
                words.append(json_text(part)[1:-1] if isinstance(part, str) else part)
            words.append('"' + literal)
        out: list[str] = []
        text_run = ""
        for word in words:
            if isinstance(word, str):
                text_run += word
                continue
            out += [quote_always(text_run), self._ref(word)]
            text_run = ""
        return "".join([*out, quote_always(text_run)])

    @staticmethod
    def _needs_json(operation: str, name: str, value: str) -> bool:
        if "\0" in value or not (value.isascii() or _encodable(value)):
            return True
        if (operation, name) in _PARAMFILE_EXEMPT:
            return False
        return value.startswith(_PARAMFILE_PREFIXES)

    def _file(self, index: int, step: Step, suffix: str, params: Mapping[str, Any]) -> str:
        words = [self.file_prefix, f"{index:03d}", command_name(step.operation)]
        words += [_file_name_part(step.label)[:40], suffix]
        name = "-".join(w for w in words if w) + ".json"
        text = json.dumps(dict(params), indent=2, ensure_ascii=False)
        if not _encodable(text):
            text = json.dumps(dict(params), indent=2)
        self.files[name] = text + "\n"
        return name

    def _define(self, ref: Ref, stem: str) -> str:
        count = self.counts.get(ref.kind, 0)
        var = f"{stem}_{count + (0 if ref.kind == 'resource' else 1)}"
        if (ref.kind, ref.key) not in self.variables:
            self.counts[ref.kind] = count + 1
        self.variables[(ref.kind, ref.key)] = var
        self.ref_words.clear()  # a reference may now name another variable
        return var

    def _ref(self, ref: Ref | Sub) -> str:
        if isinstance(ref, Sub):
            return "".join(
                quote_always(p) if isinstance(p, str) else self._ref(p) for p in ref.parts
            )
        if ref.kind in _FIXED:
            return _FIXED[ref.kind]
        try:
            return f'"${self.variables[(ref.kind, ref.key)]}"'
        except KeyError:
            raise ValueError(f"the plan refers to {ref} before any step makes it") from None


#: References with a variable of their own, set by the prelude.
_FIXED = {
    kind: f'"${name}"'
    for kind, name in (
        ("rest_api", "REST_API_ID"),
        ("region", "REGION"),
        ("account", "ACCOUNT"),
        ("partition", "PARTITION"),
    )
}


def quote_always(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _option(name: str, value: Any) -> str:
    option = cli_option(name)
    if isinstance(value, bool):
        return option if value else "--no-" + option[2:]
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        text = json_text(value)
    return _text_option(option, text)


def _text_option(option: str, text: str) -> str:
    if text.startswith("-"):
        return f"{option}={quote(text)}"
    return f"{option} {quote(text)}"
