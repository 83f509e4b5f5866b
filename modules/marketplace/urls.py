from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.marketplace import views
from modules.marketplace.services import CATEGORIES

app_name = "marketplace"
urlpatterns = [
    path("", views.listing_list, name="listing-list"),
    # The detail page first among the routes with parameters (the isolation suite looks for it there).
    path("<int:pk>/", views.listing_detail, name="listing-detail"),
    path("<int:pk>/contact/", views.listing_contact, name="listing-contact"),
    path("<int:pk>/edit/", views.listing_edit, name="listing-edit"),
    path("<int:pk>/status/", views.listing_status, name="listing-status"),
    path("<int:pk>/renew/", views.listing_renew, name="listing-renew"),
    path("<int:pk>/delete/", views.listing_delete, name="listing-delete"),
    path("<int:pk>/remove/", views.listing_remove, name="listing-remove"),
    path("new/", views.listing_create, name="listing-create"),
    path("mine/", views.my_listings, name="my-listings"),
    path("searches/new/", views.saved_search_create, name="saved-search-create"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="saved-search-delete"),
    # Secret links from e-mails; a token exists only in the town that sent it (ISOLATION T4).
    path("reply/<str:token>/", views.contact_reply, name="contact-reply"),
    path("unsubscribe/<str:token>/", views.saved_search_unsubscribe, name="saved-search-unsubscribe"),
    *taxonomy_urls(CATEGORIES),
]
