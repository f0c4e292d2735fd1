"""Twenty demo referrals across both teams, in varied states, needs and priorities."""

import itertools
import random
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import User
from core.choices import Channel
from referrals.choices import Source, Status
from referrals.models import CaseNote, ContactAttempt, Referral, StatusChange
from referrals.rules.consent import CONSENT_VERSION
from referrals.rules.reference import ALPHABET, CODE_LENGTH
from referrals.services.intake import create_referral

# name, postcode district, source, days ago, status, keyworker email, extra answers
# fmt: off
DEMO_REFERRALS = [
    ("Aisha", "B11", Source.SELF, 0, Status.NEW, None, {"safe_now": "no", "abuse_experience": "current"}),
    ("Kasia", "B23", Source.SELF, 1, Status.NEW, None, {"preferred_language": "pl", "needs_interpreter": True}),
    ("Leanne", "B30", Source.PROFESSIONAL, 2, Status.NEW, None, {"pregnant": "yes"}),
    ("Harpreet", "B21", Source.SELF, 3, Status.NEW, None, {"preferred_language": "pa"}),
    ("Ioana", "B9", Source.SELF, 5, Status.CONTACTING, "amara@haven.example", {"preferred_language": "ro", "needs_interpreter": True}),
    ("Gemma", "B44", Source.SELF, 6, Status.CONTACTING, "beata@haven.example", {"housing": "no_home"}),
    ("Farzana", "B10", Source.PROFESSIONAL, 9, Status.ASSESSMENT, "amara@haven.example", {"preferred_language": "bn", "children_at_risk": True}),
    ("Marta", "B12", Source.SELF, 12, Status.ACTIVE, "beata@haven.example", {"preferred_language": "pl"}),
    ("Jodie", "B91", Source.SELF, 15, Status.ACTIVE, "amara@haven.example", {"wants_mental_health_support": True}),
    ("Rukhsana", "B8", Source.SELF, 20, Status.ACTIVE, "beata@haven.example", {"preferred_language": "ur", "abuse_experience": "past"}),
    ("Donna", "B31", Source.SELF, 40, Status.CLOSED, "amara@haven.example", {}),
    ("Nadia", "WS1", Source.SELF, 1, Status.NEW, None, {"safe_now": "not_sure"}),
    ("Tasha", "ST4", Source.SELF, 0, Status.NEW, None, {"abuse_experience": "current"}),
    ("Ewa", "ST1", Source.SELF, 2, Status.NEW, None, {"preferred_language": "pl"}),
    ("Kelly", "ST5", Source.PROFESSIONAL, 4, Status.NEW, None, {"housing": "unsafe"}),
    ("Roxana", "ST3", Source.SELF, 7, Status.CONTACTING, "chloe@haven.example", {"preferred_language": "ro"}),
    ("Shirin", "ST6", Source.SELF, 10, Status.ASSESSMENT, "chloe@haven.example", {"pregnant": "yes"}),
    ("Bogdana", "ST2", Source.SELF, 14, Status.ACTIVE, "chloe@haven.example", {"preferred_language": "ro"}),
    ("Lisa", "ST10", Source.SELF, 25, Status.ACTIVE, "chloe@haven.example", {"wants_mental_health_support": True}),
    ("Sharon", "ST7", Source.PROFESSIONAL, 60, Status.CLOSED, "chloe@haven.example", {}),
]
# fmt: on

REFERRER = {
    "referrer_name": "Dr Helen Price",
    "referrer_organisation": "Moseley Road Surgery",
    "referrer_role": "GP",
    "referrer_phone": "+441214960001",
    "referrer_email": "helen.price@nhs.example",
    "referrer_relationship": "Her GP",
    "referrer_confirmed_consent": True,
}


def demo_reference(index: int) -> str:
    # Fixed codes, so seeding twice finds the same referrals instead of adding more.
    chooser = random.Random(f"haven-demo-{index}")  # noqa: S311 - not a secret  # nosec B311
    return "".join(chooser.choice(ALPHABET) for _ in range(CODE_LENGTH))


