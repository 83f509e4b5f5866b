"""Schaukasten: the registered public screens of a town and the keys they show the page with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Screen(models.Model):
    """A display in a public place (town hall window, Dorfgemeinschaftshaus), registered by an admin.

    Only the SHA-256 of its key is stored: the key is shown once, when the screen is registered, as part
    of the address the screen opens. Revoking keeps the row, so the list says when it was signed off.
    """

    name = models.CharField(_("name"), max_length=100)
    # None: the whole town's screen; otherwise that village's news, dates and notices plus the town-wide ones.
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(max_length=8, editable=False)  # the key's last characters, to tell screens apart
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("public screen")
        verbose_name_plural = _("public screens")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
