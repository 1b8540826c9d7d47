"""Reading: bytes to an OpenAPI tree with source locations, `$ref`s inlined, templates unwrapped.

Nothing here knows about API Gateway's rules; the model stage reads `Document.tree`.
"""

from __future__ import annotations

from oas2gw.read.document import Document, ReadOptions, load_document
from oas2gw.read.locate import SourceMap

__all__ = ["Document", "ReadOptions", "SourceMap", "load_document"]