def demo_answers(index, name, district, source, extra):
    with_children = index % 3 == 0
    answers = {
        "preferred_name": name,
        "age_range": ["18_24", "25_34", "35_44", "45_54"][index % 4],
        "postcode": district,
        "local_authority": "",
        "safe_channels": [Channel.CALL, Channel.SMS] if index % 4 else [Channel.EMAIL],
        "phone": f"+4479111234{index:02d}",
        "email": f"{name.lower()}@example.org",
        "safe_days": [0, 1, 2, 3, 4] if index % 2 else [],
        "if_someone_else_answers": "Say it's the dentist and you'll call back.",
        "may_name_service": index % 5 == 0,
        "safe_now": "yes",
        "abuse_experience": "prefer_not",
        "substances": [["alcohol"], ["cocaine", "alcohol"], ["opioids"], ["prescription"]][
            index % 4
        ],
        "children_count": 2 if with_children else 0,
        "children_ages": [3, 7] if with_children else [],
        "needs_childcare": with_children,
        "group_interests": ["recovery", "mothers"] if with_children else ["recovery"],
        "consent_to_store": True,
        "consent_to_contact": True,
        "consent_to_share": index % 2 == 0,
        "consent_version": CONSENT_VERSION,
        **extra,
    }
    if source == Source.PROFESSIONAL:
        answers.update(REFERRER)
    return answers


def seed(stdout):
    keyworkers = {
        user.email: user for user in User.objects.filter(email__endswith="@haven.example")
    }
    now = timezone.now()
    created = 0
    for index, (name, district, source, days_ago, status, keyworker, extra) in enumerate(
        DEMO_REFERRALS
    ):
        reference = demo_reference(index)
        referral = Referral.objects.filter(reference=reference).first()
        if referral is None:
            referral = create_referral(
                answers=demo_answers(index, name, district, source, extra),
                source=source,
                reference=reference,
                notify=False,
            )
            created += 1
            keyworker_user = keyworkers.get(keyworker)
            Referral.objects.filter(pk=referral.pk).update(
                status=status,
                assigned_to=keyworker_user,
                assigned_at=now - timedelta(days=max(days_ago - 1, 0)) if keyworker_user else None,
                closed_reason="completed" if status == Status.CLOSED else "",
                closed_at=now - timedelta(days=2) if status == Status.CLOSED else None,
                next_contact_on=NEXT_CONTACT.get(index),
                created_at=now - timedelta(days=days_ago, hours=index),
            )
            if keyworker_user:
                seed_case_history(referral, keyworker_user, status, days_ago, index)
    stdout.write(f"  referrals: {len(DEMO_REFERRALS)} ({created} new)")
    seed_retention_examples(stdout, keyworkers, now)


PATH = [Status.NEW, Status.CONTACTING, Status.ASSESSMENT, Status.ACTIVE]
# index -> next contact date (relative to today): one overdue, two due today, one later.
NEXT_CONTACT = {
    4: timezone.localdate() - timedelta(days=1),
    5: timezone.localdate(),
    15: timezone.localdate(),
    8: timezone.localdate() + timedelta(days=3),
}


def seed_case_history(referral, keyworker, status, days_ago, index):
    """Status changes, contact attempts and notes, as if the keyworker had done the work."""
    at = timezone.now() - timedelta(days=max(days_ago - 1, 0))
    steps = PATH[: PATH.index(status) + 1] if status in PATH else [*PATH, Status.CLOSED]
    channel = referral.safe_channels[0]
    for source, target in itertools.pairwise(steps):
        if target == Status.ASSESSMENT:
            ContactAttempt.objects.create(
                referral=referral,
                made_by=keyworker,
                made_at=at,
                channel=channel,
                outcome="spoke",
                note="Talked through what would help; she can talk on weekday mornings.",
            )
        StatusChange.objects.create(
            referral=referral,
            from_status=source,
            to_status=target,
            changed_by=keyworker,
            changed_at=at,
            closed_reason="completed" if target == Status.CLOSED else "",
        )
        at += timedelta(hours=20)
    if status == Status.CONTACTING:
        for hours in (30, 54):
            ContactAttempt.objects.create(
                referral=referral,
                made_by=keyworker,
                channel=channel,
                outcome="no_answer",
                made_at=timezone.now() - timedelta(hours=hours),
            )
    if status in (Status.ASSESSMENT, Status.ACTIVE):
        CaseNote.objects.create(
            referral=referral,
            author=keyworker,
            text="Would like the mothers' group; needs crèche.",
        )
    if index in (6, 9):
        CaseNote.objects.create(
            referral=referral,
            author=keyworker,
            restricted=True,
            text="Ex-partner has been asking about her at the school gate. Agreed safety plan.",
        )


