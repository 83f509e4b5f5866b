"""Plain helpers of the waste calendar tests."""

from __future__ import annotations

from typing import Any


def english(client: Any) -> Any:
    """The client asks for English pages, as the browser journeys do (the town's default is German)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
