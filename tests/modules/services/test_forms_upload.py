"""Downloadable forms: only PDFs within the size limit, stored in the town's storage, gone with the service."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from modules.services import services
from modules.services.models import ServiceForm
from tests.helpers import shown
from tests.modules.services.factories import PDF, ServiceFactory


@pytest.fixture
def service(in_town_a):
    return ServiceFactory(title="Wohnsitz anmelden")


def _post(client, service, content: bytes, name: str = "formular.pdf"):
    return client.post(f"/services/manage/services/{service.slug}/forms/", {
        "title": "Wohnungsgeberbestätigung", "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
    })


def test_a_pdf_form_is_stored_and_offered_for_download(service, admin_client_a, client_a):
    assert _post(admin_client_a, service, PDF).status_code == 302
    form = ServiceForm.objects.get()
    assert form.file.name.endswith(".pdf") and form.size == len(PDF)
    page = client_a.get(service.get_absolute_url()).content.decode()
    assert "Wohnungsgeberbestätigung" in page and form.file.url in page
    form.file.delete(save=False)


def test_a_file_that_is_not_a_pdf_is_refused_with_a_german_message(service, admin_client_a):
    response = _post(admin_client_a, service, b"<html><script>alert(1)</script></html>", name="boese.pdf")
    assert response.status_code == 400
    assert shown("This file is not a PDF. Please upload the form as a PDF file.") in response.content.decode()
    assert not ServiceForm.objects.exists()


def test_a_pdf_over_the_size_limit_is_refused(service, admin_client_a, monkeypatch):
    monkeypatch.setattr(services, "FORM_MAX_BYTES", 20)
    response = _post(admin_client_a, service, PDF)
    assert response.status_code == 400
    assert not ServiceForm.objects.exists()


def test_deleting_the_service_deletes_its_files_after_commit(service, django_capture_on_commit_callbacks):
    from tests.accounts.factories import town_admin

    form = services.service_form_add(service=service, acting_user=town_admin(), title="Antrag",
                                     upload=SimpleUploadedFile("a.pdf", PDF))
    storage, name = form.file.storage, form.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.service_delete(service=service, acting_user=town_admin())
    assert not storage.exists(name)