# Two cases the data protection page's "Run retention now" anonymises (and nothing else in
# the demo): one closed more than six years ago, one self-referral from thirteen months ago
# whom nobody ever reached (in the Stoke team, so the groups demo books her into nothing).
# Nightly retention runs at 03:17, so they wait for an admin.
RETENTION_EXAMPLES = [
    # index, name, postcode district, keyworker
    (100, "Claire", "B13", "amara@haven.example"),
    (101, "Mandy", "ST8", "chloe@haven.example"),
]


def seed_retention_examples(stdout, keyworkers, now):
    created = 0
    for index, name, district, keyworker_email in RETENTION_EXAMPLES:
        reference = demo_reference(index)
        if Referral.objects.filter(reference=reference).exists():
            continue
        referral = create_referral(
            answers=demo_answers(index, name, district, Source.SELF, {}),
            source=Source.SELF,
            reference=reference,
            notify=False,
        )
        created += 1
        keyworker = keyworkers.get(keyworker_email)
        if index == 100:
            received = now - relativedelta(years=7)
            closed = now - relativedelta(years=6, months=2)
            Referral.objects.filter(pk=referral.pk).update(
                created_at=received, team_notified_at=received, status=Status.CLOSED,
                assigned_to=keyworker, assigned_at=received + timedelta(days=1),
                closed_reason="completed", closed_at=closed,
            )  # fmt: skip
            for when, source_status, target in (
                (received + timedelta(days=1), Status.NEW, Status.CONTACTING),
                (received + timedelta(days=2), Status.CONTACTING, Status.ASSESSMENT),
                (received + timedelta(days=9), Status.ASSESSMENT, Status.ACTIVE),
                (closed, Status.ACTIVE, Status.CLOSED),
            ):
                StatusChange.objects.create(
                    referral=referral, from_status=source_status, to_status=target,
                    changed_by=keyworker, changed_at=when,
                    closed_reason="completed" if target == Status.CLOSED else "",
                )  # fmt: skip
            ContactAttempt.objects.create(
                referral=referral, made_by=keyworker, made_at=received + timedelta(days=2),
                channel=referral.safe_channels[0], outcome="spoke",
                note="Talked through the recovery group; she would like to start next month.",
            )  # fmt: skip
            CaseNote.objects.create(
                referral=referral, author=keyworker, created_at=closed,
                text="Completed the twelve-week group. Closing with her agreement.",
            )  # fmt: skip
        else:
            received = now - relativedelta(months=13)
            Referral.objects.filter(pk=referral.pk).update(
                created_at=received, team_notified_at=received, status=Status.CONTACTING,
                assigned_to=keyworker, assigned_at=received + timedelta(days=1),
            )  # fmt: skip
            StatusChange.objects.create(
                referral=referral, from_status=Status.NEW, to_status=Status.CONTACTING,
                changed_by=keyworker, changed_at=received + timedelta(days=1),
            )  # fmt: skip
            for days in (1, 3, 8):
                ContactAttempt.objects.create(
                    referral=referral, made_by=keyworker,
                    made_at=received + timedelta(days=days),
                    channel=referral.safe_channels[0], outcome="no_answer",
                )  # fmt: skip
    stdout.write(f"  retention examples: {len(RETENTION_EXAMPLES)} ({created} new)")
