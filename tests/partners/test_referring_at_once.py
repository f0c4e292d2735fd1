"""Her keyworker and her team lead refer her to the same partner for the same need at the
same moment: one referral is made, the other is refused (her case's row lock serialises
them, and a partial unique constraint stands behind it)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.refusals import Refused
from partners.choices import NeedSource, SupportKind
from partners.models import OnwardReferral, OnwardReferralStep
from partners.services import support
from referrals.choices import Status
from tests.support.factories import ReferralFactory, partner_service

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_staff_referring_her_at_once_make_one_referral(team, amara, lead):
    her = ReferralFactory(team=team, assigned_to=amara, status=Status.ACTIVE)
    service = partner_service(name="Talking Therapies", teams=[team])
    need = support.record_need(
        actor=amara, referral_id=her.pk, kind=SupportKind.MENTAL_HEALTH,
        source=NeedSource.ASSESSMENT,
    )  # fmt: skip
    start = threading.Barrier(4)
    made, refused, errors = [], [], []

    def attempt(actor):
        try:
            start.wait()
            made.append(
                support.refer_onward(
                    actor=actor,
                    referral_id=her.pk,
                    need_id=need.pk,
                    service_id=service.pk,
                    shared_details=["name"],
                    consent_given=True,
                    sent_on=timezone.localdate(),
                )
            )
        except Refused as refusal:
            refused.append(str(refusal))
        except Exception as error:  # anything else fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(who,)) for who in (amara, lead) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(made) == 1
    assert len(refused) == 3
    assert all("already has an open referral" in reason for reason in refused)
    assert OnwardReferral.objects.count() == 1
    assert OnwardReferralStep.objects.count() == 1
