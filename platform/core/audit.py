"""The audit log: who did what to which object, when and from where.

    audit_record(request.user, "user.role", target=person, before={"role": "resident"}, after={"role": "admin"})

Call it inside the transaction that makes the change, so the entry commits or rolls back with it.
On a town's host the entry goes to that town's own table (the model an app declares with the
:class:`AuditLogStore` capability: town.AuditEntry, in the town's schema); on the public site
(platform staff) to core.PlatformAuditEntry in the public schema. So town A's log can't hold,
show or lose B's entries.

From where: the client address (core.ratelimit.client_ip) of the request being served, kept by
:class:`AuditContextMiddleware` so that services deep down need no request. It is stored as is:
the log exists to answer "who did this, from where" (ASVS 16.2); it is kept for the retention
period the town's privacy notice names and is not erased with an account (Art. 17(3)(b, e) DSGVO).

Importable from apps.py (no model imports at module level): apps declare their capabilities there.

Append-only: the model refuses save() of an existing row, delete() and QuerySet update/delete,
and each table has a trigger that refuses UPDATE and DELETE from any client
(:func:`append_only_sql`). TRUNCATE (the test suite's flush, dropping a town) is not affected.

Action keys ("user.role", "module.enable") and their labels are declared by the apps that record
them, with :class:`AuditActions` capabilities; a key without a label is shown as it is.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.capabilities import Capability, declared
from core.spreadsheets import csv_cell
from core.tenancy import connection

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse, HttpResponseBase

    from core.models import AuditEntryBase

# Long texts (legal notices) are cut in the log; the log says that something changed and how it began.
VALUE_MAX_CHARS = 500


@dataclass(frozen=True)
class AuditLogStore(Capability):
    """The model a town's audit entries go to ("app_label.ModelName", a subclass of core.models.AuditEntryBase
    in a town app). Exactly one app provides it (the town app)."""

    model: str


@dataclass(frozen=True)
class AuditActions(Capability):
    """Labels of the action keys an app records, e.g. ``{"module.enable": _("Module switched on")}``."""

    labels: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditTarget:
    """What an action was done to, when it is not a model instance (a module, a setting)."""

    type: str
    id: str = ""
    label: str = ""


# --- where the request came from -----------------------------------------------------------

_client_ip: ContextVar[str] = ContextVar("audit_client_ip", default="")


class AuditContextMiddleware:
    """Keeps the client address of the request being served for audit_record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from core.ratelimit import client_ip

        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


# --- recording -----------------------------------------------------------------------------


def town_audit_model() -> type[AuditEntryBase]:
    stores = declared(AuditLogStore)
    if len(stores) != 1:
        raise LookupError(f"exactly one AuditLogStore expected, found {len(stores)}")
    return apps.get_model(stores[0].model)


def audit_model() -> type[AuditEntryBase]:
    """The audit table of the current schema: the town's own, or the platform's on the public site."""
    if connection.schema_name == "public":
        from core.models import PlatformAuditEntry

        return PlatformAuditEntry
    return town_audit_model()


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= VALUE_MAX_CHARS else text[: VALUE_MAX_CHARS - 1] + "…"


