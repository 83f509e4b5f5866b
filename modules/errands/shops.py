"""Shops come from the Branchenbuch (modules.directory) when the town has it on; otherwise free text.

This is the only place the Mitbringdienst talks to the directory, and only
through its facade, so switching the directory off (or a town never having
it) just leaves the free-text field.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.access import tenant_has_module


@dataclass(frozen=True)
class Shop:
    id: int
    name: str
    ortsgemeinde_name: str
    url: str
    is_open_now: bool | None


def _facade():
    if not tenant_has_module("directory"):
        return None
    try:
        import modules.directory.facade as facade
    except ImportError:  # a deployment without the directory module
        return None
    return facade


def _shop(summary) -> Shop:
    return Shop(
        id=summary.id,
        name=summary.name,
        ortsgemeinde_name=getattr(summary, "ortsgemeinde_name", "") or "",
        url=getattr(summary, "url", "") or "",
        is_open_now=getattr(summary, "is_open_now", None),
    )


def shop_choices(*, ortsgemeinde_id: int | None = None) -> list[Shop]:
    """Businesses of the directory, [] when the directory is off or absent."""
    facade = _facade()
    if facade is None:
        return []
    return [_shop(summary) for summary in facade.business_choices(ortsgemeinde_id=ortsgemeinde_id)]


def shop_get(business_id: int | None) -> Shop | None:
    if business_id is None:
        return None
    facade = _facade()
    if facade is None:
        return None
    summary = facade.business_get(business_id)
    return _shop(summary) if summary is not None else None
