"""What other modules use: the start link and opening a conversation; both refuse when the module is off."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from modules.conversations import facade
from modules.conversations.models import Conversation, Message
from tests.helpers import logged_in_client


def test_start_url_leads_to_a_form_for_that_resident(town_a, anna, ben):
    url = facade.conversation_start_url(ben.pk)
    assert url == f"/conversations/new/?to={ben.pk}"
    page = logged_in_client(town_a, anna).get(url).content.decode()
    assert f'value="{ben.pk}"' in page and "checked" in page


def test_conversation_open_creates_then_reuses_the_one_to_one_conversation(anna, ben):
    first = facade.conversation_open(sender=anna, recipient_id=ben.pk, text="Hallo", context_label="Pinnwand: Hilfe")
    second = facade.conversation_open(sender=ben, recipient_id=anna.pk, text="Gern")
    conversation = Conversation.objects.get()
    assert first.startswith(f"/conversations/{conversation.pk}/#message-")
    assert second.startswith(f"/conversations/{conversation.pk}/#message-") and first != second
    assert list(Message.objects.values_list("context_label", flat=True)) == ["Pinnwand: Hilfe", ""]


def test_conversation_open_raises_like_the_page(anna, ben):
    with pytest.raises(ValidationError):
        facade.conversation_open(sender=anna, recipient_id=ben.pk, text="")
    with pytest.raises(ValidationError):
        facade.conversation_open(sender=anna, recipient_id=987654, text="Hallo")
    assert not Message.objects.exists()


def test_with_the_module_off_there_is_no_link_no_conversation_and_no_page(
    town_a, anna, ben, eager, django_capture_on_commit_callbacks
):
    from modules.notifications.models import Notification
    from tenants.services import tenant_module_disable, tenant_module_enable

    client = logged_in_client(town_a, anna)
    tenant_module_disable(tenant=town_a, key="conversations")
    connection.set_tenant(town_a)
    try:
        assert facade.conversation_start_url(ben.pk) is None
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
            facade.conversation_open(sender=anna, recipient_id=ben.pk, text="Hallo")
        for url in ("/conversations/", f"/conversations/new/?to={ben.pk}", "/api/v1/conversations/"):
            assert client.get(url).status_code == 404
        assert not Message.objects.exists() and not Notification.objects.exists()
    finally:
        tenant_module_enable(tenant=town_a, key="conversations")
