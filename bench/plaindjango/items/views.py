from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plaindjango.items.models import Item


def item_list(request: HttpRequest) -> HttpResponse:
    """The newest 20 items, as a plain Django list view would render them."""
    return render(request, "items/list.html", {"items": Item.objects.all()[:20]})
