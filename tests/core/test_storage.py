"""Uploaded files are removed with their rows: after the commit, from the town's own media folder."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from core.storage import delete_files_after_commit


def test_a_file_goes_only_after_the_commit_and_from_the_folder_of_the_town_it_was_saved_in(
    town_a, town_b, django_capture_on_commit_callbacks
):
    with schema_context(town_b.schema_name):
        other_town = default_storage.save("tests/storage-same-name.txt", ContentFile(b"B"))
    with django_capture_on_commit_callbacks(execute=True):
        with schema_context(town_a.schema_name):
            name = default_storage.save("tests/storage-same-name.txt", ContentFile(b"A"))
            delete_files_after_commit(default_storage, [name, ""])
            # a rollback now would keep the row, so the file must still be there
            assert default_storage.exists(name)
        # the commit happens back on the public schema
    with schema_context(town_a.schema_name):
        assert not default_storage.exists(name)
    with schema_context(town_b.schema_name):
        assert default_storage.exists(other_town)
        default_storage.delete(other_town)


def test_nothing_is_queued_without_a_name(town_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with schema_context(town_a.schema_name):
            delete_files_after_commit(default_storage, ["", ""])
    assert callbacks == []
