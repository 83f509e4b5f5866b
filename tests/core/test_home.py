from tests.helpers import TownClient


def test_each_town_shows_its_own_name_on_its_start_page(client_a, client_b):
    page_a = client_a.get("/").content.decode()
    page_b = client_b.get("/").content.decode()
    assert "Verbandsgemeinde Altdorf" in page_a and "Stadt Bergdorf" not in page_a
    assert "Stadt Bergdorf" in page_b and "Verbandsgemeinde Altdorf" not in page_b


def test_unknown_subdomain_is_404_and_names_no_town(db):
    response = TownClient("nirgendwo.localhost").get("/")
    assert response.status_code == 404
    assert b"Altdorf" not in response.content


def test_public_site_answers_on_the_base_domain(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    assert "Dorfkern" in response.content.decode()
