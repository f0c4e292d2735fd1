"""Query budgets: every staff page that lists rows runs an exact number of queries,
the same for 5 rows as for 500, so a new N+1 query fails here.

Each test builds 5 rows of what its page lists, requests the page once to warm the
process-wide caches (content types and the like, so the count does not depend on which test
ran first), counts the queries of the next request, adds 495 rows more and counts again.
Every test also checks that the page really shows the rows (or the first page of them), so
a budget cannot pass on an empty list. Rows are written with ``bulk_create``: factories
would be too slow for 500 rows per page.

A budget that goes up on purpose (a page shows something new) is updated here on purpose;
one that differs between the two sizes is an N+1 query to fix in the page, not here.
"""

from datetime import date, datetime, time, timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from core.choices import AuditAction, Channel
from core.models import AuditEvent
from core.permissions import Role
from partners.models import OnwardReferral, OnwardReferralStep, RiskAssessment, SupportNeed
from referrals.choices import ContactOutcome, Language, Priority, Status
from referrals.models import CaseNote, ContactAttempt, StatusChange
from sessions_booking.models import (
    SEAT_HOLDING,
    Booking,
    BookingStatus,
    GroupSession,
    InterpreterRequest,
    MessageTemplate,
    Programme,
    Reminder,
    ReminderStatus,
    SessionSeries,
    Venue,
)
from tests.support.bulk import (
    make_bookings,
    make_partner_referrals,
    make_referrals,
    make_sessions,
    make_staff,
    serial,
)
from tests.support.factories import UserFactory, VenueFactory, partner_service
from tests.support.queries import (
    ADMIN_SIGNED_IN,
    SIGNED_IN,
    SMALL,
    between,
    distinct,
    get_page,
    in_table,
    measure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_venue():
    return VenueFactory(name="Oak Centre", creche_on_site=False)


def soon(days=3):
    """A whole hour some days ahead, so sessions are still open for booking."""
    return (timezone.now() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


# --- caseload (the staff home page) and the team queue ----------------------------------------
# scope -> (who looks, query string, rows the list shows per round of three referrals)
HOME_SCOPES = {
    "mine": ("amara", {}, 1),
    "queue": ("amara", {"scope": "queue"}, 1),
    "team": ("lead", {"scope": "team"}, 3),
}
# The list (count, page), her team, the queue count, contacts due, partner referrals to
# chase, groups she runs, calls.
HOME_BUDGET = SIGNED_IN + 8


@pytest.mark.parametrize("scope", HOME_SCOPES)
def test_staff_home_caseload(client, sign_in, request, team, beata, programme, venue, scope):
    """Her caseload (25 a page), contacts due today, reminder calls to make and the groups
    she runs: each list grows by one row per round."""
    viewer_name, params, per_round = HOME_SCOPES[scope]
    viewer = request.getfixturevalue(viewer_name)
    partner = partner_service(name="Talking Therapies", teams=[team])
    today = timezone.localdate()
    priorities = list(Priority)

    def grow(count):
        # Per round: one case of hers, one of a colleague's, one new in the team queue.
        common = {
            "team": team,
            "each": lambda i: {
                "priority": priorities[i % 3],
                "needs_interpreter": i % 2 == 0,
                "missed_sessions_in_a_row": i % 3,
                "next_contact_on": today - timedelta(days=i % 4),
            },
        }
        hers = make_referrals(count, assigned_to=viewer, status=Status.CONTACTING, **common)
        make_referrals(count, assigned_to=beata, status=Status.ACTIVE, **common)
        make_referrals(count, **common)
        ContactAttempt.objects.bulk_create(
            ContactAttempt(
                referral=case, made_by=viewer, channel=Channel.SMS, outcome=ContactOutcome.NO_ANSWER
            )
            for case in hers
            for _ in range(3)
        )
        CaseNote.objects.bulk_create(
            CaseNote(referral=case, author=viewer, text="Safeguarding concern.", restricted=True)
            for case in hers[::2]
        )
        runs = make_sessions(
            count, first=soon(), step=timedelta(hours=3), programme=programme, venue=venue,
            facilitator=viewer,
        )  # fmt: skip
        booked = make_bookings(
            zip(runs, hers, strict=True), by=viewer, each=lambda i: {"status": "confirmed"}
        )
        Reminder.objects.bulk_create(
            Reminder(
                booking=booking,
                offset_hours=48,
                due_at=booking.session.starts_at - timedelta(hours=48),
                status=ReminderStatus.NEEDS_CALL if i % 2 else ReminderStatus.FAILED,
            )
            for i, booking in enumerate(booked)
        )
        make_partner_referrals(hers, service=partner, by=viewer)

    def check(html, size):
        assert distinct(r"QbWoman\d+", in_table(html)) == min(size * per_round, 25)
        due = between(html, 'id="due-heading"', "</section>")
        contacts, _chases = due.split('class="mb-1 partner-chase"', 1)
        assert distinct(r"QbWoman\d+", contacts) == min(size, 25)
        assert due.count('class="mb-1 partner-chase"') == min(size, 25)
        calls = between(html, 'id="calls-heading"', "</section>")
        assert distinct(r"QbWoman\d+", calls) == min(size, 25)
        running = between(html, 'id="facilitating-heading"', "</section>")
        assert distinct(r"/staff/sessions/(\d+)/roster/", running) == min(size, 10)

    sign_in(viewer)
    counts = measure(client, reverse("home:staff_home"), grow, params=params, check=check)
    assert counts == [HOME_BUDGET, HOME_BUDGET]


def test_team_queue(client, sign_in, team, amara):
    priorities = list(Priority)

    def grow(count):
        make_referrals(count, team=team, each=lambda i: {"priority": priorities[i % 3]})

    def check(html, size):
        assert distinct(r"QbWoman\d+", in_table(html)) == min(size, 25)

    sign_in(amara)
    counts = measure(client, reverse("referrals:team_queue"), grow, check=check)
    assert counts == [SIGNED_IN + 3] * 2  # her team, the count, the page


# --- the audit log ----------------------------------------------------------------------------
@pytest.mark.parametrize("viewer_name", ["lead", "service_admin"])
def test_audit_log(client, sign_in, request, team, amara, lead, viewer_name):
    """Recent actions, 50 a page: each row names who, what and which case."""
    actions = list(AuditAction)
    actors = [amara, lead, None]

    def grow(count):
        cases = make_referrals(count, team=team)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=actors[i % 3],
                action=actions[i % len(actions)],
                referral=case,
                team=team,
                ip_address="203.0.113.9",
                detail={"row": f"QbRow{next(serial)}"},
            )
            for i, case in enumerate(cases)
        )

    def check(html, size):
        assert distinct(r"QbRow\d+", html) == min(size, 50)

    sign_in(request.getfixturevalue(viewer_name))
    counts = measure(client, reverse("referrals:audit_log"), grow, check=check)
    assert counts == [SIGNED_IN + 2] * 2  # the count, the page (with actor and case)


