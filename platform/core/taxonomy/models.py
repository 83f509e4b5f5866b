"""The abstract term every module's categories or topics are made of (see core.taxonomy)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, e.g. #1f6f43."))
icon_validator = RegexValidator(r"^[a-z0-9-]+$", _("Use lower-case letters, digits and hyphens only."))


class Term(models.Model):
    """A category or topic of one module. Subclass it; write it only through core.taxonomy.services."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, unique=True)
    # Stays when the term is renamed: saved links, feeds and API filters keep working.
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    # Optional decoration for lists and maps; templates must not depend on it.
    colour = models.CharField(_("colour"), max_length=7, blank=True, validators=[colour_validator])
    icon = models.CharField(_("icon"), max_length=40, blank=True, validators=[icon_validator])

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
