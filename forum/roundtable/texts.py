"""Words for the round table's groups, states and statuses, in the reader's language."""
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

GROUP_LABELS = {
    "shg_leader": _l("Self-help group leaders"), "coordinator": _l("Coordinators"),
    "mobilizer": _l("Community mobilizers"), "government": _l("Government bodies"),
    "international": _l("International organisations"), "mfi": _l("Microfinance institutions"),
    "other": _l("Other guests"),
}
STATE_LABELS = {"invited": _l("Invited"), "confirmed": _l("Confirmed"), "waitlisted": _l("On the waitlist"),
                "declined": _l("Declined")}
STATUS_LABELS = {"proposed": _l("Proposed"), "agreed": _l("Agreed"), "in_progress": _l("In progress"),
                 "done": _l("Done"), "dropped": _l("Dropped")}
ERRORS = {
    "bad_item": _l("Choose a round-table item of this forum's agenda."),
    "bad_numbers": _l("Seats, tables and quotas must be positive numbers."),
    "quotas_over_capacity": _l("The quotas add up to more seats than the round table has."),
    "bad_group": _l("Choose a stakeholder group."),
    "item_cancelled": _l("This round table is cancelled: nobody can be invited."),
    "other_forum": _l("This person is registered at another forum."),
    "not_enough_seats": _l("There are more confirmed invitees than seats at the tables. Add tables or seats."),
    "bad_invitee": _l("This person is not invited to this round table."),
    "not_confirmed": _l("Only confirmed invitees get a seat."),
    "no_such_seat": _l("There is no such table or seat."),
    "seat_taken": _l("This seat is already taken."),
    "empty_problem": _l("Please describe the problem."),
    "long_problem": _l("Please keep it under 1000 characters."),
    "too_many_problems": _l("You have sent the most problems we take from one person."),
    "empty_topic": _l("Give the topic a title."),
    "bad_problem": _l("This problem is not of this round table."),
    "bad_topic": _l("Choose a topic of this round table."),
    "empty_text": _l("Write the recommendation in at least one language."),
    "bad_status": _l("Choose a status."),
    "two_owners": _l("The owner is a person or an organization, not both."),
    "bad_organization": _l("Choose an organization from the list."),
    "bad_person": _l("Choose a person from the list."),
    "empty_note": _l("Write what happened."),
    "no_round_table": _l("Set up the round table first."),
    "nobody": _l("Choose whom to invite."),
}


def over_quota_text(row: dict) -> str:
    """The warning for a group with more invitations out than its quota (service.over_quota)."""
    return ngettext("%(group)s: %(num)s invitation out, quota %(seats)s. Those who accept after the quota is "
                    "full wait on the waitlist.",
                    "%(group)s: %(num)s invitations out, quota %(seats)s. Those who accept after the quota is "
                    "full wait on the waitlist.", row["out"], group=GROUP_LABELS[row["group"]], seats=row["quota"])