def test_audit_log_of_one_case_with_its_field_changes(client, sign_in, team, amara, lead):
    """Searching by reference adds the case's field-level history (pghistory events), every
    row of it on one page."""
    her = make_referrals(1, team=team, assigned_to=amara, status=Status.CONTACTING)[0]

    def grow(count):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=amara,
                action=AuditAction.RECORDED_CONTACT,
                referral=her,
                team=team,
                detail={"row": f"QbRow{next(serial)}"},
            )
            for _ in range(count)
        )
        # Each insert is recorded by pghistory's trigger: one field-change row each.
        ContactAttempt.objects.bulk_create(
            ContactAttempt(
                referral=her, made_by=amara, channel=Channel.CALL, outcome=ContactOutcome.SPOKE
            )
            for _ in range(count)
        )

    def check(html, size):
        assert distinct(r"QbRow\d+", html) == min(size, 50)
        assert html.count("ContactAttempt insert") == size

    sign_in(lead)
    counts = measure(
        client,
        reverse("referrals:audit_log"),
        grow,
        params={"case": her.display_reference},
        check=check,
    )
    # The case, the count, the field changes (one query over every event table), the page.
    assert counts == [SIGNED_IN + 4] * 2


# --- the case page ----------------------------------------------------------------------------
@pytest.mark.parametrize("viewer_name", ["amara", "lead"])
def test_case_page_timeline(
    client, sign_in, request, team, amara, lead, programme, venue, viewer_name
):
    """Status changes, contact attempts, notes and group bookings, all on one page; a team
    lead also gets the list of keyworkers to assign to, which grows with the team."""
    her = make_referrals(1, team=team, assigned_to=amara, status=Status.CONTACTING)[0]
    staff = [amara, lead]
    outcomes = list(ContactOutcome)
    statuses = list(Status)

    def grow(count):
        StatusChange.objects.bulk_create(
            StatusChange(
                referral=her,
                from_status=statuses[i % 4],
                to_status=statuses[(i + 1) % 4],
                changed_by=staff[i % 2],
            )
            for i in range(count)
        )
        ContactAttempt.objects.bulk_create(
            ContactAttempt(
                referral=her,
                made_by=staff[i % 2],
                channel=Channel.SMS,
                outcome=outcomes[i % len(outcomes)],
                note=f"Attempt {i}",
            )
            for i in range(count)
        )
        CaseNote.objects.bulk_create(
            CaseNote(referral=her, author=staff[i % 2], text=f"Note {i}", restricted=i % 2 == 0)
            for i in range(count)
        )
        groups = make_sessions(
            count, first=soon(), step=timedelta(hours=3), programme=programme, venue=venue
        )
        make_bookings([(session, her) for session in groups], by=amara)
        make_staff(count, team=team)  # keyworkers a lead may assign to

    def check(html, size):
        assert html.count('<li class="border-start ps-3 pb-3">') == 4 * size
        if viewer_name == "lead":
            assert distinct(r"QbStaff\d+", html) == size

    sign_in(request.getfixturevalue(viewer_name))
    counts = measure(client, reverse("referrals:case_detail", args=[her.pk]), grow, check=check)
    # The case, the audit row for viewing it, the timeline (status changes, attempts, notes,
    # every stage of her bookings, her partner referrals' steps), the check for unanswered
    # attempts, the flags (support plan; an undelivered reminder); and for a team lead, the
    # keyworkers to assign to.
    budget = SIGNED_IN + 10 + (1 if viewer_name == "lead" else 0)
    assert counts == [budget, budget]


