"""What the job fair tells people, written in each recipient's language and put in the
messaging outbox inside the caller's transaction: it goes out only if the decision commits.

Employers hear about decisions on their account and their vacancies (with the reason);
job seekers hear about an interview time or an offer. Nothing here sends by itself.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.i18n import local_time


def _queue(channel: str, recipient: str | None, body: str, subject: str = "", language: str = "ru",
           forum=None, registration=None, dedup_key: str | None = None) -> None:
    """The one door to the outbox (forum.messaging): queued with the caller's transaction."""
    if not recipient:
        return
    from forum.messaging.outbox import queue

    queue(channel=channel, recipient=recipient, body=body, subject=subject, language=language, forum=forum,
          registration=registration, dedup_key=dedup_key, kind="notice")


def _link(path: str) -> str:
    return current_app.config.get("BASE_URL", "").rstrip("/") + path


def _language(code: str | None) -> str:
    return code if code in ("ru", "tg", "en") else "ru"


def employer_decided(employer) -> None:
    language = _language(employer.user.language)
    login = _link("/auth/login?next=/employer/")
    with force_locale(language):
        if employer.status == "approved":
            subject = _("Job fair: your organization is approved")
            body = _("Hello, %(person)s.\n\nThe organizers checked and approved %(name)s for the job fair. "
                     "You can now post vacancies; each one is published after the organizers approve it.\n\n"
                     "Your account: %(link)s", person=employer.organization.contact_person, name=employer.name,
                     link=login)
        else:
            subject = _("Job fair: your registration is not approved")
            body = _("Hello, %(person)s.\n\nThe organizers did not approve %(name)s for the job fair.\n"
                     "Reason: %(reason)s\n\nIf you can correct this, reply to the organizers. Your account: %(link)s",
                     person=employer.organization.contact_person, name=employer.name,
                     reason=employer.decision_reason, link=login)
        if employer.decision_reason and employer.status == "approved":
            body += "\n\n" + _("Note from the organizers: %(reason)s", reason=employer.decision_reason)
    stamp = employer.decided_at.strftime("%Y%m%d%H%M%S%f")
    _queue("email", employer.user.email, body, subject, language, forum=employer.forum,
           dedup_key=f"jobfair:employer:{employer.id}:{employer.status}:{stamp}")


def vacancy_decided(vacancy) -> None:
    from forum.db import translated

    employer = vacancy.employer
    language = _language(employer.user.language)
    with force_locale(language):
        title = translated(vacancy.title, language)
        link = _link(f"/auth/login?next=/employer/vacancies/{vacancy.id}")
        if vacancy.status == "approved":
            subject = _("Job fair: vacancy approved: %(title)s", title=title)
            body = _("The organizers approved your vacancy \"%(title)s\". It is now on the forum's public list "
                     "of vacancies until %(date)s.\n\n%(link)s", title=title,
                     date=vacancy.closes_on.strftime("%d.%m.%Y"), link=link)
        else:
            subject = _("Job fair: vacancy not approved: %(title)s", title=title)
            body = _("The organizers did not approve your vacancy \"%(title)s\".\nReason: %(reason)s\n\n"
                     "You can correct it and send it for approval again: %(link)s",
                     title=title, reason=vacancy.decision_reason, link=link)
    stamp = vacancy.decided_at.strftime("%Y%m%d%H%M%S%f")
    _queue("email", employer.user.email, body, subject, language, forum=vacancy.forum,
           dedup_key=f"jobfair:vacancy:{vacancy.id}:{vacancy.status}:{stamp}")


def _seeker(interest) -> tuple[str | None, str, object]:
    """The seeker's own phone and language: from their registration, else what they gave at the booth."""
    registration = interest.registration
    if registration is not None:
        return registration.person.phone, _language(registration.person.language), registration
    return interest.shared_phone, "ru", None


def interview_offered(interest, slot, booth_label: str | None) -> None:
    from forum.db import translated

    phone, language, registration = _seeker(interest)
    vacancy = interest.vacancy
    forum = vacancy.forum
    with force_locale(language):
        when = local_time(slot.starts_at, forum.timezone, "d MMMM, HH:mm")
        where = (_("booth %(label)s", label=booth_label) if booth_label else _("the job fair"))
        body = _("%(employer)s invites you to an interview for \"%(title)s\" on %(when)s at %(where)s, "
                 "%(forum)s. Candidates never pay employers.",
                 employer=vacancy.employer.name, title=translated(vacancy.title, language), when=when,
                 where=where, forum=translated(forum.title, language))
    _queue("sms", phone, body, language=language, forum=forum, registration=registration,
           dedup_key=f"jobfair:interview:{slot.id}:{interest.id}:{slot.offered_at.strftime('%Y%m%d%H%M%S%f')}")


def offer_made(interest) -> None:
    from forum.db import translated

    phone, language, registration = _seeker(interest)
    vacancy = interest.vacancy
    with force_locale(language):
        body = _("%(employer)s offers you the job \"%(title)s\". Ask for the written contract before you "
                 "start, and never pay a fee for a job. Questions: the forum organizers.",
                 employer=vacancy.employer.name, title=translated(vacancy.title, language))
    _queue("sms", phone, body, language=language, forum=vacancy.forum, registration=registration,
           dedup_key=f"jobfair:offer:{interest.id}:{interest.offered_at.strftime('%Y%m%d%H%M%S%f')}")


def revision_decided(vacancy, approved: bool, reason: str) -> None:
    """The organizers decided on the changes to a vacancy that stayed public meanwhile."""
    from forum.db import translated, utcnow

    employer = vacancy.employer
    language = _language(employer.user.language)
    with force_locale(language):
        title = translated(vacancy.title, language)
        link = _link(f"/auth/login?next=/employer/vacancies/{vacancy.id}")
        if approved:
            subject = _("Job fair: changes approved: %(title)s", title=title)
            body = _("The organizers approved your changes to the vacancy \"%(title)s\". The public list now shows "
                     "the new text.\n\n%(link)s", title=title, link=link)
        else:
            subject = _("Job fair: changes not approved: %(title)s", title=title)
            body = _("The organizers did not approve your changes to the vacancy \"%(title)s\".\nReason: %(reason)s\n\n"
                     "The vacancy stays public as it was approved before. You can correct the changes and send them "
                     "again: %(link)s", title=title, reason=reason, link=link)
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    _queue("email", employer.user.email, body, subject, language, forum=vacancy.forum,
           dedup_key=f"jobfair:revision:{vacancy.id}:{'approved' if approved else 'rejected'}:{stamp}")
