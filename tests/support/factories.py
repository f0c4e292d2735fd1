from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Team, User
from accounts.services.staff import set_user_roles
from partners.models import PartnerOrganisation, PartnerService
from referrals.choices import Source
from referrals.models import Referral
from referrals.rules.consent import CONSENT_VERSION

TEST_PASSWORD = "correct-horse-battery-staple"
# Base32 secret for TOTP in tests; codes are computed from it with allauth's own functions.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_mfa(user, secret=TEST_TOTP_SECRET):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return user


def current_totp_code(secret=TEST_TOTP_SECRET) -> str:
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    postcode_districts = factory.Sequence(lambda n: [f"B{n % 99 + 1}"])
    local_authorities = factory.LazyAttribute(lambda team: [f"{team.name} council"])


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@haven.test")
    full_name = factory.Faker("name", locale="en_GB")
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if create and extracted:
            set_user_roles(user=self, roles=set(extracted))


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    source = Source.SELF
    team = factory.SubFactory(TeamFactory)
    preferred_name = factory.Faker("first_name_female", locale="en_GB")
    age_range = "25_34"
    safe_now = "yes"
    safe_channels = factory.LazyFunction(lambda: ["sms"])
    phone = "+447911123456"
    consent_to_store = True
    consent_to_contact = True
    consent_version = CONSENT_VERSION
    consent_given_at = factory.LazyFunction(timezone.now)


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = "sessions_booking.Venue"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "12 High Street\nBirmingham B12 9QL"
    women_only_building = True
    creche_on_site = True
    step_free = True


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = "sessions_booking.Programme"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Programme {n}")
    description = "A women's recovery group."


class GroupSessionFactory(DjangoModelFactory):
    """A session a week from now, 10:00 to 12:00, 12 places and 4 crèche places."""

    class Meta:
        model = "sessions_booking.GroupSession"

    programme = factory.SubFactory(ProgrammeFactory)
    venue = factory.SubFactory(VenueFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    booking_cutoff = factory.LazyAttribute(lambda s: s.starts_at - timedelta(hours=2))
    capacity = 12
    creche_places = 4


def partner_service(*, name, kind="mental_health", teams=(), areas=(), wait=42):
    """A partner service (and its organisation) covering these teams or local authorities."""
    organisation, _ = PartnerOrganisation.objects.get_or_create(name=f"{name} Trust")
    service = PartnerService.objects.create(
        organisation=organisation, name=name, kind=kind, local_authorities=list(areas),
        how_to_refer="secure_email", referral_contact="referrals@partner.example",
        usual_wait_days=wait,
    )  # fmt: skip
    service.teams.set(teams)
    return service