# --- bookings from a case, and the roster ------------------------------------------------------
def test_booking_page_of_a_case(client, sign_in, team, amara, programme, venue):
    """Her bookings with their reminders, the programmes to choose from and the chosen
    programme's sessions (the first 40)."""
    her = make_referrals(1, team=team, assigned_to=amara, status=Status.ACTIVE)[0]
    reminder_states = [ReminderStatus.SCHEDULED, ReminderStatus.NEEDS_CALL, ReminderStatus.FAILED]
    made = []

    def grow(count):
        Programme.objects.bulk_create(
            Programme(name=f"QbProgramme{next(serial)}", description="A group.")
            for _ in range(count)
        )
        groups = make_sessions(
            count,
            first=soon() + len(made) * timedelta(hours=3),
            step=timedelta(hours=3),
            programme=programme,
            venue=venue,
        )
        made.extend(groups)
        bookings = make_bookings(
            [(session, her) for session in groups],
            by=amara,
            each=lambda i: {"status": [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED][i % 2]},
        )
        Reminder.objects.bulk_create(
            Reminder(
                booking=booking,
                offset_hours=hours,
                channel=Channel.SMS,
                due_at=booking.session.starts_at - timedelta(hours=hours),
                send_at=booking.session.starts_at - timedelta(hours=hours),
                status=reminder_states[(i + hours) % 3],
            )
            for i, booking in enumerate(bookings)
            for hours in (48, 2)
        )

    def check(html, size):
        assert distinct(r"/staff/bookings/(\d+)/appointment\.ics", html) == size
        assert html.count("hours before</td>") == 2 * size
        assert html.count('name="session"') == min(size, 40)
        assert distinct(r"QbProgramme\d+", html) == size

    sign_in(amara)
    counts = measure(
        client,
        reverse("sessions_booking:book_sessions", args=[her.pk]),
        grow,
        params={"programme": programme.pk},
        check=check,
    )
    # The case, the chosen programme, its sessions, her bookings, their reminders, the
    # programmes to choose from.
    assert counts == [SIGNED_IN + 6] * 2


def test_session_roster_and_register(client, sign_in, team, amara, programme, venue):
    """The facilitator's roster: preferred names and crèche needs of everyone with a seat."""
    session = make_sessions(
        1, first=soon(), step=timedelta(0), programme=programme, venue=venue, facilitator=amara
    )[0]

    def grow(count):
        make_bookings([(session, her) for her in make_referrals(count, team=team)], by=amara)

    def check(html, size):
        seated = Booking.objects.filter(session=session, status__in=SEAT_HOLDING).count()
        assert distinct(r"QbWoman\d+", in_table(html)) == seated
        assert f"{seated} of 1000 places booked" in html

    sign_in(amara)
    counts = measure(
        client, reverse("sessions_booking:session_roster", args=[session.pk]), grow, check=check
    )
    # The session, the seated bookings with names, the fill, the waiting-list count.
    assert counts == [SIGNED_IN + 4] * 2


