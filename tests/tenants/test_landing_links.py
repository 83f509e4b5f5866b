from django.urls import reverse
from django_tenants.utils import schema_context


def test_the_landing_page_links_to_the_published_prices(public_client):
    page = public_client.get("/").content.decode()
    assert 'href="/preise/"' in page
    assert public_client.get("/preise/").status_code == 200


def test_town_admins_find_sponsorship_in_the_back_office_menu(admin_client_a, town_a):
    with schema_context(town_a.schema_name):
        url = reverse("billing:backoffice-settings")
    page = admin_client_a.get("/backoffice/").content.decode()
    assert f'href="{url}"' in page
    assert admin_client_a.get(url).status_code == 200
