"""The AWS edge shared by the live commands: one client factory, pacing, and AWS errors as one line.

API Gateway's control plane is slow to anger and quick to throttle: about 10 requests per second
per account, CreateResource and DeleteResource 5 per second, GetResources 5 per 2 seconds,
CreateDeployment 1 per 5 seconds (fixed quotas, not raisable). Staying under them costs less than
being throttled, and botocore's adaptive retries handle the rest.

Every way an AWS call can fail (no credentials, expired ones, no region, a wrong API id, no
permission, throttling past the retries, no network) becomes one line that says what to do, with
nothing secret in it: the user's keys never reach a message, a log or a report.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions as bex

#: API Gateway's documented control-plane quotas (requests per second, per account and region).
OVERALL_RATE = 10.0
OPERATION_RATES: Mapping[str, float] = {
    "CreateResource": 5.0,
    "DeleteResource": 5.0,
    "GetResources": 2.5,
    "CreateDeployment": 0.2,
    "CreateRestApi": 1 / 3,
    "PutRestApi": 1.0,
}

#: Retries when the caller set none: adaptive mode paces itself down when AWS throttles.
DEFAULT_RETRY_MODE = "adaptive"
DEFAULT_MAX_ATTEMPTS = 10


def retry_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """botocore's `retries` setting: adaptive, 10 attempts in all, unless AWS_RETRY_MODE /
    AWS_MAX_ATTEMPTS say otherwise (botocore reads those itself when we leave them out).

    `total_max_attempts` counts the first attempt, as AWS_MAX_ATTEMPTS does; botocore's
    `max_attempts` would count only the retries."""
    env = os.environ if environ is None else environ
    retries: dict[str, Any] = {}
    if not env.get("AWS_RETRY_MODE"):
        retries["mode"] = DEFAULT_RETRY_MODE
    if not env.get("AWS_MAX_ATTEMPTS"):
        retries["total_max_attempts"] = DEFAULT_MAX_ATTEMPTS
    return retries


def make_client(
    service: str = "apigateway",
    *,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> Any:
    """A client (`apigateway` unless told) from the usual AWS environment, adaptive retries.

    Region, profile and endpoint default to what boto3 finds (AWS_REGION, AWS_PROFILE,
    AWS_ENDPOINT_URL, ~/.aws/config); nothing is hard-coded.
    """
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(profile_name=profile, region_name=region)
    config = Config(retries=retry_config())
    return session.client(service, endpoint_url=endpoint_url, config=config)


# -- pacing ---------------------------------------------------------------------------------


@dataclass
class Pacer:
    """Spaces calls to stay within a rate overall and per operation.

    Each call waits until both its overall slot and its operation's slot are free, then takes
    them. `clock` and `sleep` are injectable so tests need no real time. `overall=None` turns
    pacing off (an emulator on loopback needs none).
    """

    overall: float | None = OVERALL_RATE
    per_operation: Mapping[str, float] = field(default_factory=lambda: dict(OPERATION_RATES))
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def unpaced(cls) -> Pacer:
        return cls(overall=None, per_operation={})

    def wait(self, operation: str) -> float:
        """Block until `operation` may be sent; returns the seconds waited."""
        keys = []
        if self.overall:
            keys.append(("", self.overall))
        rate = self.per_operation.get(operation)
        if rate:
            keys.append((operation, rate))
        if not keys:
            return 0.0
        now = self.clock()
        ready = max(self._next.get(key, now) for key, _ in keys)
        waited = max(0.0, ready - now)
        if waited:
            self.sleep(waited)
        start = now + waited
        for key, per_second in keys:
            self._next[key] = start + 1.0 / per_second
        return waited


# -- errors ---------------------------------------------------------------------------------

_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
_BAD_CREDENTIALS = {
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
}
_DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"}
_THROTTLED = {
    "TooManyRequestsException",
    "ThrottlingException",
    "Throttling",
    "LimitExceededException",
    "RequestLimitExceeded",
}
_CREDENTIAL_ERRORS: tuple[type[Exception], ...] = (
    bex.NoCredentialsError,
    bex.PartialCredentialsError,
    bex.CredentialRetrievalError,
    bex.TokenRetrievalError,
    bex.SSOError,
    bex.UnauthorizedSSOTokenError,
    bex.ProfileNotFound,
    bex.UnknownCredentialError,
)
_CONNECTION_ERRORS: tuple[type[Exception], ...] = (bex.ConnectionError, bex.HTTPClientError)

#: Shapes of secrets that must never be printed, whatever message carries them.
_SECRET_PATTERNS = (
    (re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b"), "***"),
    (
        re.compile(r"(?i)\b(signature|credential|x-amz-security-token|authorization)=[^\s,&]+"),
        r"\1=***",
    ),
)
_SECRET_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def redact(text: str, environ: Mapping[str, str] | None = None) -> str:
    """`text` without the caller's credentials or anything shaped like a key or signature."""
    env = os.environ if environ is None else environ
    for name in _SECRET_ENV:
        value = env.get(name, "")
        if len(value) >= 4:
            text = text.replace(value, "***")
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def printable(text: str) -> str:
    """`text` as one line that a terminal shows as it is: line breaks, escape sequences and
    other invisible characters written as Python escapes (`\\n`, `\\x1b`)."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def _line(text: str) -> str:
    return redact(printable(text))


@dataclass(frozen=True)
class AwsFailure:
    """An AWS call that could not be made, as one line for a person.

    `kind` is one of credentials, region, not-found, access-denied, throttled, connection,
    rejected (AWS refused the request itself: the message says why).
    """

    kind: str
    message: str
    operation: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        return self.message


def _client_error_parts(exc: bex.ClientError) -> tuple[str, str, int | None, int | None]:
    """AWS's error code, its message, the HTTP status and how many attempts were made."""
    response: Any = exc.response if isinstance(exc.response, dict) else {}
    error, meta = response.get("Error", {}), response.get("ResponseMetadata", {})
    code = str(error.get("Code") or "")
    message = str(error.get("Message") or error.get("message") or "").strip()
    status, retries = meta.get("HTTPStatusCode"), meta.get("RetryAttempts")
    return (
        code,
        message,
        status if isinstance(status, int) else None,
        retries + 1 if isinstance(retries, int) else None,
    )


