"""Shared fixtures: the API Gateway emulator (moto's server on loopback) and the corpus."""

from __future__ import annotations

import csv
import json
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed (a red build must reproduce); locally they explore.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"

DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_PAGER": "",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


def corpus_manifest() -> list[dict[str, str]]:
    """Rows of the corpus manifest, or none where the corpus is absent."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def corpus_files() -> list[Path]:
    return [CORPUS / row["file"] for row in corpus_manifest()]


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*") if p.suffix in {".yaml", ".yml", ".json"})


def benchmark_generator() -> Any:
    """`benchmarks/generate.py` (benchmarks/ is not a package), for tests that use its documents."""
    import importlib

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module("generate")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


requires_corpus = pytest.mark.skipif(
    not (CORPUS / "MANIFEST.tsv").is_file(), reason="../shared/corpus is absent"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _add_update_model_to_moto() -> None:
    """moto 5 has no `UpdateModel` (it answers 500), which a re-import sends for each model
    that exists. AWS's takes `replace` of `/schema` and `/description` (API reference,
    UpdateModel / PatchOperation); the emulator is given just that, so a re-import is judged
    by the state it leaves. What is sent is checked at the request as well."""
    from moto.apigateway.responses import APIGatewayResponse

    if hasattr(APIGatewayResponse, "update_model"):
        return

    def update_model(self: Any) -> str:
        parts = self.path.split("/")
        model = self.backend.get_model(parts[2], parts[4])
        for operation in self._get_param("patchOperations") or []:
            if operation.get("op") != "replace" or operation.get("path") not in (
                "/schema",
                "/description",
            ):
                raise NotImplementedError(f"UpdateModel {operation}")
            setattr(model, operation["path"][1:], operation.get("value"))
        return json.dumps(model.to_json())

    APIGatewayResponse.update_model = update_model  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's server on 127.0.0.1 at a free port; yields its endpoint URL."""
    import logging

    from moto.server import ThreadedMotoServer

    _add_update_model_to_moto()

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture()
def aws_env(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment for the aws CLI and boto3: dummy credentials, the emulator's endpoint."""
    env = dict(DUMMY_ENV, AWS_ENDPOINT_URL=moto_server)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS"):
        monkeypatch.delenv(key, raising=False)
    return env


@pytest.fixture()
def apigw(aws_env: dict[str, str]) -> Any:
    """A boto3 API Gateway client bound to the emulator."""
    import boto3

    return boto3.client(
        "apigateway", region_name="us-east-1", endpoint_url=aws_env["AWS_ENDPOINT_URL"]
    )


@pytest.fixture()
def rest_api_id(apigw: Any, request: pytest.FixtureRequest) -> str:
    """A fresh, empty REST API on the emulator."""
    name = request.node.name[:100]
    return str(apigw.create_rest_api(name=name)["id"])
