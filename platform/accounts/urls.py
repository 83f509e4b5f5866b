from django.urls import path

from accounts import bounce_views

app_name = "accounts"
urlpatterns = [
    # The mail relay's bounce webhook (shared secret; docs/operations.md "Bounces").
    path("mail/bounces/", bounce_views.bounce_webhook, name="mail-bounces"),
    path("konto/adresse-pruefen/", bounce_views.address_check, name="address-check"),
    path("konto/adresse-pruefen/<str:token>/", bounce_views.address_check_confirm, name="address-check-confirm"),
]
