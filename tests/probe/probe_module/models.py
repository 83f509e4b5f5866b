from __future__ import annotations

from django.conf import settings
from django.db import models


class Note(models.Model):
    """A resident's short note: the probe's one kind of content."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("probe:note-detail", kwargs={"pk": self.pk})
