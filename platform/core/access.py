"""Who may see what: module switches and roles, applied to views and URL patterns."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver

from core.modules import enabled_module_keys
from core.page_cache import PLACE_MEMO
from core.tenancy import Town, connection

# A view function; the decorators below return it with its signature intact.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def tenant_has_module(key: str, *, tenant: Town | None = None, fresh: bool = False) -> bool:
    if tenant is not None and getattr(tenant, "pk", None) is not None:
        return key in tenant.enabled_module_keys(fresh=fresh)
    # The current town's switches, also under schema_context() (core.modules resolves that case).
    return key in enabled_module_keys(fresh=fresh)


def module_required(key: str) -> Callable[[View], View]:
    """404 unless module `key` is enabled for the request's town (ISOLATION T13)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            tenant = getattr(request, "tenant", None)
            if tenant is None or key not in tenant.enabled_module_keys():
                raise Http404("module not enabled")
            return view(request, *args, **kwargs)

        wrapped.module_key = key  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorator


def module_urls(key: str, patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Wrap every view of a module's urlpatterns, like pretix's plugin_event_urls."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            module_urls(key, entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback = module_required(key)(entry.callback)
    return patterns


# Where _is_editor keeps its answer on the user object (core.resident_pages lets shared pages read it).
EDITOR_MEMO = "_dorfkern_is_editor"


def _is_editor(user: Any) -> bool:
    # Asked several times per request (nav, menus, the view itself): look it up once per user object.
    cached = getattr(user, EDITOR_MEMO, None)
    if cached is None:
        # One query for both ways of being an editor: a Verein's member or an Ortsgemeinde's editor.
        # Written out: every signed-in page asks (the header's back-office link), and building the
        # same statement with Exists()/OuterRef cost more CPU than running it.
        cached = user.is_town_admin or _first_row(user, _editor_sql(user))[0]
        setattr(user, EDITOR_MEMO, cached)
    return bool(cached)


def _editor_sql(user: Any) -> str:
    """True if `user` (every %s) is a Verein's member or an Ortsgemeinde's editor: one expression."""
    quote = connection.ops.quote_name
    return "(" + " OR ".join(
        f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.get_field('user').column)} = %s)"
        for model in (user.memberships.model, user.village_roles.model)
    ) + ")"


def _first_row(user: Any, *expressions: str) -> tuple[Any, ...]:
    """SELECT the `expressions` (each %s in them is `user`'s id) in one statement."""
    sql = "SELECT " + ", ".join(expressions)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * sql.count("%s"))  # noqa: S608 (names from the models' meta)
        row = cursor.fetchone()
    return tuple(row) if row else (None,) * len(expressions)


def town_standing(user: Any) -> tuple[bool, int | None]:
    """Is the signed-in `user` an editor, and which Ortsgemeinde is theirs? One statement, remembered on the
    user object (the editor check and core.page_cache.visitor_key read it): every shared resident page
    asks both (core.resident_pages), and two statements cost a cache hit a third of its time."""
    if hasattr(user, EDITOR_MEMO) and hasattr(user, PLACE_MEMO):
        return bool(getattr(user, EDITOR_MEMO)), getattr(user, PLACE_MEMO)
    quote = connection.ops.quote_name
    profile = user._meta.get_field("resident_profile").related_model
    place_sql = (f"(SELECT {quote(profile._meta.get_field('ortsgemeinde').column)} FROM "
                 f"{quote(profile._meta.db_table)} WHERE {quote(profile._meta.get_field('user').column)} = %s)")
    listed, place = _first_row(user, _editor_sql(user), place_sql)
    editor = bool(user.is_town_admin or listed)
    setattr(user, EDITOR_MEMO, editor)
    setattr(user, PLACE_MEMO, place)
    return editor, place


def _speaks_for_a_village(user: Any) -> bool:
    # An Ortsgemeinde's editor (Ortsbürgermeister, village editor) publishes official news and notices
    # for that village; asked by every back-office menu, so once per user object.
    cached = getattr(user, "_dorfkern_village_role", None)
    if cached is None:
        cached = user.village_roles.model.objects.filter(user=user).exists()
        user._dorfkern_village_role = cached
    return bool(cached)


ROLE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "town_admin": lambda user: user.is_authenticated and user.is_town_admin,
    "moderator": lambda user: user.is_authenticated and user.is_moderator,
    "editor": lambda user: user.is_authenticated and _is_editor(user),
    # Who publishes in the town's or a village's name: town admins, and editors of an Ortsgemeinde.
    "official_editor": lambda user: user.is_authenticated and (user.is_town_admin or _speaks_for_a_village(user)),
    "authenticated": lambda user: user.is_authenticated,
}


def user_passes(user: Any, permission: str | None) -> bool:
    if permission is None:
        return True
    check = ROLE_CHECKS.get(permission)
    if check is not None:
        return bool(check(user))
    return bool(user.has_perm(permission))


def role_required(permission: str) -> Callable[[View], View]:
    """Anonymous users go to the login; signed-in users without the role get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_passes(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


town_admin_required = role_required("town_admin")


def may_use_backoffice(user: Any) -> bool:
    """Admins, moderators and editors of an organisation work in the back office."""
    return any(user_passes(user, role) for role in ("town_admin", "moderator", "editor"))


class RefusedWithReason(PermissionDenied):
    """A refusal the person can do something about: the 403 page shows ``reason`` and a link onward.

    Plain PermissionDenied says "You are not allowed to do this"; this one says why (in the user's
    language) and where to go, e.g. "Only residents whose address is confirmed … [Confirm where I
    live]".
    """

    def __init__(self, reason: str, *, link_url: str = "", link_text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.link_url = link_url
        self.link_text = link_text
