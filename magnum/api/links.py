"""Links in responses: self (with /v1) and bookmark (without)."""

from __future__ import annotations

import pecan
from oslo_config import cfg


def base_url() -> str:
    return (cfg.CONF.api.public_endpoint or pecan.request.application_url).rstrip("/")


def make(rel: str, *parts: str, bookmark: bool = False, query: str = "") -> dict[str, str]:
    path = "/".join(p.strip("/") for p in parts if p)
    prefix = base_url() if bookmark else f"{base_url()}/v1"
    href = f"{prefix}/{path}" if path else f"{prefix}/"
    if query:
        href = f"{href}?{query}"
    return {"href": href, "rel": rel}


def resource_links(collection: str, ident: str) -> list[dict[str, str]]:
    return [
        make("self", collection, ident),
        make("bookmark", collection, ident, bookmark=True),
    ]
