"""A town's own data about itself: profile and branding, villages, organisations, roles."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntryBase

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, for example #1d4ed8."))
postal_codes_validator = RegexValidator(
    r"^\d{5}(\s*,\s*\d{5})*$", _("Enter five-digit postal codes, separated by commas.")
)


class TownProfile(models.Model):
    """The one row describing this town: name, branding, contact person, legal texts."""

    name = models.CharField(_("name"), max_length=120)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ImageField(_("logo or coat of arms"), upload_to="branding/", blank=True)
    header_image = models.ImageField(_("header image"), upload_to="branding/", blank=True)
    header_image_alt = models.CharField(_("header image description"), max_length=200, blank=True)
    primary_colour = models.CharField(_("primary colour"), max_length=7, default="#1f5f8b", validators=[hex_colour])
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#8a4b08", validators=[hex_colour])

    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_role = models.CharField(_("role of the contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_photo = models.ImageField(_("photo of the contact person"), upload_to="branding/", blank=True)
    contact_hours = models.CharField(_("office hours"), max_length=200, blank=True)

    impressum = models.TextField(_("legal notice (Impressum)"), blank=True)
    privacy_policy = models.TextField(_("privacy policy (Datenschutzerklärung)"), blank=True)
    accessibility_statement = models.TextField(_("accessibility statement (Erklärung zur Barrierefreiheit)"),
                                               blank=True)

    # Admins and moderators always need a second factor at sign-in; the town may ask it of the
    # editors of its organisations too (accounts.mfa).
    mfa_for_editors = models.BooleanField(
        _("editors need two-factor login too"), default=False,
        help_text=_("Town admins and moderators always need it. Editors of organisations then need it as well."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("town profile")

    def __str__(self) -> str:
        return self.name

    @property
    def signup_open(self) -> bool:
        """Residents may register only once the town has published its Impressum and Datenschutzerklärung."""
        return bool(self.impressum.strip() and self.privacy_policy.strip())


class Ortsgemeinde(models.Model):
    """A village inside the town (for a Verbandsgemeinde: its Ortsgemeinden)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True, validators=[postal_codes_validator])
    logo = models.ImageField(_("logo or coat of arms"), upload_to="ortsgemeinden/", blank=True)
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"), null=True, blank=True,
        help_text=_("How many people live here. The adoption overview compares it with the registrations."),
    )

    class Meta:
        verbose_name = _("Ortsgemeinde")
        verbose_name_plural = _("Ortsgemeinden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def postal_code_list(self) -> list[str]:
        return [code.strip() for code in self.postal_codes.split(",") if code.strip()]


class OrtsgemeindeBoundary(models.Model):
    """An Ortsgemeinde's outline, from the GeoJSON the town uploaded (town.places explains the format)."""

    ortsgemeinde = models.OneToOneField(Ortsgemeinde, on_delete=models.CASCADE, related_name="boundary",
                                        verbose_name=_("Ortsgemeinde"))
    area = models.JSONField(_("area"))  # a list of polygons of [longitude, latitude] rings
    # The bounding box lets one SQL query rule out every village a point can't be in.
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lon = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")
        indexes = [models.Index(fields=["min_lat", "max_lat", "min_lon", "max_lon"], name="town_boundary_bbox_idx")]

    def __str__(self) -> str:
        return self.ortsgemeinde.name


class Street(models.Model):
    """A street of an Ortsgemeinde, from the town's street list; typed addresses are matched against these."""

    ortsgemeinde = models.ForeignKey(Ortsgemeinde, on_delete=models.CASCADE, related_name="streets",
                                     verbose_name=_("Ortsgemeinde"))
    name = models.CharField(_("name"), max_length=150)
    key = models.CharField(max_length=150)  # town.places.street_key(name)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ortsgemeinde", "key"], name="town_street_unique_key")]
        indexes = [models.Index(fields=["key"], name="town_street_key_idx")]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    VEREIN = "verein", _("Club (Verein)")
    FEUERWEHR = "feuerwehr", _("Fire brigade")
    KIRCHE = "kirche", _("Parish")
    SCHULE = "schule", _("School or Kita")
    INITIATIVE = "initiative", _("Initiative")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A Verein, fire brigade, parish, school, business...: a multiplier that publishes."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.VEREIN)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    ortsgemeinde = models.ForeignKey(
        Ortsgemeinde, verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_approved = models.BooleanField(_("approved"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    MANAGER = "manager", _("Manager")


class OrganisationMembership(models.Model):
    """A person who may publish on behalf of an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default=MembershipRole.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class OrganisationFollow(models.Model):
    """A resident who follows a club or organisation: they hear of its new events and news
    (through the notifications module's "follows" topic, when the town has it)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("followed organisation")
        verbose_name_plural = _("followed organisations")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="town_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.organisation_id}"


def _signup_code() -> str:
    # Eight characters a person can type from a poster: lower-case letters and digits without
    # the look-alikes 0/o and 1/l/i. 32**8 ≈ 10**12 codes: not guessable by trying addresses.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class SignupCode(models.Model):
    """The code behind a printed invitation's QR code and short address (``/r/<code>/``).

    One per source: the whole town (no Ortsgemeinde, no organisation), each Ortsgemeinde, each
    organisation. Registrations that came through it are counted (`ResidentProfile.signup_code`),
    so the town sees which poster, flyer or Verein brought people in, as numbers, never names.
    """

    code = models.CharField(_("code"), max_length=16, unique=True, default=_signup_code)
    ortsgemeinde = models.ForeignKey(
        Ortsgemeinde, verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        constraints = [
            models.UniqueConstraint(fields=["ortsgemeinde", "organisation"], nulls_distinct=False,
                                    name="one_signup_code_per_source"),
        ]

    def __str__(self) -> str:
        return self.code


class ResidentProfile(models.Model):
    """Where a person lives: their Ortsgemeinde filters what the start page shows them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resident_profile")
    ortsgemeinde = models.ForeignKey(
        Ortsgemeinde, verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signup_code = models.ForeignKey(
        SignupCode, verbose_name=_("registered through"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="registrations",
    )

    def __str__(self) -> str:
        return f"{self.user} in {self.ortsgemeinde or '-'}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationRole(models.TextChoices):
    EDITOR = "editor", _("Editor of an organisation")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Town administrator")
    VILLAGE = "village", _("Editor of an Ortsgemeinde (Ortsbürgermeister)")


class VillageEditor(models.Model):
    """A person who speaks for one Ortsgemeinde (Ortsbürgermeister, village editor).

    They publish official news for their own Ortsgemeinde, and only for it: never town-wide,
    never for another village (``town.people_services.user_can_publish_official_for``).
    """

    ortsgemeinde = models.ForeignKey(Ortsgemeinde, verbose_name=_("Ortsgemeinde"), on_delete=models.CASCADE,
                                     related_name="village_editors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="village_roles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("editor of an Ortsgemeinde")
        verbose_name_plural = _("editors of Ortsgemeinden")
        constraints = [models.UniqueConstraint(fields=["ortsgemeinde", "user"], name="uniq_village_editor")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.ortsgemeinde}"


class Invitation(models.Model):
    """An e-mailed invitation to become editor, moderator or admin of this town.

    The token is a random value stored in the town's own schema, so a link
    from another town never matches (ISOLATION T4).
    """

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ortsgemeinde = models.ForeignKey(
        Ortsgemeinde, verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.role}"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()


class Weekday(models.IntegerChoices):
    # Python's numbering (date.weekday()): Monday is 0.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfficeHour(models.Model):
    """A weekly opening time of the town hall or a Sprechstunde (e.g. of an Ortsbürgermeister).

    Shown in the contact card and served as a weekly series in the town's calendar feeds.
    """

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    title = models.CharField(_("what"), max_length=120, help_text=_("For example “Bürgerbüro” or "
                                                                   "“Sprechstunde Ortsbürgermeister”."))
    place = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("Room and address, for example “Rathaus Betzdorf, Zimmer 12”."))
    ortsgemeinde = models.ForeignKey(
        Ortsgemeinde, verbose_name=_("Ortsgemeinde"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="office_hours", help_text=_("Leave empty for the whole town."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office hour")
        verbose_name_plural = _("office hours")
        ordering = ["weekday", "starts_at", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="office_hour_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.title}"


class CalendarSubscription(models.Model):
    """A person's link to their own calendar feed (/kalender/ical/persoenlich/<token>/).

    The token is derived from the server's secret key, the town's schema, the person and a
    random ``salt`` (so the account page can show the link again); only its hash is stored, as
    the lookup key. Renewing draws a new salt, revoking deletes the row: the old link then 404s.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_subscription")
    salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"


class AuditEntry(AuditEntryBase):
    """The town's audit log (core.audit): what admins, moderators and editors changed, kept in the town's schema."""

    class Meta(AuditEntryBase.Meta):
        verbose_name = _("audit log entry")
        indexes = [models.Index(fields=["action", "created_at"], name="town_audit_action_idx"),
                   # the filter's list of people: DISTINCT ON (actor_id), newest name first
                   models.Index(fields=["actor_id", "-created_at"], name="town_audit_actor_idx")]


class ResidencyMethod(models.TextChoices):
    NONE = "none", _("No check")
    APPROVAL = "approval", _("The town hall confirms each request")
    POSTCODE = "postcode", _("Postal code of the town")
    LETTER = "letter", _("Code from a letter of the town hall")


class ResidencyPolicy(models.Model):
    """How this town confirms that someone lives here, and what only confirmed residents may do.

    One row per town (made on first use). Anyone with an e-mail address can register; the town
    decides whether that is enough to write on the Pinnwand, vote or offer rides.
    """

    method = models.CharField(_("how residents confirm where they live"), max_length=20,
                              choices=ResidencyMethod.choices, default=ResidencyMethod.NONE)
    required_for_posting = models.BooleanField(
        _("only confirmed residents may write posts, comments and proposals"), default=False)
    required_for_voting = models.BooleanField(
        _("only confirmed residents may vote in polls and support proposals"), default=False)
    required_for_rides = models.BooleanField(
        _("only confirmed residents may offer, ask for and book rides"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residency check")
        verbose_name_plural = _("residency checks")

    def __str__(self) -> str:
        return self.get_method_display()


class ResidencyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the town hall")
    VERIFIED = "verified", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class ResidencyVerification(models.Model):
    """Whether a person's residency is confirmed, how, and (for requests) what they told the town hall."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="residency")
    status = models.CharField(_("status"), max_length=20, choices=ResidencyStatus.choices,
                              default=ResidencyStatus.PENDING)
    method = models.CharField(_("confirmed by"), max_length=20, choices=ResidencyMethod.choices)
    address = models.CharField(_("street and house number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("residency confirmation")
        verbose_name_plural = _("residency confirmations")
        indexes = [models.Index(fields=["status", "requested_at"], name="residency_status_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.status}"


def _letter_code() -> str:
    # 12 characters without look-alikes (0/O, 1/l/I): read off paper and typed by hand.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class ResidencyLetterCode(models.Model):
    """A one-time code printed on a letter of the town hall; entering it confirms the residency."""

    code = models.CharField(_("code"), max_length=12, unique=True, default=_letter_code)
    ortsgemeinde = models.ForeignKey(Ortsgemeinde, verbose_name=_("Ortsgemeinde"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    batch = models.PositiveIntegerField(_("print run"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("letter code")
        verbose_name_plural = _("letter codes")

    def __str__(self) -> str:
        return self.code
class DataExportStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")


class DataExport(models.Model):
    """A person's request for a copy of their data (GDPR Art. 15, 20) and the archive built for it.

    The archive lies in the town's private storage (core.storage.private_storage, never under
    /media/) under a random name; only its owner, signed in on this town's host, downloads it,
    and only until ``expires_at``. Then the file goes, and the row with it.
    """

    # No anonymous visitor's page shows these rows: saving one keeps the cached pages (core.page_cache).
    visitor_pages_unaffected = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.PENDING)
    file_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"data export {self.pk} of user {self.user_id} ({self.status})"
