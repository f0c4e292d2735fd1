"""Rows in bulk (``bulk_create``): factories would be too slow for hundreds of rows."""

import itertools
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from core.permissions import Role
from partners.models import OnwardReferral, OnwardReferralStep, SupportNeed
from referrals.choices import Source
from referrals.models import Referral
from referrals.rules.consent import CONSENT_VERSION
from sessions_booking.models import SEAT_HOLDING, Booking, BookingStatus, GroupSession

serial = itertools.count(1)


def make_referrals(count, *, team, each=lambda i: {}, **fields) -> list[Referral]:
    now = timezone.now()
    return Referral.objects.bulk_create(
        [
            Referral(
                source=Source.SELF,
                team=team,
                preferred_name=f"QbWoman{next(serial)}",
                age_range="25_34",
                safe_now="yes",
                safe_channels=["sms"],
                phone="+447911123456",
                consent_to_store=True,
                consent_to_contact=True,
                consent_version=CONSENT_VERSION,
                consent_given_at=now,
                **{**fields, **each(i)},
            )
            for i in range(count)
        ]
    )


def make_sessions(count, *, first, step, each=lambda i: {}, **fields) -> list[GroupSession]:
    """``count`` sessions of an hour, ``step`` apart from ``first``."""
    sessions = []
    for i in range(count):
        starts = first + i * step
        values = {"capacity": 1000, "creche_places": 50, **fields, **each(i)}
        sessions.append(
            GroupSession(
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                booking_cutoff=starts - timedelta(hours=2),
                **values,
            )
        )
    return GroupSession.objects.bulk_create(sessions)


def make_bookings(pairs, *, by, each=lambda i: {}) -> list[Booking]:
    """One booking per (session, referral) pair; statuses cycle through every kind that
    holds a seat, then the waiting list."""
    statuses = [*SEAT_HOLDING, BookingStatus.WAITLISTED]
    return Booking.objects.bulk_create(
        [
            Booking(
                session=session,
                referral=referral,
                booked_by=by,
                **{
                    "status": statuses[i % len(statuses)],
                    "children_in_creche": i % 2,
                    "children_ages": [3] if i % 2 else [],
                    "creche_3_plus": i % 2,
                    **each(i),
                },
            )
            for i, (session, referral) in enumerate(pairs)
        ]
    )


def make_staff(count, *, team=None, teams=None, roles=(Role.KEYWORKER,), each=lambda i: {}):
    """Active staff accounts with role groups (and, for every other one, an authenticator)."""
    users = User.objects.bulk_create(
        [
            User(
                email=f"qbstaff{n}@haven.test",
                full_name=f"QbStaff{n}",
                team=teams[i % len(teams)] if teams else team,
                **{"password": "md5$not-a-real-hash", **each(i)},
            )
            for i, n in enumerate(next(serial) for _ in range(count))
        ]
    )
    groups = [Group.objects.get_or_create(name=role.group_name)[0] for role in roles]
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=user.pk, group_id=group.pk)
            for user in users
            for group in groups
        ]
    )
    Authenticator.objects.bulk_create(
        [
            Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused"})
            for user in users[::2]
        ]
    )
    return users


# --- fixtures ---------------------------------------------------------------------------------


def make_partner_referrals(cases, *, service, by, each=lambda i: {}, closed_needs=False):
    """A need of the service's kind and a partner referral, sent today, for each case
    (with ``closed_needs``, needs no longer open, so one case can have many)."""
    today = timezone.localdate()
    closed_at = timezone.now() if closed_needs else None
    needs = SupportNeed.objects.bulk_create(
        SupportNeed(
            referral=case, kind=service.kind, source="assessment", recorded_by=by,
            closed_at=closed_at,
        )
        for case in cases
    )  # fmt: skip
    onward = OnwardReferral.objects.bulk_create(
        OnwardReferral(
            referral=need.referral, need=need, service=service, shared_details=["name"],
            consent_given_on=today, consent_version="test", consent_recorded_by=by,
            summary=f"QbSummary{next(serial)}", sent_on=today, chase_on=today,
            **each(i),
        )
        for i, need in enumerate(needs)
    )  # fmt: skip
    OnwardReferralStep.objects.bulk_create(
        OnwardReferralStep(onward_referral=o, status=o.status, on=o.sent_on, recorded_by=by)
        for o in onward
    )
    return onward
