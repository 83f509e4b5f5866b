"""Contact person on every page; Impressum and privacy policy as published pages."""

from __future__ import annotations

from tests.town.helpers import profile_of

CONTACT = {
    "contact_name": "Petra Lotsin",
    "contact_role": "Digitallotsin der VG",
    "contact_email": "petra.lotsin@altdorf.example",
    "contact_phone": "02741 / 123-45",
    "contact_hours": "Di und Do 9–12 Uhr, Rathaus Zimmer 104",
}


def test_the_contact_person_is_shown_on_every_page(admin_client_a, client_a, client_b):
    # when
    response = admin_client_a.post("/backoffice/contact/", CONTACT)

    # then
    assert response.status_code == 302
    for path in ("/", "/impressum/", "/datenschutz/", "/accounts/login/"):
        page = client_a.get(path).content.decode()
        # the start page shows the person in a box of its own instead of the footer
        heading = "home-contact-heading" if path == "/" else "contact-heading"
        assert f'aria-labelledby="{heading}"' in page and page.count("Petra Lotsin") == 1, path
        assert "Petra Lotsin" in page and "Digitallotsin der VG" in page
        assert 'href="tel:0274112345"' in page
        assert 'href="mailto:petra.lotsin@altdorf.example"' in page
        assert "Rathaus Zimmer 104" in page
    assert "Petra Lotsin" not in client_b.get("/").content.decode()


def test_contact_details_without_a_name_and_a_bad_email_are_refused(admin_client_a, town_a):
    before = profile_of(town_a)

    no_name = admin_client_a.post("/backoffice/contact/", {**CONTACT, "contact_name": ""})
    bad_mail = admin_client_a.post("/backoffice/contact/", {**CONTACT, "contact_email": "petra@"})

    assert no_name.status_code == 400 and bad_mail.status_code == 400
    after = profile_of(town_a)
    assert (after.contact_name, after.contact_email) == (before.contact_name, before.contact_email)


def test_legal_texts_are_published_as_escaped_paragraphs_with_links(admin_client_a, client_a):
    impressum = "Verbandsgemeinde Altdorf\nRathausstraße 1\n\nKontakt: info@altdorf.example\n<script>alert(1)</script>"

    response = admin_client_a.post("/backoffice/legal/", {
        "impressum": impressum, "privacy_policy": "Wir speichern nur, was nötig ist.\n\nhttps://altdorf.example/dsb",
    })

    assert response.status_code == 302
    page = client_a.get("/impressum/").content.decode()
    assert "Rathausstraße 1" in page and "<br>" in page
    assert 'href="mailto:info@altdorf.example"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    privacy = client_a.get("/datenschutz/").content.decode()
    assert "Wir speichern nur, was nötig ist." in privacy and 'href="https://altdorf.example/dsb"' in privacy


def test_empty_legal_pages_say_so_and_still_answer(client_b):
    for path in ("/impressum/", "/datenschutz/"):
        response = client_b.get(path)
        assert response.status_code == 200
        assert "<h1>" in response.content.decode()
