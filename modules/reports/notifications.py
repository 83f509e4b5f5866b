"""Who hears what about a report, run by the worker after the change committed.

- confirm: the anonymous reporter gets the confirmation link;
- status: the reporter (topic reports.own) and the residents who support it (topic reports.supported) get
  a notification (the notifications module, which mails those who asked for e-mail and leaves out those
  who switched the topic off); anonymous reporters, and everybody while that module is off, get an e-mail;
- forward: the outside body gets the report with its reference and the signed link to answer.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.branding import town_url
from core.mail import send_town_mail
from modules.notifications.facade import notifications_enabled, notify
from modules.reports.models import Follower, Report

# The residents' switches in the notification centre (declared on ReportsConfig).
TOPIC_OWN = "reports.own"
TOPIC_SUPPORTED = "reports.supported"


def report_event_deliver(*, event: str, report_id: int) -> int:
    report = Report.objects.select_related("category", "ortsgemeinde").filter(pk=report_id).first()
    if report is None:
        return 0
    url = town_url(report.get_absolute_url())
    if event == "confirm":
        from modules.reports.services import confirm_token

        if not report.contact_email:
            return 0
        link = town_url(reverse("reports:report-confirm", kwargs={"token": confirm_token(report)}))
        return send_town_mail(to=report.contact_email, subject=_("Please confirm your report"),
                              template="reports/mail/confirm", context={"report": report, "url": link})
    if event == "forward":
        from modules.reports.services import forward_token

        if not report.category.forward_email:
            return 0
        link = town_url(reverse("reports:forward-answer", kwargs={"token": forward_token(report)}))
        photos = [town_url(photo.image.url) for photo in report.photos.all()]
        return send_town_mail(
            to=report.category.forward_email,
            subject=_("Report %(reference)s: %(category)s") % {"reference": report.reference,
                                                              "category": report.category.name},
            template="reports/mail/forward", context={"report": report, "url": link, "photos": photos},
        )
    if event == "status":
        title = _("Your report %(reference)s: %(status)s") % {"reference": report.reference,
                                                              "status": report.get_status_display()}
        body = report.public_answer or str(report.get_status_display())
        user_ids = list(Follower.objects.filter(report=report, user__is_active=True).values_list("user_id", flat=True))
        sent = 0
        if notifications_enabled():
            # One key per change (not per status): a second answer with the same status is news too.
            change = report.history.order_by("-pk").values_list("pk", flat=True).first()
            supporters = [pk for pk in user_ids if pk != report.reporter_id]
            supported = _("Report %(reference)s you support: %(status)s") % {
                "reference": report.reference, "status": report.get_status_display()}
            for topic, ids, heading in ((TOPIC_OWN, [pk for pk in user_ids if pk == report.reporter_id], title),
                                        (TOPIC_SUPPORTED, supporters, supported)):
                notify(user_ids=ids, event="reports.status", title=heading, body=body, topic=topic,
                       url=report.get_absolute_url(), dedupe_key=f"reports.status:{report.pk}:{change}")
            emails = []
        else:
            from accounts.models import User

            emails = list(User.objects.filter(pk__in=user_ids).values_list("email", flat=True))
        if report.reporter_id is None and report.contact_email:
            emails.append(report.contact_email)
        for email in emails:
            sent += send_town_mail(to=email, subject=title, template="reports/mail/status",
                                   context={"report": report, "url": url})
        return sent + len(user_ids)
    return 0
