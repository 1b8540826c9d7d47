"""oas2gw: OpenAPI documents with Amazon API Gateway extensions <-> API Gateway's REST API.

The library's face is `oas2gw.api`; its functions are re-exported here lazily, so that
`import oas2gw` stays cheap and heavy modules load only when a function needs them. `diff` and
`export` are not: those names are the subpackages, so call `oas2gw.api.diff` and
`oas2gw.api.export`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = (
    "load",
    "validate",
    "LoadResult",
    "ReadOptions",
    "PlanOptions",
    "build_plan",
    "render_import",
    "apply",
)
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        from oas2gw import api

        return getattr(api, name)
    raise AttributeError(f"module 'oas2gw' has no attribute {name!r}")
