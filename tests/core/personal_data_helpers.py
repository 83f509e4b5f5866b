"""Small helpers shared by the personal-data tests (tests/core and tests/modules/<key>)."""

from __future__ import annotations

import json
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.personal_data import personal_data_collect, personal_data_export
from tests.accounts.factories import UserFactory


def person(email: str, name: str = "", **fields: Any) -> Any:
    """A resident of the current town with a verified address."""
    return UserFactory(email=email, name=name or email.split("@")[0].title(), **fields)


def stored_file(name: str, content: bytes = b"\x89PNG not really") -> str:
    """A file in the current town's storage; returns its storage name."""
    return default_storage.save(name, ContentFile(content))


def section(user: Any, key: str) -> dict[str, Any]:
    """One provider's export of `user`, as it goes into data.json (JSON round trip included)."""
    return json.loads(json.dumps(personal_data_collect(user)[key], default=str))


def flat(data: Any) -> str:
    """The export as one string, to check what it mentions and what it must not."""
    return json.dumps(data, default=str, ensure_ascii=False)


def archive_of(user: Any) -> tuple[dict[str, Any], dict[str, bytes]]:
    """data.json and the other entries of `user`'s export archive."""
    with personal_data_export(user) as archive, zipfile.ZipFile(archive) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    return json.loads(entries.pop("data.json")), entries
