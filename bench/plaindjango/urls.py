from django.urls import path

from plaindjango.items.views import item_list

urlpatterns = [path("", item_list, name="item-list")]
