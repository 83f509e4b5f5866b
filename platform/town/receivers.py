"""Drop the cached town profile when it changes, so branding shows on the next request."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from town.models import OfficeHour, Ortsgemeinde, TownProfile
from town.selectors import forget_town_profile


@receiver([post_save, post_delete], sender=TownProfile)
@receiver([post_save, post_delete], sender=Ortsgemeinde)
@receiver([post_save, post_delete], sender=OfficeHour)
def town_profile_changed(sender, **kwargs) -> None:
    forget_town_profile()
