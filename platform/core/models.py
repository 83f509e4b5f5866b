"""The platform's own tables in the public schema (core is a shared app, never a town app)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """One task to enqueue, written in the same transaction as the change that calls for it.

    See core.outbox for why the table lives in the public schema and how a town's task is routed.
    """

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