# --- the groups pages (service admins) ---------------------------------------------------------
@pytest.mark.parametrize("view", ["week", "month"])
def test_groups_calendar(
    client, sign_in, team, service_admin, amara, programme, open_programme, venue, other_venue,
    view,
):  # fmt: skip
    """Every session of the week (or month), with its programme, venue, facilitator and
    fill."""
    monday = date(2027, 2, 1)  # starts a week and a month, so both views show every session
    first = datetime.combine(monday, time(7), tzinfo=timezone.get_current_timezone())
    her = make_referrals(1, team=team)[0]
    params = (
        {"week": f"{monday:%Y-%m-%d}"}
        if view == "week"
        else {"view": "month", "month": f"{monday:%Y-%m}"}
    )
    made = []

    def grow(count):
        groups = make_sessions(
            count,
            first=first + len(made) * timedelta(minutes=17),
            step=timedelta(minutes=17),  # 500 of them still fit in the week
            each=lambda i: {
                "programme": [programme, open_programme][i % 2],
                "venue": [venue, other_venue][i % 2],
                "facilitator": [amara, None][i % 2],
                "cancelled_at": timezone.now() if i % 7 == 3 else None,
            },
        )
        made.extend(groups)
        make_bookings([(session, her) for session in groups], by=service_admin)

    def check(html, size):
        assert distinct(r"/staff/groups/sessions/(\d+)/", html) == size

    sign_in(service_admin)
    counts = measure(
        client, reverse("sessions_booking:setup_calendar"), grow, params=params, check=check
    )
    assert counts == [SIGNED_IN + 1] * 2  # the sessions, with everything shown, in one


def test_venues_list(client, sign_in, service_admin):
    def grow(count):
        Venue.objects.bulk_create(
            Venue(
                name=f"QbVenue{next(serial)}",
                address="1 Example Road\nBirmingham B1 1AA",
                creche_on_site=i % 2 == 0,
                safety_notes="Side door." if i % 3 == 0 else "",
            )
            for i in range(count)
        )

    def check(html, size):
        assert distinct(r"QbVenue\d+", html) == size

    sign_in(service_admin)
    counts = measure(client, reverse("sessions_booking:setup_venues"), grow, check=check)
    assert counts == [SIGNED_IN + 1] * 2


def test_programmes_list(client, sign_in, team, service_admin, amara, lead):
    """Each programme with its facilitators."""

    def grow(count):
        made = Programme.objects.bulk_create(
            Programme(
                name=f"QbProgramme{next(serial)}",
                description="A group.",
                women_only=i % 5 != 0,
                trauma_informed=i % 2 == 0,
            )
            for i in range(count)
        )
        Programme.facilitators.through.objects.bulk_create(
            Programme.facilitators.through(programme_id=item.pk, user_id=person.pk)
            for i, item in enumerate(made)
            for person in [amara, lead][: i % 3]
        )

    def check(html, size):
        assert distinct(r"QbProgramme\d+", html) == size

    sign_in(service_admin)
    counts = measure(client, reverse("sessions_booking:setup_programmes"), grow, check=check)
    assert counts == [SIGNED_IN + 2] * 2  # the programmes, their facilitators


def test_session_detail(client, sign_in, team, service_admin, amara, programme, venue):
    """One session's fill, however many women are booked or waiting."""
    series = SessionSeries.objects.create(
        programme=programme, venue=venue, facilitator=amara, first_date=soon().date(),
        start_time=time(10), weeks=6, capacity=1000,
    )  # fmt: skip
    session = make_sessions(
        1, first=soon(), step=timedelta(0), programme=programme, venue=venue, facilitator=amara,
        series=series,
    )[0]  # fmt: skip

    def grow(count):
        make_bookings([(session, her) for her in make_referrals(count, team=team)], by=amara)

    def check(html, size):
        seated = Booking.objects.filter(session=session, status__in=SEAT_HOLDING).count()
        waiting = Booking.objects.filter(session=session, status="waitlisted").count()
        assert f"{seated} of 1000 places" in html
        assert f"{waiting} women waiting" in html

    sign_in(service_admin)
    counts = measure(
        client,
        reverse("sessions_booking:setup_session_detail", args=[session.pk]),
        grow,
        check=check,
    )
    assert counts == [SIGNED_IN + 2] * 2  # the session with its fill, its interpreters


