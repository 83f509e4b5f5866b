from django.urls import reverse
from django_tenants.utils import schema_context


def test_the_account_page_leads_to_the_api_tokens(admin_client_a, town_a):
    page = admin_client_a.get("/konto/").content.decode()
    with schema_context(town_a.schema_name):
        tokens_url = reverse("api:token-list")
    assert f'href="{tokens_url}"' in page
    assert admin_client_a.get(tokens_url).status_code == 200
