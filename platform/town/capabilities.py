"""Capabilities the town app consumes: what modules add to its pages.

    from town.capabilities import OrganisationSection

    provides=(OrganisationSection(render="modules.news.views.organisation_news_section"),)
"""

from __future__ import annotations

from dataclasses import dataclass

from core.capabilities import Fragment


@dataclass(frozen=True)
class OrganisationSection(Fragment):
    """A section of a club's or institution's public page (its latest news, its next events ...).

    ``render(request, organisation)`` returns HTML or "" (nothing to show); a fixed number of queries.
    """


@dataclass(frozen=True)
class CockpitSection(Fragment):
    """A section of the town admin's adoption cockpit (what the Digitallotsen did, ...): counts only, never names.

    ``render(request)`` returns HTML or "" (nothing to show); a fixed number of queries.
    """
