"""Her support plan and the partner directory in the browser's terms: who may see and do
what, a refused referral that keeps everything typed, the chase list on the staff home
page, and the case page's flags and link."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEvent
from core.permissions import Role
from partners.choices import OnwardStatus, RiskLevel
from partners.models import OnwardReferral, PartnerService
from partners.services import support
from tests.support.access import HIDDEN, LOGIN, MFA, OK, outcome
from tests.support.factories import UserFactory, enable_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(team, amara, beata, lead, service_admin):
    other_lead = enable_mfa(UserFactory(roles={Role.TEAM_LEAD}))  # another team
    dpo = enable_mfa(UserFactory(team=None, roles={Role.DATA_PROTECTION}))
    no_mfa = UserFactory(team=team, roles={Role.KEYWORKER})
    return {
        "amara": amara, "beata": beata, "lead": lead, "other_lead": other_lead,
        "service_admin": enable_mfa(service_admin), "dpo": dpo, "no_mfa": no_mfa,
    }  # fmt: skip


# Her keyworker (amara) and her team's lead only; a colleague, another team's lead, service
# admins and the data-protection role get 404.
SUPPORT_PLAN = {
    "anonymous": LOGIN, "no_mfa": MFA, "amara": OK, "lead": OK, "beata": HIDDEN,
    "other_lead": HIDDEN, "service_admin": HIDDEN, "dpo": HIDDEN,
}  # fmt: skip


@pytest.mark.parametrize("who", list(SUPPORT_PLAN))
def test_her_support_plan_is_for_her_keyworker_and_team_lead(client, people, her, who):
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get(reverse("partners:support_plan", args=[her.pk]))
    assert outcome(response) == SUPPORT_PLAN[who]
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEWED_CASE, referral=her)
    assert viewed.filter(detail__page="support").exists() == (SUPPORT_PLAN[who] == OK)


DIRECTORY = {
    "anonymous": LOGIN, "no_mfa": MFA, "amara": OK, "lead": OK, "beata": OK,
    "other_lead": OK, "service_admin": OK, "dpo": HIDDEN,
}  # fmt: skip


@pytest.mark.parametrize("who", list(DIRECTORY))
def test_the_directory_is_read_by_casework_staff_and_kept_by_service_admins(
    client, people, talking_therapies, who
):
    if who != "anonymous":
        client.force_login(people[who])
    listing = client.get(reverse("partners:directory"))
    assert outcome(listing) == DIRECTORY[who]
    edit = reverse("partners:service_edit", args=[talking_therapies.pk])
    may_edit = who == "service_admin"
    if DIRECTORY[who] == OK:
        assert ("Talking Therapies" in listing.content.decode()) is True
        assert (edit in listing.content.decode()) is may_edit
    expected = {"anonymous": LOGIN, "no_mfa": MFA, "service_admin": OK}.get(who, HIDDEN)
    organisation = reverse("partners:organisation_edit", args=[talking_therapies.organisation.pk])
    others = (reverse("partners:service_new"), reverse("partners:organisation_new"), organisation)
    for url in (edit, *others):
        assert outcome(client.get(url)) == expected, url


def test_a_service_admin_adds_a_partner_service_and_it_is_audited(
    client, people, talking_therapies, team
):
    client.force_login(people["service_admin"])
    answers = {
        "organisation": talking_therapies.organisation.pk, "name": "Refuge outreach",
        "kind": "domestic_abuse", "teams": [team.pk], "local_authorities": "Sandwell, Dudley",
        "women_only": "on", "languages": ["en", "ur"], "how_to_refer": "phone",
        "referral_contact": "0121 496 0999", "usual_wait_days": "5", "is_active": "on",
    }  # fmt: skip
    response = client.post(reverse("partners:service_new"), answers)
    assert response.status_code == 302
    added = PartnerService.objects.get(name="Refuge outreach")
    assert added.local_authorities == ["Sandwell", "Dudley"]
    assert list(added.teams.all()) == [team]
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGED_PARTNERS, detail__service=added.pk
    ).exists()
    # No area at all: refused with a reason, and what she typed is still there.
    response = client.post(
        reverse("partners:service_new"),
        {**answers, "name": "Nowhere", "teams": [], "local_authorities": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the teams or name the local authorities" in html
    assert 'value="0121 496 0999"' in html


def test_a_service_admin_renames_an_organisation_and_it_is_audited(
    client, people, talking_therapies
):
    organisation = talking_therapies.organisation
    client.force_login(people["service_admin"])
    url = reverse("partners:organisation_edit", args=[organisation.pk])
    response = client.post(url, {"name": "Talking Therapies NHS", "website": ""})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Talking Therapies NHS"
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGED_PARTNERS, detail__organisation=organisation.pk
    ).exists()
    response = client.post(url, {"name": "", "website": "not a web address"})
    assert response.status_code == 400
    assert 'value="not a web address"' in response.content.decode()


def test_a_keyworker_cannot_add_to_the_directory(client, people, talking_therapies):
    client.force_login(people["amara"])
    response = client.post(
        reverse("partners:service_edit", args=[talking_therapies.pk]), {"name": "Renamed"}
    )
    assert response.status_code == 404
    assert PartnerService.objects.get(pk=talking_therapies.pk).name == "Talking Therapies"


def test_a_referral_without_consent_is_refused_and_keeps_what_was_chosen(
    client, people, her, mental_health_need, talking_therapies
):
    client.force_login(people["amara"])
    answers = {
        "need": mental_health_need.pk, "service": talking_therapies.pk,
        "shared_details": ["name", "contact"], "sent_on": timezone.localdate().isoformat(),
    }  # fmt: skip
    response = client.post(reverse("partners:refer", args=[her.pk]), answers)
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Record her consent to share before referring her." in html
    assert f'<option value="{talking_therapies.pk}" selected>' in html
    checked = re.findall(
        r'<input type="checkbox" name="shared_details" value="(\w+)"[^>]*checked', html
    )
    assert checked == ["name", "contact"]
    assert not OnwardReferral.objects.exists()


def test_a_partner_outside_her_area_is_refused_with_its_name(
    client, people, her, mental_health_need, far_away
):
    client.force_login(people["amara"])
    response = client.post(
        reverse("partners:refer", args=[her.pk]),
        {
            "need": mental_health_need.pk, "service": far_away.pk, "shared_details": ["name"],
            "consent_given": "on", "sent_on": timezone.localdate().isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert "Far Away Therapies does not cover her area" in response.content.decode()
    assert "(does not cover her area)" in response.content.decode()


def test_the_keyworkers_journey_on_the_page(client, people, her, talking_therapies, settings):
    settings.PARTNER_CHASE_WORKING_DAYS = 0  # due the day it is sent, to see it at once
    client.force_login(people["amara"])
    plan = reverse("partners:support_plan", args=[her.pk])
    page = client.get(plan).content.decode()
    assert "She asked for this on her referral" in page  # she wants mental-health support
    client.post(reverse("partners:need_from_referral", args=[her.pk]), {"kind": "mental_health"})
    need = her.support_needs.get()
    today = timezone.localdate()
    response = client.post(
        reverse("partners:refer", args=[her.pk]),
        {"need": need.pk, "service": talking_therapies.pk, "shared_details": ["name", "need"],
         "consent_given": "on", "sent_on": today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    onward = OnwardReferral.objects.get()
    home = client.get(reverse("home:staff_home")).content.decode()
    assert "chase Talking Therapies Trust (Talking Therapies)" in home
    client.post(reverse("partners:chase", args=[her.pk, onward.pk]))
    response = client.post(
        reverse("partners:record_step", args=[her.pk, onward.pk]),
        {f"step-{onward.pk}-status": "appointment_offered", f"step-{onward.pk}-on": today,
         f"step-{onward.pk}-appointment_on": today + timedelta(days=9)},
    )  # fmt: skip
    assert response.status_code == 302
    onward.refresh_from_db()
    assert (onward.status, onward.appointment_on) == (
        OnwardStatus.APPOINTMENT_OFFERED,
        today + timedelta(days=9),
    )
    assert "chase Talking" not in client.get(reverse("home:staff_home")).content.decode()
    # A bad date: refused on the page, with the reason.
    response = client.post(
        reverse("partners:record_step", args=[her.pk, onward.pk]),
        {f"step-{onward.pk}-status": "support_started",
         f"step-{onward.pk}-on": today - timedelta(days=30)},
    )  # fmt: skip
    assert response.status_code == 400
    assert "cannot be before" in response.content.decode()


def test_the_case_page_shows_the_risk_flag_and_links_to_the_plan(client, people, her):
    support.record_risk_assessment(
        actor=people["amara"], referral_id=her.pk, tool="dash_ric",
        assessed_on=timezone.localdate(), score=16, level=RiskLevel.HIGH,
    )  # fmt: skip
    client.force_login(people["amara"])
    page = client.get(reverse("referrals:case_detail", args=[her.pk])).content.decode()
    assert "Safeguarding: high risk of domestic abuse" in page
    assert "High risk: refer her to MARAC." in page
    assert reverse("partners:support_plan", args=[her.pk]) in page