def test_interpreter_requests_list(client, sign_in, team, service_admin, amara, programme, venue):
    """Every interpreter asked for a session to come, with how many women need each."""
    made = []

    def grow(count):
        groups = make_sessions(
            count,
            first=soon() + len(made) * timedelta(hours=3),
            step=timedelta(hours=3),
            programme=programme,
            venue=venue,
        )
        made.extend(groups)
        InterpreterRequest.objects.bulk_create(
            InterpreterRequest(session=session, language="ur", requested_by=service_admin)
            for session in groups
        )
        women = make_referrals(count, team=team, preferred_language=Language.URDU)
        make_bookings(
            list(zip(groups, women, strict=True)),
            by=amara,
            each=lambda i: {"status": BookingStatus.CONFIRMED, "interpreter_language": "ur"},
        )

    def check(html, size):
        assert distinct(r"/staff/groups/interpreters/(\d+)/", html) == size
        assert in_table(html).count("<td>1</td>") == size

    sign_in(service_admin)
    counts = measure(client, reverse("sessions_booking:setup_interpreters"), grow, check=check)
    assert counts == [SIGNED_IN + 1] * 2  # the requests with their sessions and women counted


def test_booking_page_of_a_woman_needing_an_interpreter(
    client, sign_in, team, amara, service_admin, programme, venue
):
    """Her groups page also lists the sessions in her language or with her interpreter,
    whatever their number."""
    her = make_referrals(
        1, team=team, assigned_to=amara, status=Status.ACTIVE, preferred_language=Language.URDU
    )[0]
    made = []

    def grow(count):
        groups = make_sessions(
            count,
            first=soon() + len(made) * timedelta(hours=3),
            step=timedelta(hours=3),
            programme=programme,
            venue=venue,
            each=lambda i: {"language": "ur" if i % 2 else "en"},
        )
        made.extend(groups)
        InterpreterRequest.objects.bulk_create(
            InterpreterRequest(session=session, language="ur", requested_by=service_admin)
            for session in groups
            if session.language == "en"
        )

    def check(html, size):
        assert html.count('name="session"') == min(size, 40)
        assert html.count("Her interpreter is asked for, not confirmed") >= min(size, 10)

    sign_in(amara)
    counts = measure(
        client,
        reverse("sessions_booking:book_sessions", args=[her.pk]),
        grow,
        params={"programme": programme.pk},
        check=check,
    )
    # The case, the chosen programme, its sessions, her bookings (none, so no reminders are
    # read), the sessions in her language or with her interpreter, the programmes.
    assert counts == [SIGNED_IN + 6] * 2


def test_series_page(client, sign_in, team, service_admin, amara, programme, venue):
    """Changing a series lists every session still to come, with its fill."""
    series = SessionSeries.objects.create(
        programme=programme, venue=venue, facilitator=amara, first_date=soon().date(),
        start_time=time(10), weeks=500, capacity=777,
    )  # fmt: skip
    her = make_referrals(1, team=team)[0]
    made = []

    def grow(count):
        groups = make_sessions(
            count,
            first=soon() + len(made) * timedelta(days=7),
            step=timedelta(days=7),
            programme=programme,
            venue=venue,
            series=series,
            capacity=777,
        )
        made.extend(groups)
        make_bookings([(session, her) for session in groups], by=amara)

    def check(html, size):
        assert html.count("of 777 places") == size

    sign_in(service_admin)
    counts = measure(
        client, reverse("sessions_booking:setup_series_edit", args=[series.pk]), grow, check=check
    )
    # The series, its sessions to come with their fill, the venues and staff to choose from.
    assert counts == [SIGNED_IN + 4] * 2


def test_reminder_wording_list(client, sign_in, service_admin):
    """One row per language and kind: 12 at most (a database constraint), so the sizes are
    5 and every one of them, not 500."""
    kinds = [
        (code, names_service)
        for code in Language.values
        if code != Language.OTHER
        for names_service in (False, True)
    ]
    assert len(kinds) == 12
    saved = []

    def grow_to(count):
        MessageTemplate.objects.bulk_create(
            MessageTemplate(
                language=language,
                names_service=names_service,
                subject="Appointment",
                text="See you {when} at {where}. {link}",
                updated_by=service_admin,
            )
            for language, names_service in kinds[len(saved) : count]
        )
        saved[:] = kinds[:count]

    sign_in(service_admin)
    counts = []
    for size in (SMALL, len(kinds)):
        grow_to(size)
        if size == SMALL:
            get_page(client, reverse("sessions_booking:setup_messages"), None)
        count, html = get_page(client, reverse("sessions_booking:setup_messages"), None)
        assert html.count("Edited ") == size
        counts.append(count)
    assert counts == [SIGNED_IN + 2] * 2  # the wordings; the next session, for the SMS parts


