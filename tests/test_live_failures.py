"""The live commands when AWS says no: one clear line, exit 2, and never a credential.

`export --rest-api-id`, `diff apigateway:ID` and `import --apply` run through the real entry
point. What moto cannot judge (expired tokens, missing permissions, throttling) comes from a
loopback endpoint that answers as API Gateway does (status, `x-amzn-ErrorType`, JSON message);
a missing API comes from moto itself; a dropped connection from a closed loopback port; no
region from an empty environment. Throttling that stops is retried through to success.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import DUMMY_ENV, SAMPLES
from typer.testing import CliRunner

from oas2gw.cli import main

#: Distinctive so that any leak shows: none of these may appear in any output.
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAOAS2GWLEAKCHECK7",
    "AWS_SECRET_ACCESS_KEY": "s3cr3t/OAS2GW+leak+check/value0123456789",
    "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEOAS2GWSESSIONTOKENLEAKCHECK",
}
DOCUMENT = str(SAMPLES / "petstore.yaml")


def commands(rest_api_id: str) -> dict[str, list[str]]:
    return {
        "export": ["export", "--rest-api-id", rest_api_id],
        "diff": ["diff", f"apigateway:{rest_api_id}", DOCUMENT],
        "apply": ["import", DOCUMENT, "--apply", "--rest-api-id", rest_api_id],
    }


def run_main(args: list[str], env: dict[str, str | None]) -> tuple[int, str, str]:
    runner = CliRunner()
    with runner.isolation(env=env) as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def environment(endpoint: str | None, **more: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = dict(DUMMY_ENV)
    env.update(SECRETS)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_PROFILE=None,
        AWS_RETRY_MODE="standard",
        AWS_MAX_ATTEMPTS="2",
        OAS2GW_DEBUG=None,
        NO_COLOR="1",
    )
    env.update(more)
    return env


def assert_one_clear_line(code: int, out: str, err: str, where: str, *words: str) -> str:
    everything = out + err
    assert code == 2, f"{where}: exit {code}\n{everything}"
    assert "Traceback" not in everything, where
    assert "internal error" not in everything, f"{where}: {everything}"
    for secret in SECRETS.values():
        assert secret not in everything, f"{where} printed a credential"
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"{where}: {lines}"
    line = lines[0].lower()
    assert any(word in line for word in words), f"{where}: {lines[0]}"
    return lines[0]


# --- an endpoint that answers as API Gateway does when it refuses -------------------------------


class _Refusal(BaseHTTPRequestHandler):
    status = 500
    error_type = "InternalFailure"
    message = ""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"message": self.message}).encode()
        self.send_response(self.status)
        self.send_header("x-amzn-ErrorType", self.error_type)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def refusing() -> Iterator[Any]:
    """`serve(status, type, message)` -> the URL of an endpoint that answers only that."""
    servers: list[ThreadingHTTPServer] = []

    def serve(status: int, error_type: str, message: str) -> str:
        handler = type(
            "Handler",
            (_Refusal,),
            {"status": status, "error_type": error_type, "message": message},
        )
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


REFUSALS = {
    "expired": (
        403,
        "ExpiredTokenException",
        "The security token included in the request is expired",
        ("expired",),
    ),
    "denied": (
        403,
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET",
        ("access denied", "not authorized"),
    ),
    "throttled": (429, "TooManyRequestsException", "Too Many Requests", ("throttl",)),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_aws_refusal_is_one_line_and_exit_2(case: str, refusing: Any) -> None:
    status, error_type, message, words = REFUSALS[case]
    env = environment(refusing(status, error_type, message))
    for name, args in commands("abc123").items():
        code, out, err = run_main(args, env)
        assert_one_clear_line(code, out, err, f"{name} ({case})", *words)


def test_missing_rest_api_is_one_line_and_exit_2(moto_server: str) -> None:
    env = environment(moto_server)
    for name, args in commands("nosuchapi1").items():
        code, out, err = run_main(args, env)
        line = assert_one_clear_line(code, out, err, name, "nosuchapi1", "not found", "notfound")
        assert "nosuchapi1" in line


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dropped_connection_is_one_line_and_exit_2() -> None:
    env = environment(f"http://127.0.0.1:{_closed_port()}", AWS_MAX_ATTEMPTS="1")
    for name, args in commands("abc123").items():
        code, out, err = run_main(args, env)
        assert_one_clear_line(code, out, err, name, "could not reach", "connect")


def test_no_region_is_one_line_and_exit_2(moto_server: str) -> None:
    env = environment(moto_server, AWS_REGION=None, AWS_DEFAULT_REGION=None)
    for name, args in commands("abc123").items():
        code, out, err = run_main(args, env)
        assert_one_clear_line(code, out, err, name, "region")


# --- throttling that stops is retried through --------------------------------------------------


def test_throttling_that_stops_is_retried_to_success(
    apigw: Any, rest_api_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first two requests of each command answer 429 TooManyRequestsException
    (botocore's `before-send` hook short-circuits them); the client's retries carry each
    command through."""
    from botocore.awsrequest import AWSResponse

    from oas2gw import api
    from oas2gw.export.command import export_api

    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    from oas2gw.aws import make_client

    client = make_client()
    refused: list[str] = []
    pending = [0]  # how many of the next requests answer 429

    class _Raw:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield b'{"message": "Too Many Requests"}'

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        if not pending[0]:
            return None
        pending[0] -= 1
        refused.append(request.url)
        headers = {"x-amzn-ErrorType": "TooManyRequestsException"}
        return AWSResponse(request.url, 429, headers, _Raw())

    client.meta.events.register("before-send.api-gateway", throttle)
    model = api.load(DOCUMENT).model
    assert model is not None
    pending[0] = 2
    applied = api.apply(model, client, rest_api_id)
    assert applied.failure is None, applied.failure
    pending[0] = 2
    exported = export_api(rest_api_id=rest_api_id, client=client)
    assert not exported.failed, exported.diagnostics
    pending[0] = 2
    compared = api.diff(f"apigateway:{rest_api_id}", DOCUMENT, client=client)
    assert not compared.failed, compared.diagnostics
    assert len(refused) == 6