def _describe_client_error(
    exc: bex.ClientError, rest_api_id: str | None, region: str | None
) -> tuple[str, str]:
    code, message, status, attempts = _client_error_parts(exc)
    operation = exc.operation_name
    said = f" ({message})" if message else ""
    lowered = message.lower()
    unauthorized = code == "UnauthorizedException"  # API Gateway's word for a bad token
    if code in _EXPIRED or ((code in _BAD_CREDENTIALS or unauthorized) and "expired" in lowered):
        return "credentials", (
            f"AWS credentials have expired{said}; renew them (aws sso login, or new keys) "
            "and run again"
        )
    if code in _BAD_CREDENTIALS or (unauthorized and "token" in lowered):
        return "credentials", f"AWS rejected the credentials{said}; check AWS_PROFILE or the keys"
    if code in _THROTTLED or status == 429:
        tries = f" after {attempts} attempts" if attempts else ""
        return "throttled", (
            f"API Gateway kept throttling {operation}{tries} ({code or status}); wait a "
            "minute and run again"
        )
    if code in _DENIED or status == 403:
        return "access-denied", (
            f"access denied to apigateway:{operation}{said}; the credentials in use need "
            "that permission"
        )
    if code == "NotFoundException" and rest_api_id is not None and operation in _API_READS:
        place = f" in region {region}" if region else ""
        return "not-found", (
            f"no REST API with id {rest_api_id!r}{place}; check the REST API id and AWS_REGION"
        )
    return "rejected", f"{operation} failed: {code or f'HTTP {status}'}{said}"


#: The calls whose NotFoundException means the REST API itself is missing.
_API_READS = frozenset({"GetRestApi", "GetResources", "GetModels", "GetAuthorizers"})


def describe_failure(
    exc: BaseException,
    *,
    rest_api_id: str | None = None,
    step: str | None = None,
    region: str | None = None,
) -> AwsFailure | None:
    """The one-line account of an AWS failure, or None when `exc` is not one (a bug).

    `step` names what was being done (`PUT /pets`) so the line says where a run stopped;
    `rest_api_id` and `region` let a NotFoundException say which API was missing.
    """
    where = f"{step}: " if step else ""
    if isinstance(exc, bex.ClientError):
        kind, text = _describe_client_error(exc, rest_api_id, region)
        code = _client_error_parts(exc)[0] or None
        return AwsFailure(kind, _line(where + text), exc.operation_name, code)
    if isinstance(exc, bex.NoRegionError):
        text = "no AWS region set; set AWS_REGION (or a region in the profile's config)"
        return AwsFailure("region", _line(where + text))
    if isinstance(exc, _CREDENTIAL_ERRORS):
        text = (
            f"no usable AWS credentials ({type(exc).__name__}: {exc}); set AWS_PROFILE, or run "
            "aws configure / aws sso login"
        )
        return AwsFailure("credentials", _line(where + text))
    if isinstance(exc, _CONNECTION_ERRORS):
        text = (
            f"could not reach API Gateway ({exc}); check the network, AWS_REGION and "
            "AWS_ENDPOINT_URL, then run again"
        )
        return AwsFailure("connection", _line(where + text))
    if isinstance(exc, bex.BotoCoreError):
        return AwsFailure("rejected", _line(where + f"AWS call failed: {exc}"))
    return None