# --- forms whose choices list venues, programmes, staff or teams -------------------------------
FORM_PAGES = {
    "sessions_booking:setup_session_create": ("QbVenue", "QbProgramme", "QbStaff"),
    "sessions_booking:setup_series_create": ("QbVenue", "QbProgramme", "QbStaff"),
    "sessions_booking:setup_session_edit": ("QbVenue", "QbStaff"),
    "sessions_booking:setup_series_edit": ("QbVenue", "QbStaff"),
    "sessions_booking:setup_programme_edit": ("QbStaff",),
    "accounts:invite": ("QbTeam",),
}
FORM_BUDGET = {
    # ?programme= (looked up even when absent), then programmes, venues and staff to choose.
    "sessions_booking:setup_session_create": SIGNED_IN + 4,
    "sessions_booking:setup_series_create": SIGNED_IN + 4,
    # The session with its fill, then venues and staff.
    "sessions_booking:setup_session_edit": SIGNED_IN + 3,
    # The series, its sessions to come, then venues and staff.
    "sessions_booking:setup_series_edit": SIGNED_IN + 4,
    # The programme, its facilitators (read twice: the form's initial value and the staff
    # choices keep whoever is chosen), then the staff to choose from.
    "sessions_booking:setup_programme_edit": SIGNED_IN + 4,
    "accounts:invite": SIGNED_IN + 1,  # the teams
}


@pytest.mark.parametrize("page", FORM_PAGES)
def test_form_pages_listing_choices(
    client, sign_in, team, service_admin, amara, programme, venue, page
):
    series = SessionSeries.objects.create(
        programme=programme, venue=venue, facilitator=amara, first_date=soon().date(),
        start_time=time(10), weeks=1, capacity=12,
    )  # fmt: skip
    session = make_sessions(
        1, first=soon(), step=timedelta(0), programme=programme, venue=venue, series=series
    )[0]
    url = {
        "sessions_booking:setup_session_edit": reverse(
            "sessions_booking:setup_session_edit", args=[session.pk]
        ),
        "sessions_booking:setup_series_edit": reverse(
            "sessions_booking:setup_series_edit", args=[series.pk]
        ),
        "sessions_booking:setup_programme_edit": reverse(
            "sessions_booking:setup_programme_edit", args=[programme.pk]
        ),
    }.get(page) or reverse(page)

    def grow(count):
        Venue.objects.bulk_create(
            Venue(name=f"QbVenue{next(serial)}", address="1 Example Road") for _ in range(count)
        )
        Programme.objects.bulk_create(
            Programme(name=f"QbProgramme{next(serial)}", description="A group.")
            for _ in range(count)
        )
        Team.objects.bulk_create(Team(name=f"QbTeam{next(serial)}") for _ in range(count))
        make_staff(count, team=team)

    def check(html, size):
        for prefix in FORM_PAGES[page]:
            assert distinct(prefix + r"\d+", html) == size, prefix

    sign_in(service_admin)
    counts = measure(client, url, grow, check=check)
    assert counts == [FORM_BUDGET[page]] * 2


def test_people_page(client, sign_in, service_admin):
    """Every staff account with its team, roles and whether MFA is set up."""

    def grow(count):
        teams = Team.objects.bulk_create(Team(name=f"QbTeam{next(serial)}") for _ in range(count))
        make_staff(
            count,
            teams=teams,
            roles=(Role.KEYWORKER, Role.TEAM_LEAD),
            each=lambda i: {"is_active": i % 4 != 0, "password": "!invited" if i % 3 else "x"},
        )

    def check(html, size):
        assert distinct(r"QbStaff\d+", html) == size
        assert distinct(r"QbTeam\d+", html) == size

    sign_in(service_admin)
    counts = measure(client, reverse("accounts:people"), grow, check=check)
    assert counts == [SIGNED_IN + 2] * 2  # the people (team, MFA flag), their groups


