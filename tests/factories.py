import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Team, User
from accounts.services import set_user_roles
from referrals.choices import Source
from referrals.consent import CONSENT_VERSION
from referrals.models import Referral

TEST_PASSWORD = "correct-horse-battery-staple"


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
