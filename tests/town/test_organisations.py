"""Organisations: back-office CRUD, members, public directory and profile pages with JSON-LD."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from PIL import Image

from accounts.models import Role
from tests.accounts.factories import MembershipFactory, OrganisationFactory, OrtsgemeindeFactory, UserFactory
from tests.helpers import admin_of, logged_in_client
from tests.town.helpers import png_upload
from town.models import Invitation, Organisation, OrganisationMembership
from town.people_selectors import organisations_of, organisations_publishable_by
from town.people_services import user_can_publish_for


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#aa3300").save(buffer, format="PNG")
    return SimpleUploadedFile("wappen.png", buffer.getvalue(), content_type="image/png")


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


# --- back office -----------------------------------------------------------------


def test_admin_creates_edits_and_deletes_an_organisation(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        village = OrtsgemeindeFactory(name="Elkenroth")
    data = {
        "name": "Freiwillige Feuerwehr Elkenroth", "slug": "ff-elkenroth", "kind": "feuerwehr",
        "description": "Wir löschen, retten, bergen, schützen.", "website": "https://ff-elkenroth.example",
        "email": "info@ff-elkenroth.example", "phone": "02747 1234", "ortsgemeinde": village.pk, "logo": _png(),
    }
    created = admin_client_a.post("/backoffice/organisationen/new/", data)
    assert created.status_code == 302
    with schema_context(town_a.schema_name):
        brigade = Organisation.objects.get(slug="ff-elkenroth")
        assert brigade.ortsgemeinde == village and brigade.logo.name.startswith("organisations/")

    edited = admin_client_a.post("/backoffice/organisationen/ff-elkenroth/edit/", {**data, "logo": "",
                                                                                "name": "FF Elkenroth"})
    assert edited.status_code == 302
    with schema_context(town_a.schema_name):
        brigade.refresh_from_db()
        assert brigade.name == "FF Elkenroth" and brigade.logo  # logo kept when no new file comes

    assert admin_client_a.get("/backoffice/organisationen/ff-elkenroth/delete/").status_code == 200
    assert admin_client_a.post("/backoffice/organisationen/ff-elkenroth/delete/").status_code == 302
    with schema_context(town_a.schema_name):
        assert not Organisation.objects.filter(slug="ff-elkenroth").exists()


@pytest.mark.parametrize("bad", [
    {"slug": "Mit Leerzeichen"},
    {"name": ""},
    {"kind": "sekte"},
    {"website": "javascript:alert(1)"},
    {"email": "nicht-gueltig"},
])
def test_bad_organisation_input_changes_nothing(town_a, admin_client_a, bad):
    data = {"name": "Musikverein", "slug": "musikverein", "kind": "verein", **bad}
    response = admin_client_a.post("/backoffice/organisationen/new/", data)
    assert response.status_code == 200 and response.context["form"].errors
    with schema_context(town_a.schema_name):
        assert not Organisation.objects.exists()


def test_duplicate_slug_is_refused(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="musikverein")
    response = admin_client_a.post("/backoffice/organisationen/new/",
                                   {"name": "Noch ein Musikverein", "slug": "musikverein", "kind": "verein"})
    assert response.status_code == 200 and response.context["form"].errors["slug"]
    with schema_context(town_a.schema_name):
        assert Organisation.objects.count() == 1


def test_oversized_logo_is_refused(town_a, admin_client_a, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    response = admin_client_a.post("/backoffice/organisationen/new/",
                                   {"name": "Musikverein", "slug": "musikverein", "kind": "verein", "logo": _png()})
    assert response.status_code == 200 and response.context["form"].errors["logo"]


def test_an_organisation_logo_is_published_without_its_gps_position_or_file_name(town_a, admin_client_a, client_a):
    # given: a photo from a phone, with where it was taken and whose it is
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (50.0, 46.0, 0.0), 3: "E", 4: (7.0, 52.0, 0.0)}  # GPSInfo
    photo = png_upload(name="vorstand-max-mustermann.jpg", size=(1800, 1200), fmt="JPEG", exif=exif.tobytes())
    assert Image.open(photo).getexif().get_ifd(0x8825)
    photo.seek(0)

    # when
    response = admin_client_a.post("/backoffice/organisationen/new/", {
        "name": "Musikverein", "slug": "musikverein", "kind": "verein", "logo": photo,
    })

    # then: the public profile shows a re-encoded copy under a random name
    assert response.status_code == 302
    page = client_a.get("/organisationen/musikverein/").content.decode()
    url = re.search(r'<img src="([^"]+)" alt="[^"]*Musikverein"', page).group(1)
    assert "mustermann" not in url and "/organisations/" in url
    image = Image.open(io.BytesIO(b"".join(client_a.get(url).streaming_content)))
    assert not image.getexif() and "exif" not in image.info
    assert max(image.size) <= 1024


def test_an_organisation_logo_that_is_no_image_is_refused(town_a, admin_client_a):
    fake = SimpleUploadedFile("logo.gif", b"GIF89a<script>alert(1)</script>", content_type="image/gif")

    response = admin_client_a.post("/backoffice/organisationen/new/",
                                   {"name": "Musikverein", "slug": "musikverein", "kind": "verein", "logo": fake})

    assert response.status_code == 200 and response.context["form"].errors["logo"]
    with schema_context(town_a.schema_name):
        assert not Organisation.objects.filter(slug="musikverein").exists()


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR])
def test_only_admins_create_or_edit_organisations(town_a, role):
    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="musikverein")
        client = logged_in_client(town_a, UserFactory(role=role))
    assert client.get("/backoffice/organisationen/").status_code == 403
    assert client.get("/backoffice/organisationen/new/").status_code == 403
    assert client.post("/backoffice/organisationen/musikverein/edit/", {"name": "x"}).status_code == 403
    assert client.post("/backoffice/organisationen/musikverein/delete/").status_code == 403
    assert client.get("/backoffice/organisationen/musikverein/members/").status_code == 403
    with schema_context(town_a.schema_name):
        assert Organisation.objects.filter(slug="musikverein").exists()


def test_organisation_of_a_is_404_for_the_admin_of_b(town_a, town_b, admin_client_b):
    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="nur-in-altdorf")
    for path in ("/organisationen/nur-in-altdorf/", "/backoffice/organisationen/nur-in-altdorf/edit/",
                 "/backoffice/organisationen/nur-in-altdorf/members/"):
        assert admin_client_b.get(path).status_code == 404, path
    assert admin_client_b.post("/backoffice/organisationen/nur-in-altdorf/delete/").status_code == 404


# --- members ----------------------------------------------------------------------


def test_manager_adds_and_removes_editors_of_their_own_organisation(town_a, mailoutbox):
    # given Maria manages the music club, and Eddi has an account
    with schema_context(town_a.schema_name):
        club = OrganisationFactory(slug="musikverein")
        other = OrganisationFactory(slug="sportverein")
        maria = MembershipFactory(organisation=club, role="manager").user
        eddi = UserFactory(email="eddi@example.org")
    client = logged_in_client(town_a, maria)
    assert client.get("/backoffice/organisationen/").status_code == 200  # she sees her club

    # when she adds Eddi, and somebody without an account
    assert client.post("/backoffice/organisationen/musikverein/members/",
                       {"email": "EDDI@example.org", "role": "editor"}).status_code == 302
    assert client.post("/backoffice/organisationen/musikverein/members/",
                       {"email": "neu@example.org", "role": "editor"}).status_code == 302

    # then Eddi is an editor, and the newcomer got an invitation for the club
    with schema_context(town_a.schema_name):
        membership = OrganisationMembership.objects.get(user=eddi, organisation=club)
        assert membership.role == "editor"
        assert Invitation.objects.get(email="neu@example.org").organisation == club
    assert mailoutbox[-1].to == ["neu@example.org"]

    # and she can remove him again, but not touch another club or appoint managers
    assert client.post(f"/backoffice/organisationen/musikverein/members/{membership.pk}/remove/").status_code == 302
    assert client.get("/backoffice/organisationen/sportverein/members/").status_code == 403
    refused = client.post("/backoffice/organisationen/musikverein/members/", {"email": eddi.email, "role": "manager"})
    assert refused.status_code == 200 and refused.context["form"].errors
    with schema_context(town_a.schema_name):
        assert not OrganisationMembership.objects.filter(user=eddi).exists()
        assert not OrganisationMembership.objects.filter(organisation=other).exists()


def test_editor_cannot_manage_members(town_a):
    with schema_context(town_a.schema_name):
        membership = MembershipFactory(organisation__slug="musikverein", role="editor")
        colleague = MembershipFactory(organisation=membership.organisation, role="editor")
    client = logged_in_client(town_a, membership.user)
    assert client.get("/backoffice/organisationen/musikverein/members/").status_code == 403
    remove = f"/backoffice/organisationen/musikverein/members/{colleague.pk}/remove/"
    assert client.post(remove).status_code == 403
    with schema_context(town_a.schema_name):
        assert OrganisationMembership.objects.filter(pk=colleague.pk).exists()


def test_admin_appoints_a_manager(town_a, admin_client_a):
    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="musikverein")
        maria = UserFactory(email="maria@example.org")
    admin_client_a.post("/backoffice/organisationen/musikverein/members/", {"email": maria.email, "role": "manager"})
    with schema_context(town_a.schema_name):
        assert OrganisationMembership.objects.get(user=maria).role == "manager"


# --- publishing rights -----------------------------------------------------------------


def test_editor_may_publish_only_for_their_organisation(in_town_a):
    club, other = OrganisationFactory(), OrganisationFactory()
    editor = MembershipFactory(organisation=club).user
    assert user_can_publish_for(editor, club)
    assert not user_can_publish_for(editor, other)
    assert not user_can_publish_for(editor, None)  # official town news is for admins
    assert list(organisations_of(editor)) == [club]
    assert list(organisations_publishable_by(editor)) == [club]


def test_admin_may_publish_for_the_town_and_every_organisation(in_town_a):
    club = OrganisationFactory()
    admin = admin_of(in_town_a)
    assert user_can_publish_for(admin, None) and user_can_publish_for(admin, club)
    assert club in organisations_publishable_by(admin)
    assert list(organisations_of(admin)) == []


def test_residents_moderators_and_deactivated_editors_may_not_publish(in_town_a):
    club = OrganisationFactory()
    assert not user_can_publish_for(UserFactory(), club)
    assert not user_can_publish_for(UserFactory(role=Role.MODERATOR), club)
    gone = MembershipFactory(organisation=club, user__is_active=False).user
    assert not user_can_publish_for(gone, club)
    assert list(organisations_of(gone)) == []
    from django.contrib.auth.models import AnonymousUser

    assert not user_can_publish_for(AnonymousUser(), club)


def test_membership_in_a_does_not_grant_rights_in_b(town_a, town_b):
    # given the same pk for user and organisation in both towns, membership only in A
    with schema_context(town_a.schema_name):
        club_a = OrganisationFactory(slug="musikverein")
        editor_a = MembershipFactory(organisation=club_a).user
    with schema_context(town_b.schema_name):
        club_b = OrganisationFactory(id=club_a.pk, slug="musikverein")
        editor_b = UserFactory(id=editor_a.pk, email=editor_a.email)
        assert not user_can_publish_for(editor_b, club_b)


# --- public pages -------------------------------------------------------------------------


def test_public_directory_lists_and_filters_organisations(town_a, client_a):
    with schema_context(town_a.schema_name):
        OrganisationFactory(name="Musikverein Harmonie", kind="verein")
        OrganisationFactory(name="Freiwillige Feuerwehr", kind="feuerwehr")
        OrganisationFactory(name="Noch nicht freigegeben", is_approved=False)
    html = client_a.get("/organisationen/").content.decode()
    assert "Musikverein Harmonie" in html and "Freiwillige Feuerwehr" in html
    assert "Noch nicht freigegeben" not in html
    filtered = client_a.get("/organisationen/", {"art": "feuerwehr"}).content.decode()
    assert "Freiwillige Feuerwehr" in filtered and "Musikverein Harmonie" not in filtered
    assert client_a.get("/organisationen/", {"art": "<script>"}).status_code == 200


def test_profile_page_has_schema_org_organization(town_a, client_a):
    with schema_context(town_a.schema_name):
        OrganisationFactory(
            name='Kirchengemeinde "St. Peter" </script><b>', slug="st-peter", kind="kirche",
            website="https://st-peter.example", email="pfarrbuero@st-peter.example", phone="02741 5555",
            description="Gottesdienste jeden Sonntag.", ortsgemeinde=OrtsgemeindeFactory(name="Gebhardshain"),
        )
    response = client_a.get("/organisationen/st-peter/")
    html = response.content.decode()
    assert response.status_code == 200
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == 'Kirchengemeinde "St. Peter" </script><b>'
    assert data["url"] == "http://altdorf.localhost/organisationen/st-peter/"
    assert data["sameAs"] == ["https://st-peter.example"]
    assert data["telephone"] == "02741 5555" and data["email"] == "pfarrbuero@st-peter.example"
    assert data["address"]["addressLocality"] == "Gebhardshain"
    assert "<b>" not in html  # name is escaped in HTML and in the JSON-LD block


def test_profile_page_lists_the_organisations_news(town_a, client_a):
    from django.core.exceptions import PermissionDenied

    from modules.news.services import article_create, article_publish

    # given an editor of the music club publishes news for it, and cannot for another club
    with schema_context(town_a.schema_name):
        club, other = OrganisationFactory(slug="musikverein"), OrganisationFactory(slug="sportverein")
        editor = MembershipFactory(organisation=club).user
        article = article_create(acting_user=editor, title="Sommerkonzert am Dorfplatz", organisation=club,
                                 body="<p>Alle sind eingeladen.</p>")
        article_publish(article=article, acting_user=editor)
        with pytest.raises(PermissionDenied):
            article_create(acting_user=editor, title="Fremd", organisation=other)
        with pytest.raises(PermissionDenied):
            article_create(acting_user=editor, title="Amtlich", organisation=None)

    # then the club's profile page shows it, the other club's does not
    page = client_a.get("/organisationen/musikverein/")
    assert page.context["news_enabled"] is True
    assert [item.title for item in page.context["news"]] == ["Sommerkonzert am Dorfplatz"]
    assert "Sommerkonzert am Dorfplatz" in page.content.decode()
    assert client_a.get("/organisationen/sportverein/").context["news"] == []


def test_unknown_or_unapproved_profiles_are_404(town_a, client_a):
    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="geheim", is_approved=False)
    assert client_a.get("/organisationen/gibt-es-nicht/").status_code == 404
    assert client_a.get("/organisationen/geheim/").status_code == 404


def test_profile_page_has_no_news_section_when_news_is_off(town_a, client_a):
    from tenants.services import tenant_module_disable

    with schema_context(town_a.schema_name):
        OrganisationFactory(slug="musikverein")
    tenant_module_disable(tenant=town_a, key="news")
    page = client_a.get("/organisationen/musikverein/")
    assert page.status_code == 200
    # The news module's section (an OrganisationSection capability) isn't asked at all while news is off.
    assert "news_enabled" not in page.context and "news" not in page.context
    assert 'id="news-heading"' not in page.content.decode()


def test_account_page_lists_memberships_and_links_managers_to_member_management(town_a):
    with schema_context(town_a.schema_name):
        club = OrganisationFactory(name="Musikverein Harmonie", slug="musikverein")
        maria = MembershipFactory(organisation=club, role="manager").user
        eddi = MembershipFactory(organisation=club, role="editor").user
    manager_page = logged_in_client(town_a, maria).get("/konto/").content.decode()
    editor_page = logged_in_client(town_a, eddi).get("/konto/").content.decode()
    members_url = "/backoffice/organisationen/musikverein/members/"
    assert "Musikverein Harmonie" in manager_page and members_url in manager_page
    assert "Musikverein Harmonie" in editor_page and members_url not in editor_page


def test_members_of_an_organisation_awaiting_approval_may_not_publish_for_it(in_town_a):
    # A business that signed up is unapproved until the town says yes: no news in its name before that.
    pending = OrganisationFactory(is_approved=False)
    editor = MembershipFactory(organisation=pending).user
    assert not user_can_publish_for(editor, pending)
    assert pending not in organisations_publishable_by(editor)
    pending.is_approved = True
    pending.save()
    assert user_can_publish_for(editor, pending)
    assert pending in organisations_publishable_by(editor)