# --- the Django admin's lists (service admins with the admin flag) -----------------------------
def grow_admin_rows(model, count, *, team, programme, venue):
    if model is Venue:
        Venue.objects.bulk_create(
            Venue(name=f"QbVenue{next(serial)}", address="1 Example Road") for _ in range(count)
        )
    elif model is Programme:
        Programme.objects.bulk_create(
            Programme(name=f"QbProgramme{next(serial)}", description="A group.")
            for _ in range(count)
        )
    elif model is SessionSeries:
        SessionSeries.objects.bulk_create(
            SessionSeries(
                programme=programme,
                venue=venue,
                first_date=date(2027, 2, 1) + timedelta(days=i),
                start_time=time(10),
                weeks=4,
                capacity=12,
            )
            for i in range(count)
        )
    elif model is GroupSession:
        make_sessions(
            count, first=soon(), step=timedelta(hours=3), programme=programme, venue=venue
        )
    elif model is InterpreterRequest:
        sessions = make_sessions(
            count, first=soon(), step=timedelta(hours=3), programme=programme, venue=venue
        )
        requester = make_staff(1, team=team)[0]
        InterpreterRequest.objects.bulk_create(
            InterpreterRequest(session=session, language="pl", requested_by=requester)
            for session in sessions
        )
    elif model is Team:
        Team.objects.bulk_create(Team(name=f"QbTeam{next(serial)}") for _ in range(count))
    elif model in (User, Authenticator):
        make_staff(count * (2 if model is Authenticator else 1), team=team)  # every other has MFA


# Each changelist counts its rows twice (Django's filtered and full counts), then reads the
# page of 100; filters and the date hierarchy add a query each.
ADMIN_LISTS = {
    "venue": (Venue, ADMIN_SIGNED_IN + 3),
    "programme": (Programme, ADMIN_SIGNED_IN + 3),
    # + the programme and venue filters, the date range and the years
    "sessionseries": (SessionSeries, ADMIN_SIGNED_IN + 7),
    "groupsession": (GroupSession, ADMIN_SIGNED_IN + 7),
    # + the status, language and how filters are choices (no query)
    "interpreterrequest": (InterpreterRequest, ADMIN_SIGNED_IN + 3),
    "team": (Team, ADMIN_SIGNED_IN + 3),
    "user": (User, ADMIN_SIGNED_IN + 5),  # + the team and group filters
    "authenticator": (Authenticator, ADMIN_SIGNED_IN + 3),
}


@pytest.mark.parametrize("name", ADMIN_LISTS)
def test_django_admin_lists(client, sign_in, team, service_admin, programme, venue, name):
    model, budget = ADMIN_LISTS[name]
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def grow(count):
        grow_admin_rows(model, count, team=team, programme=programme, venue=venue)

    def check(html, size):
        rows = distinct(rf"/django-admin/{opts.app_label}/{opts.model_name}/(\d+)/change/", html)
        assert rows == min(model.objects.count(), 100)

    sign_in(service_admin)
    counts = measure(client, url, grow, check=check)
    assert counts == [budget, budget]


# --- data protection ----------------------------------------------------------------------------
def test_data_protection_index_with_recent_retention_runs(client, sign_in, service_admin, team):
    """The retention rules' due counts and the last ten runs (each naming who ran it)."""

    def grow(count):
        make_referrals(
            count, team=team, status=Status.CLOSED, closed_reason="completed",
            closed_at=timezone.now() - timedelta(days=365 * 7),
        )  # fmt: skip
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=service_admin if i % 2 else None,
                action=AuditAction.RETENTION_RUN,
                detail={"closed_case": next(serial), "never_contacted": 0},
            )
            for i in range(count)
        )

    def check(html, size):
        runs = between(html, 'id="retention-runs"', "</table>")
        assert runs.count("<tr>") == 1 + min(size, 10)
        assert f"<td data-due>{size}</td>" in html

    sign_in(service_admin)
    counts = measure(client, reverse("dataprotection:index"), grow, check=check)
    assert counts == [SIGNED_IN + 3] * 2  # the two rules' counts, the runs (with who)


