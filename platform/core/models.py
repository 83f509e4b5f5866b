"""The platform's own tables in the public schema (core is a shared app, never a town app)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """One task to enqueue, written in the same transaction as the change that calls for it.

    See core.outbox for why the table lives in the public schema and how a town's task is routed.
    """

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    # The schema the task runs in ("public" for platform work, "t_<slug>" for a town's).
    schema_name = models.CharField(max_length=100)
    queue = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before this time: pushed back after each failed send (backoff).
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set by the task itself (core.outbox.delivery_once) so that a second delivery does nothing.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["available_at"], name="outbox_unsent_idx", condition=models.Q(sent_at__isnull=True)),
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}@{self.schema_name} ({'sent' if self.sent_at else 'unsent'})"


class AuditLogRefused(Exception):
    """An audit entry was to be changed or deleted: the log is append-only."""


class AuditEntryQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: object) -> int:
        raise AuditLogRefused("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogRefused("audit entries cannot be deleted")


class AuditEntryBase(models.Model):
    """Who did what to which object, when and from where; written by core.audit.audit_record only.

    No foreign keys: an entry outlives the person and the object it names (a deleted
    organisation, an erased account), so it keeps snapshots of their names instead. Rows are
    never changed or deleted through the app (save/delete/QuerySet refuse), and a database
    trigger refuses UPDATE and DELETE from anywhere else (core.audit.append_only_sql).
    """

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)  # accounts.User pk in the same schema
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    # {"field": [before, after]} for the fields that changed.
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '-'}: {self.action} {self.target_label}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditLogRefused("audit entries cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditLogRefused("audit entries cannot be deleted")


class PlatformAuditEntry(AuditEntryBase):
    """What platform staff did on the public site (switching a town off, retrying a signup)."""

    class Meta(AuditEntryBase.Meta):
        indexes = [models.Index(fields=["action", "created_at"], name="platform_audit_action_idx"),
                   # the filter's list of people: DISTINCT ON (actor_id), newest name first
                   models.Index(fields=["actor_id", "-created_at"], name="platform_audit_actor_idx")]