def changes_between(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs (a field missing on one side counts as None)."""
    before, after = before or {}, after or {}
    result: dict[str, list[Any]] = {}
    for name in [*before, *(key for key in after if key not in before)]:
        old, new = _json_value(before.get(name)), _json_value(after.get(name))
        if old != new:
            result[name] = [old, new]
    return result


def model_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `instance`, for before/after."""
    return {name: getattr(instance, name) for name in fields}


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    name = getattr(actor, "name", "") or getattr(actor, "email", "") or str(actor)
    return str(name)[:200]


def audit_record(
    actor: Any,
    action: str,
    target: models.Model | AuditTarget | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntryBase:
    """Append one entry to the current schema's audit log. `before`/`after`: the changed settings' values."""
    from core.ratelimit import client_ip
    from core.request_id import current_request_id

    if isinstance(target, models.Model):
        target_type, target_id, target_label = target._meta.label_lower, str(target.pk or ""), str(target)
    elif isinstance(target, AuditTarget):
        target_type, target_id, target_label = target.type, target.id, target.label
    else:
        target_type = target_id = target_label = ""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return audit_model().objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_name=_actor_name(actor),
        action=action[:60],
        target_type=target_type[:60],
        target_id=target_id[:64],
        target_label=target_label[:200],
        changes=changes_between(before, after),
        ip_address=(client_ip(request) if request is not None else _client_ip.get())[:45],
        request_id=(getattr(request, "request_id", None) or current_request_id() or "")[:64],
    )


# --- reading ---------------------------------------------------------------------------------


def audit_action_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for declared_actions in declared(AuditActions):
        labels.update(declared_actions.labels)
    return labels


def audit_action_label(key: str) -> str:
    return str(audit_action_labels().get(key, key))


class AuditFilterForm(forms.Form):
    """The log's filters: who, what, from and until which day. Bad values are form errors, never a 500."""

    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, model: type[AuditEntryBase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = (
            model.objects.exclude(actor_id=None).order_by("actor_id", "-created_at")
            .distinct("actor_id").values_list("actor_id", "actor_name")
        )
        actor_field = self.fields["actor"]
        action_field = self.fields["action"]
        assert isinstance(actor_field, forms.ChoiceField) and isinstance(action_field, forms.ChoiceField)
        actor_field.choices = [("", _("Everyone")), *sorted(
            ((pk, name or f"#{pk}") for pk, name in actors), key=lambda choice: str(choice[1]).lower()
        )]
        labels = audit_action_labels()
        action_field.choices = [("", _("All actions")), *sorted(
            ((key, str(label)) for key, label in labels.items()), key=lambda choice: choice[1].lower()
        )]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


def audit_entries(model: type[AuditEntryBase], filters: Mapping[str, Any] | None = None) -> models.QuerySet[Any]:
    """The entries of `model`, newest first, narrowed by an AuditFilterForm's cleaned_data."""
    entries = model.objects.order_by("-created_at", "-id")
    filters = filters or {}
    if filters.get("actor") is not None:
        entries = entries.filter(actor_id=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=zone)
        entries = entries.filter(created_at__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(filters["date_to"] + datetime.timedelta(days=1), datetime.time.min,
                                        tzinfo=zone)
        entries = entries.filter(created_at__lt=end)
    return entries


def changes_text(changes: Mapping[str, Any]) -> str:
    """"field: old → new; …" for the CSV and the page."""
    parts = []
    for name, values in changes.items():
        old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        parts.append(f"{name}: {_display(old)} → {_display(new)}")
    return "; ".join(parts)


def _display(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_csv_rows(entries: Iterable[AuditEntryBase]) -> Iterable[list[str]]:
    """Header and one row per entry, every cell formula-safe."""
    labels = audit_action_labels()
    yield [str(_("Time")), str(_("Person")), str(_("Action")), str(_("Object")), str(_("Changes")),
           str(_("IP address"))]
    for entry in entries:
        yield [csv_cell(value) for value in (
            timezone.localtime(entry.created_at).strftime("%d.%m.%Y %H:%M:%S"),
            entry.actor_name or _("System"),
            labels.get(entry.action, entry.action),
            entry.target_label,
            changes_text(entry.changes),
            entry.ip_address,
        )]


# --- the database's guarantee -------------------------------------------------------------------


def append_only_sql(table: str) -> tuple[list[str], list[str]]:
    """(forward, reverse) statements for a RunSQL that makes `table` refuse UPDATE and DELETE.

    Runs in whatever schema the migration runs in (django-tenants migrates town by town with the
    town's schema first on the search_path), so each town's table gets its own function and trigger.
    One statement per entry: on Citus each is forwarded to the worker holding the town, and a string
    with several is refused there (docs/scale-out.md).
    """
    function = f"{table}_append_only"
    forward = [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END;
        $$""",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]
    reverse = [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}", f"DROP FUNCTION IF EXISTS {function}()"]
    return forward, reverse


# --- pages (the town's back office and the staff pages share them) ---------------------------------

PER_PAGE = 50


def audit_page_context(request: HttpRequest, form: AuditFilterForm, entries: models.QuerySet[Any]) -> dict[str, Any]:
    """One page of entries, the filters and the action labels: a fixed number of queries."""
    from django.core.paginator import Paginator

    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    labels = audit_action_labels()
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.action_label = labels.get(entry.action, entry.action)
        entry.change_rows = [
            (name, _display(values[0]), _display(values[1]))
            for name, values in entry.changes.items() if isinstance(values, list) and len(values) == 2
        ]
    params = request.GET.copy()
    params.pop("page", None)
    return {"form": form, "page": page, "query_string": params.urlencode()}


def audit_csv_response(entries: models.QuerySet[Any], stem: str) -> HttpResponse:
    """The entries as a semicolon-separated CSV that Excel opens with umlauts (byte order mark)."""
    import csv

    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows(audit_csv_rows(entries.iterator(chunk_size=1000)))
    return response
