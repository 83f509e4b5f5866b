from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.page_cache import CachedFor
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.bulletin.capabilities import BulletinSource
from modules.display.capabilities import ScreenContent
from modules.notifications.capabilities import AnnouncedContent, NotificationTopic
from town.capabilities import OrganisationSection, OrganisationWeekPosts


def _sample_article() -> dict[str, Any]:
    """One published article in the current town, for the isolation suite."""
    from accounts.models import Role, User
    from modules.news.services import article_create, article_publish

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    article = article_create(
        acting_user=admin,
        title="Sitzung des Gemeinderats",
        teaser="Die nächste Sitzung findet im Bürgerhaus statt.",
        body="<p>Tagesordnung folgt.</p>",
    )
    article_publish(article=article, acting_user=admin)
    return {"slug": article.slug}


def _sample_category() -> dict[str, Any]:
    from modules.news.models import Category

    category = Category.objects.create(name="Isolationsthema", slug="isolationsthema")
    return {"pk": category.pk}


def _sample_ortsgemeinde_feed() -> dict[str, Any]:
    # The per-village feeds take an Ortsgemeinde slug; a village that exists only in this town.
    from town.models import Ortsgemeinde

    place = Ortsgemeinde.objects.create(name="Feeddorf", slug="feeddorf")
    return {"ortsgemeinde": place.slug}


class NewsConfig(FeatureModule):
    name = "modules.news"
    label = "news"
    verbose_name = _("News")

    spec = ModuleSpec(
        key="news",
        name=_("News"),
        description=_(
            "Official news of the town and news of clubs, fire brigades, parishes and schools, "
            "for the whole town or single Ortsgemeinden, with RSS and Atom feeds."
        ),
        nav=(
            NavItem(_("News"), "news:article-list", order=10),
            NavItem(_("News articles"), "news:article-manage", permission="editor", order=10, backoffice=True),
            NavItem(_("News categories"), "news:category-manage", permission="town_admin", order=11, backoffice=True),
        ),
        enabled_by_default=True,
        has_api=True,
        pillar="Kommunikation",
        provides=(
            HomeWidget(render="modules.news.views.home_widget", order=10, cache=CachedFor(vary="place")),
            # Scheduled articles whose time has come are published within a minute.
            PeriodicTask(task="news.publish_due", every_seconds=60),
            NotificationTopic("news.official", _("Official news"),
                              _("News from the town hall for the whole town and for your Ortsgemeinde."),
                              # What a resident registers for: on until they say otherwise.
                              default_on=True, order=10),
            NotificationTopic("news.organisations", _("News from clubs and organisations"),
                              _("News that clubs, the fire brigade, parishes and schools publish for your "
                                "Ortsgemeinde."),
                              # On: clubs publish for their own Ortsgemeinde, a few posts a month, and
                              # village life is what residents join for; town-wide club news is rare.
                              default_on=True, order=11),
            # Published articles reach the subscribers of one of the two topics above.
            AnnouncedContent(kind="news.article", announcement="modules.news.facade.article_announcement"),
            OrganisationSection(render="modules.news.views.organisation_news_section", order=10),
            SampleObject(create=_sample_article),
            SampleObject(create=_sample_category, url_names=("news:category-rename", "news:category-delete")),
            SampleObject(create=_sample_ortsgemeinde_feed),
            PersonalData(key="news", export="modules.news.personal_data.export",
                         erase="modules.news.personal_data.erase",
                         stores=_("Who wrote a news article (the article is published in the name of the town or "
                                  "club)."),
                         purpose=_("Publish the town's and organisations' news"),
                         categories=(_("Name and e-mail address"),),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("As long as the town publishes it; without the link to the person once "
                                     "their account is deleted")),
            SearchProvider(search="modules.news.search.search", label=_("News"),
                           more_url_name="news:article-list", order=10),
            ScreenContent(items="modules.news.facade.screen_items", order=50),
            OrganisationWeekPosts(items="modules.news.facade.week_posts", order=10),
            # The Mitteilungsblatt prints the period's official and organisations' news.
            BulletinSource(key="news", label=_("News"), items="modules.news.facade.bulletin_items", order=10),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.news.services import categories_seed

        categories_seed()
