"""Personal data: what the platform holds about one person, handed over (GDPR Art. 15, 20) or erased (Art. 17).

Every app whose tables point at a person, or hold what a person wrote, provides one
:class:`PersonalData` capability::

    provides=(PersonalData(key="board", export="modules.board.personal_data.export",
                           erase="modules.board.personal_data.erase"),)

``export(user)`` returns that person's data as a JSON-safe dict; storage names of the files
they uploaded go into its ``"files"`` list, and the archive carries those files too.
``erase(user)`` deletes what is only theirs and anonymises what other people rely on (a
comment in someone else's thread, a message sent to others, an errand a neighbour accepted);
what the law makes the town keep (moderation decisions, invoices) stays, with its legal
ground documented in the provider. Each provider's module docstring says, model by model,
what happens and why.

The services run the providers of every installed app, whether the town has the module
switched on or not: the data stays when a module is switched off, and so does the duty to
hand it over or erase it.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.capabilities import Capability, Ref, call, declared
from core.tenancy import connection

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# The key of a provider's export that lists the storage names of the person's files.
FILES_KEY = "files"
# Exports up to this size stay in memory; larger ones spill into a temporary file.
_IN_MEMORY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class PersonalData(Capability):
    """What one app holds about a person, and how it is handed over and erased.

    ``export(user) -> dict``: JSON-safe data of that person only (what they wrote, their
    settings and memberships; never another person's name, address or text). Dates and
    datetimes may be left as they are. ``dict["files"]``, if present, is a list of storage
    names (the default storage) of files the person uploaded.

    ``erase(user)``: runs inside the one transaction of :func:`personal_data_erase`, before the
    account itself is anonymised. Delete files with ``core.storage.delete_files_after_commit``,
    never at once: a rollback would keep the rows and lose their files. ``None``: the app
    erases nothing, because everything it holds must be kept (its docstring says why).
    """

    kind_label = "personal data"

    key: str  # the section of data.json, usually the module key
    export: Ref  # (user) -> dict[str, Any]
    erase: Ref | None = None  # (user) -> None
    # Erasure runs in ascending order; the account itself (accounts, 1000) comes last, because
    # the other providers still find the person's rows through it.
    order: int = 100
    # What the town writes into its paperwork (record of processing activities, GDPR Art. 30(1)):
    # why the app processes personal data, which kinds, on what legal ground and for how long.
    # Optional; the documents show "not stated" where an app leaves them empty.
    purpose: StrOrPromise = ""
    categories: tuple[StrOrPromise, ...] = ()
    legal_basis: StrOrPromise = ""
    retention: StrOrPromise = ""
    # What stays after an erasure, and why (the retention register).
    kept: tuple[Kept, ...] = ()
    # One plain sentence (lazily translated) saying what the app stores about a person and why; the
    # town's privacy policy template lists it for every enabled module (town.legal_templates).
    stores: Any = ""


@dataclass(frozen=True)
class Kept:
    """An entry of the retention register: what an erasure leaves, on what ground, for how long.

    ``tables`` names the database tables (``db_table``) where it stays, so a test can check that
    an erasure leaves a person's traces nowhere else.
    """

    what: StrOrPromise
    legal_basis: StrOrPromise
    period: StrOrPromise
    tables: tuple[str, ...] = ()


def personal_data_providers() -> list[PersonalData]:
    """Every app's provider, installed apps whether enabled in this town or not, in erasure order."""
    return sorted(declared(PersonalData), key=lambda provider: (provider.order, provider.key))


def _require_town() -> None:
    if connection.schema_name == "public":
        raise RuntimeError("Personal data lives in a town's schema; activate the town first.")


def personal_data_collect(user: Any) -> dict[str, Any]:
    """Every provider's export of `user`, by provider key (what goes into data.json)."""
    _require_town()
    return {provider.key: dict(call(provider.export, user)) for provider in personal_data_providers()}


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _archive_name(section: str, number: int, storage_name: str) -> str:
    # Only the last path part, reduced to plain characters: no "..", no absolute paths, no
    # odd bytes in anybody's unzip tool. The number keeps two "photo.jpg" apart.
    base = _UNSAFE.sub("_", PurePosixPath(storage_name).name).strip("._") or "file"
    return f"files/{_UNSAFE.sub('_', section)}/{number:03d}-{base[:80]}"


def personal_data_export(user: Any) -> IO[bytes]:
    """A ZIP archive of everything the platform holds about `user` in the current town.

    It holds ``data.json`` (each provider's export under its key, and ``files``: which
    archive entry holds which stored file) and the files themselves. The archive is built in
    memory, or in a temporary file once it grows large; it is returned rewound.
    """
    sections = personal_data_collect(user)
    archive: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY_BYTES)  # noqa: SIM115 (returned)
    files: dict[str, str] = {}
    missing: list[str] = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        number = 0
        for key, data in sections.items():
            for name in data.get(FILES_KEY, ()):
                if not name or name in files:
                    continue
                if not default_storage.exists(name):
                    missing.append(name)
                    continue
                number += 1
                entry = _archive_name(key, number, name)
                with default_storage.open(name, "rb") as source, zf.open(entry, "w") as target:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
                files[name] = entry
        document = {
            "exported_at": timezone.now(),
            "town": connection.schema_name,
            "sections": sections,
            "files": files,
            "missing_files": missing,
        }
        zf.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    archive.seek(0)
    return archive


@transaction.atomic
def personal_data_erase(user: Any) -> list[str]:
    """Erase `user` in the current town: every provider, then the account; all or nothing.

    Returns the keys of the providers that ran. A provider may refuse with a ValidationError
    (the town's last administrator); then nothing changes, and no file is deleted.
    """
    _require_town()
    ran = []
    for provider in personal_data_providers():
        if provider.erase is not None:
            call(provider.erase, user)
            ran.append(provider.key)
    # The town must be able to show that it erased (GDPR Art. 5(2)); the id names nobody any more.
    logger.info("personal data of user %s erased (%s)", user.pk, ", ".join(ran))
    return ran


__all__ = [
    "FILES_KEY",
    "Kept",
    "PersonalData",
    "personal_data_collect",
    "personal_data_erase",
    "personal_data_export",
    "personal_data_providers",
]
