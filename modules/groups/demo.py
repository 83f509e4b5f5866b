"""Demo groups for the demo town: a public running group, the fire brigade's group and a closed neighbourhood.

Stored directly, not through the services: the demo should not notify anyone or
count against the new-account limits each time it is loaded. Idempotent: what
exists (by group address, by post text) is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

# slug: (name, visibility, Ortsgemeinde slug, organisation slug, description, admin, members (e-mail local parts))
GROUPS = {
    "lauftreff-gebhardshain": (
        "Lauftreff Gebhardshain", "public", "gebhardshain", "",
        "Wir laufen montags und donnerstags um 18 Uhr ab dem Sportplatz, in zwei Tempogruppen. "
        "Anfängerinnen und Anfänger sind herzlich willkommen. (Demo)",
        "tus", ("maria.weber", "hannah.klein"),
    ),
    "feuerwehr-betzdorf-helferkreis": (
        "Helferkreis der Feuerwehr Betzdorf", "public", "betzdorf", "feuerwehr-betzdorf",
        "Für alle, die die Freiwillige Feuerwehr Betzdorf bei Festen, der Christbaumsammlung und der "
        "Jugendarbeit unterstützen möchten. (Demo)",
        "feuerwehr", ("thomas.mueller",),
    ),
    "nachbarschaft-hauptstrasse-elkenroth": (
        "Nachbarschaft Hauptstraße Elkenroth", "closed", "elkenroth", "",
        "Die Nachbarschaft der Hauptstraße: Absprachen zu Mülltonnen, Winterdienst und dem Straßenfest. "
        "Nur für Anwohnerinnen und Anwohner. (Demo)",
        "hannah.klein", ("gemeindeleben", "peter.schneider"),
    ),
}
# (group slug, author, hours ago, text)
POSTS = [
    ("lauftreff-gebhardshain", "tus", 3,
     "Heute laufen wir die Runde über den Gebhardshainer Höhenweg, etwa 8 km. Stirnlampe nicht vergessen!"),
    ("lauftreff-gebhardshain", "maria.weber", 26,
     "Hat jemand Lust, am Sonntag beim Volkslauf in Elkenroth mitzumachen? Ich würde die Anmeldung sammeln."),
    ("feuerwehr-betzdorf-helferkreis", "feuerwehr", 10,
     "Für die Christbaumsammlung am 10. Januar suchen wir noch zwei Fahrerinnen oder Fahrer mit Anhänger."),
    ("nachbarschaft-hauptstrasse-elkenroth", "hannah.klein", 6,
     "Erinnerung: Die gelben Säcke werden diese Woche schon am Mittwoch abgeholt."),
    ("nachbarschaft-hauptstrasse-elkenroth", "peter.schneider", 50,
     "Ich habe einen Schneeschieber übrig. Wer ihn braucht, kann ihn bei mir abholen."),
]
# On the newest post of the group.
COMMENTS = [("lauftreff-gebhardshain", "hannah.klein", "Ich bin dabei! Treffen wir uns am Parkplatz?")]
# Somebody waiting for the neighbourhood's decision.
REQUESTS = [("nachbarschaft-hauptstrasse-elkenroth", "maria.weber",
             "Ich ziehe im Januar in die Hauptstraße 12 und würde gern dazugehören.")]


@transaction.atomic
def load() -> int:
    """Add the demo groups, posts and requests that aren't there yet; returns how many objects were created."""
    from accounts.models import User
    from demo.data import email_of
    from modules.groups.models import Comment, Group, JoinRequest, MemberRole, Membership, Post, RequestStatus
    from town.models import Organisation, Ortsgemeinde

    people = {user.email: user for user in User.objects.filter(email__endswith=email_of(""))}
    places = {place.slug: place for place in Ortsgemeinde.objects.all()}
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    created = 0
    groups: dict[str, Group] = {}
    for slug, (name, visibility, place, organisation, description, admin, members) in GROUPS.items():
        admin_user = people.get(email_of(admin))
        if admin_user is None:
            continue
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            group = Group.objects.create(
                slug=slug, name=name, visibility=visibility, description=description, created_by=admin_user,
                ortsgemeinde=places.get(place), organisation=organisations.get(organisation) if organisation else None,
            )
            created += 1
        groups[slug] = group
        for local, role in ((admin, MemberRole.ADMIN), *((m, MemberRole.MEMBER) for m in members)):
            user = people.get(email_of(local))
            if user is not None:
                _membership, made = Membership.objects.get_or_create(group=group, user=user,
                                                                     defaults={"role": role})
                created += made
    now = timezone.now()
    posts: list[Post] = []
    for slug, local, hours_ago, text in POSTS:
        author, group = people.get(email_of(local)), groups.get(slug)
        if author is None or group is None:
            continue
        post = Post.objects.filter(group=group, author=author, text=text).first()
        if post is None:
            post = Post.objects.create(group=group, author=author, text=text)
            # Spread over the last days, so the feed looks lived in.
            Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(hours=hours_ago))
            created += 1
        posts.append(post)
    for slug, local, text in COMMENTS:
        author = people.get(email_of(local))
        post = next((p for p in posts if p.group.slug == slug), None)
        if author is not None and post is not None:
            _comment, made = Comment.objects.get_or_create(post=post, author=author, text=text)
            created += made
    for slug, local, message in REQUESTS:
        user, group = people.get(email_of(local)), groups.get(slug)
        if user is None or group is None or Membership.objects.filter(group=group, user=user).exists():
            continue
        _request, made = JoinRequest.objects.get_or_create(group=group, user=user, status=RequestStatus.PENDING,
                                                           defaults={"message": message})
        created += made
    return created
