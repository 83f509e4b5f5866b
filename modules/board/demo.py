"""Demo content for the Pinnwand: a handful of posts by the demo town's residents (idempotent).

Stored directly, not through the services: the demo should not notify everyone
or count against the new-account limits each time it is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

# (author's e-mail local part, topic, for their Ortsgemeinde only?, hours ago, text)
POSTS = [
    ("maria.weber", "Hilfe", True, 5,
     "Wer kann mir am Samstagvormittag helfen, eine Waschmaschine in den Keller zu tragen? "
     "Kaffee und Kuchen gibt es danach bei mir in der Hauptstraße."),
    ("thomas.mueller", "Fundsachen", False, 20,
     "Schlüsselbund mit rotem Anhänger am Bahnhof Betzdorf gefunden (Bahnsteig 2).\n"
     "Ich habe ihn im Bürgerbüro abgegeben."),
    ("hannah.klein", "Plausch", True, 30,
     "Die Kinder aus Elkenroth haben Kürbisse geschnitzt – sie stehen bis Sonntag vor dem Dorfgemeinschaftshaus. "
     "Schauen Sie vorbei!"),
    ("peter.schneider", "Hinweise", False, 48,
     "Am Wanderparkplatz oberhalb von Steinebach liegt ein umgestürzter Baum quer über dem Weg. "
     "Der Bauhof weiß Bescheid; bis dahin bitte den Umweg über den Sportplatz nehmen."),
    ("maria.weber", "Plausch", False, 72,
     "Das Tauschregal im Dorfgemeinschaftshaus Gebhardshain ist wieder gut gefüllt: Bücher, Spiele und "
     "Kinderkleidung. Bringen Sie mit, was Sie nicht mehr brauchen, und nehmen Sie mit, was Ihnen gefällt."),
]
# On the found keys: two comments and a few reactions.
COMMENTS = [("hannah.klein", "Das sind bestimmt die von meinem Nachbarn, ich sage ihm Bescheid. Danke!"),
            ("thomas.mueller", "Gern geschehen!")]
REACTIONS = [("hannah.klein", "thanks"), ("maria.weber", "thanks"), ("peter.schneider", "like")]


@transaction.atomic
def load() -> int:
    """Add the demo posts that aren't there yet; returns how many objects were created."""
    from accounts.models import User
    from demo.data import email_of
    from modules.board.conf import expiry_days
    from modules.board.models import Comment, Post, Reaction, Topic
    from modules.board.services import topics_seed
    from town.selectors import user_ortsgemeinde_id

    topics_seed()
    people = {user.email: user for user in User.objects.filter(email__endswith=email_of(""))}
    topics = {topic.name: topic for topic in Topic.objects.all()}
    now = timezone.now()
    created = 0
    posts = []
    for local, topic_name, village_only, hours_ago, text in POSTS:
        author = people.get(email_of(local))
        topic = topics.get(topic_name)
        if author is None or topic is None:
            continue
        post = Post.objects.filter(author=author, text=text).first()
        if post is None:
            post = Post.objects.create(
                author=author, topic=topic, text=text,
                ortsgemeinde_id=user_ortsgemeinde_id(author) if village_only else None,
                expires_at=now - timedelta(hours=hours_ago) + timedelta(days=expiry_days()),
            )
            Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(hours=hours_ago))
            created += 1
        posts.append(post)
    found = next((post for post in posts if post.topic.name == "Fundsachen"), None)
    if found is None:
        return created
    for local, text in COMMENTS:
        author = people.get(email_of(local))
        if author is not None and not Comment.objects.filter(post=found, author=author, text=text).exists():
            Comment.objects.create(post=found, author=author, text=text)
            created += 1
    for local, kind in REACTIONS:
        user = people.get(email_of(local))
        if user is not None:
            _reaction, made = Reaction.objects.get_or_create(post=found, user=user, kind=kind)
            created += int(made)
    return created