def test_subject_access_export(client, sign_in, team, amara, programme, venue):
    """Everything about her on one page: a fixed number of queries however much there is."""
    her = make_referrals(1, team=team, assigned_to=amara, status=Status.ACTIVE)[0]
    outcomes = list(ContactOutcome)
    partner = partner_service(name="Talking Therapies", teams=[team])

    def grow(count):
        StatusChange.objects.bulk_create(
            StatusChange(referral=her, from_status="new", to_status="contacting", changed_by=amara)
            for _ in range(count)
        )
        ContactAttempt.objects.bulk_create(
            ContactAttempt(
                referral=her, made_by=amara, channel=Channel.SMS,
                outcome=outcomes[i % len(outcomes)], note=f"QbNote{next(serial)}",
            )
            for i in range(count)
        )  # fmt: skip
        CaseNote.objects.bulk_create(
            CaseNote(referral=her, author=amara, text=f"QbNote{next(serial)}", restricted=i % 2)
            for i in range(count)
        )
        groups = make_sessions(
            count, first=soon(), step=timedelta(hours=3), programme=programme, venue=venue
        )
        booked = make_bookings([(session, her) for session in groups], by=amara)
        Reminder.objects.bulk_create(
            Reminder(
                booking=booking, offset_hours=48, channel=Channel.SMS,
                due_at=booking.session.starts_at - timedelta(hours=48),
                status=ReminderStatus.SENT,
            )
            for booking in booked
        )  # fmt: skip
        AuditEvent.objects.bulk_create(
            AuditEvent(actor=amara, action=AuditAction.VIEWED_CASE, referral=her, team=team)
            for _ in range(count)
        )
        make_partner_referrals([her] * count, service=partner, by=amara, closed_needs=True)
        RiskAssessment.objects.bulk_create(
            RiskAssessment(
                referral=her, tool="dash_ric", assessed_on=timezone.localdate(), score=3,
                level="standard", recorded_by=amara,
            )
            for _ in range(count)
        )  # fmt: skip

    def check(html, size):
        assert distinct(r"QbNote\d+", html) == 2 * size
        assert html.count('class="sa-booking"') == size
        assert distinct(r"QbSummary\d+", html) == size

    sign_in(UserFactory(team=None, roles={Role.DATA_PROTECTION}))
    request = {"request_reference": "SAR-1", "reason": "Asked by letter.", "format": "html"}
    url = reverse("dataprotection:subject_access", args=[her.pk])
    counts = measure(client, url, grow, check=check, params=request, method="post")
    # The case; status changes, attempts, notes, bookings with their reminders and crèche
    # children, the audit trail; the five event tables (with who made each change); her
    # needs, partner referrals with their steps, and risk assessments; the SUBJECT_ACCESS row.
    assert counts[0] == counts[1]
    assert counts == [SIGNED_IN + 18] * 2


# --- her support plan and the partner directory ---------------------------------------------
@pytest.mark.parametrize("viewer_name", ["amara", "lead"])
def test_support_plan(client, sign_in, request, team, amara, lead, viewer_name):
    """Her need with its partner referrals and every step, her risk assessments, and the
    partner services to choose from: each grows by one per row."""
    her = make_referrals(1, team=team, assigned_to=amara, status=Status.ACTIVE)[0]
    need = SupportNeed.objects.create(
        referral=her, kind="mental_health", source="assessment", recorded_by=amara
    )

    def grow(count):
        services = [partner_service(name=f"QbPartner{next(serial)}", teams=[team])
                    for _ in range(count)]  # fmt: skip
        today = timezone.localdate()
        onward = OnwardReferral.objects.bulk_create(
            OnwardReferral(
                referral=her, need=need, service=service, shared_details=["name"],
                consent_given_on=today, consent_version="test", consent_recorded_by=amara,
                summary="QbSummary", sent_on=today,
            )
            for service in services
        )  # fmt: skip
        OnwardReferralStep.objects.bulk_create(
            OnwardReferralStep(onward_referral=o, status="sent", on=today, recorded_by=lead)
            for o in onward
        )
        RiskAssessment.objects.bulk_create(
            RiskAssessment(
                referral=her, tool="dash_ric", assessed_on=today, score=3, level="standard",
                recorded_by=amara,
            )
            for _ in range(count)
        )  # fmt: skip

    def check(html, size):
        assert distinct(r"<strong>QbPartner(\d+)", html) == size  # her referrals
        assert html.count("Standard</strong>") == size  # her risk assessments
        assert html.count(lead.full_name) >= size  # who recorded each step

    sign_in(request.getfixturevalue(viewer_name))
    url = reverse("partners:support_plan", args=[her.pk])
    counts = measure(client, url, grow, check=check)
    # The case (with her team and keyworker), the audit row, her needs (with who recorded
    # them), their partner referrals, the steps (with who recorded them), her risk
    # assessments, the active services and the teams they cover.
    assert counts[0] == counts[1]
    assert counts == [SIGNED_IN + 8] * 2


def test_partner_directory(client, sign_in, team, amara):
    def grow(count):
        for _ in range(count):
            partner_service(name=f"QbPartner{next(serial)}", teams=[team])

    def check(html, size):
        assert distinct(r"QbPartner\d+", html) == size

    sign_in(amara)
    counts = measure(client, reverse("partners:directory"), grow, check=check)
    assert counts == [SIGNED_IN + 3] * 2  # the services (with waiting counts), teams, orgs
