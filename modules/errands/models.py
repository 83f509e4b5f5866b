"""Mitbringdienst: neighbours bring each other things from the shops.

A resident posts a request ("bread and milk from the bakery in Kausen, Thursday
afternoon"); a neighbour who is going anyway accepts it and reports the steps
(bought, delivered). Helpers can also announce a trip that others join. No money
moves through the platform: the two people note amounts for themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ErrandStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    BOUGHT = "bought", _("Bought")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Trip(models.Model):
    """A helper's announced trip ("Thursday 10:00 to Betzdorf, can bring things")."""

    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    destination = models.CharField(_("destination"), max_length=120)
    # Directory entry when the town has the Branchenbuch on (its id; the module may be off or absent).
    business_id = models.PositiveIntegerField(null=True, blank=True)
    shop_name = models.CharField(_("shop(s)"), max_length=200, blank=True)
    departure_at = models.DateTimeField(_("departure"))
    # Empty: the helper brings things to every Ortsgemeinde.
    ortsgemeinden = models.ManyToManyField(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinden served"), blank=True, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(_("how many households can join"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["departure_at", "pk"]

    def __str__(self) -> str:
        return f"{self.destination} {self.departure_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("errands:trip-detail", kwargs={"trip_id": self.pk})


class ErrandRequest(models.Model):
    """'Who can bring me X from Y': written only through modules.errands.services (the state machine)."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trip = models.ForeignKey(Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests")
    items = models.TextField(_("what you need"), max_length=1000)  # one item per line
    business_id = models.PositiveIntegerField(null=True, blank=True)
    shop_name = models.CharField(_("shop"), max_length=200)
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    ortsgemeinde = models.ForeignKey(
        "town.Ortsgemeinde", verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    estimated_amount_cents = models.PositiveIntegerField(_("estimated amount"), null=True, blank=True)
    spent_amount_cents = models.PositiveIntegerField(_("amount spent"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ErrandStatus.choices, default=ErrandStatus.OPEN)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("errand")
        verbose_name_plural = _("errands")
        ordering = ["window_start", "pk"]
        indexes = [models.Index(fields=["status", "window_end"], name="errands_open_idx")]

    def __str__(self) -> str:
        return f"{self.shop_name}: {self.items[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("errands:request-detail", kwargs={"request_id": self.pk})

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]

    def is_party(self, user) -> bool:
        return bool(getattr(user, "pk", None)) and user.pk in (self.requester_id, self.helper_id)


class ErrandEventKind(models.TextChoices):
    CREATED = "created", _("asked")
    ACCEPTED = "accepted", _("accepted")
    RELEASED = "released", _("gave it back")
    BOUGHT = "bought", _("bought the things")
    DELIVERED = "delivered", _("delivered")
    CANCELLED = "cancelled", _("cancelled")


class ErrandEvent(models.Model):
    """One step of a request: the history both people see, and what the daily limits count."""

    request = models.ForeignKey(ErrandRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=ErrandEventKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["actor", "kind", "created_at"], name="errands_event_limit_idx")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class ErrandComment(models.Model):
    """A message between requester and helper (addresses and phone numbers are shared here, by choice)."""

    request = models.ForeignKey(ErrandRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("message"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ErrandReport(models.Model):
    """A resident tells the moderators that a request is abusive."""

    request = models.ForeignKey(ErrandRequest, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "reporter"], name="errands_one_report_per_person"),
        ]

    def __str__(self) -> str:
        return self.reason[:40]


class ErrandBlock(models.Model):
    """`blocker` no longer sees `blocked`'s requests; neither can accept the other's."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="errands_block_once"),
            models.CheckConstraint(condition=~models.Q(blocker=models.F("blocked")), name="errands_no_self_block"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
