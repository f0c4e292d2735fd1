"""The public referral forms: self-referral at /refer/ and professional referral at
/refer/professional/. Answers are kept server-side (formtools' session storage, in
PostgreSQL) between steps; nothing is kept in the browser.

A visitor who has only looked at the form has no session: it is made by her first answer
(a POST). Opening the form is the busiest public request, and a session row for every
visitor who only looks cost a quarter of it."""

import logging
import time
import uuid

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited
from formtools.wizard.storage.session import SessionStorage
from formtools.wizard.views import NamedUrlSessionWizardView

from accounts.selectors import all_local_authorities
from core.languages import SWITCH_FIELD, language_codes
from referrals.choices import Priority, SafeNow, Source
from referrals.forms.need_steps import (
    ChildrenForm,
    HealthForm,
    LanguageAndGroupsForm,
    WhatWouldHelpForm,
)
from referrals.forms.steps import (
    AboutYouForm,
    CheckAnswersForm,
    ConsentForm,
    KeepingSafeForm,
    ProfessionalConsentForm,
    ReferrerForm,
    SafeTimesForm,
)
from referrals.forms.summary import answer_rows
from referrals.rules.reference import format_reference_code, spell_reference_code
from referrals.services.intake import create_referral
from referrals.views.first_visit import kept_for_new_visitors

logger = logging.getLogger(__name__)

CONFIRMATION_SESSION_KEY = "public:referral_confirmation"
STARTED_SALT = "referrals.public.started"


def new_started_token() -> str:
    """The moment the page is drawn, signed: carried by the page until her first answer."""
    return signing.dumps(time.time(), salt=STARTED_SALT, compress=False)


class FirstAnswerSessionStorage(SessionStorage):
    """formtools' session storage, except that a GET from a visitor with nothing stored
    yet keeps the (empty) wizard state in memory for that request only: looking at the
    form creates no session. Any other request stores it in the session as formtools does;
    so does a GET once she has answered something."""

    def __init__(self, prefix, request=None, file_storage=None):
        self.in_memory = None  # before SessionStorage's init_data sets the data
        super().__init__(prefix, request, file_storage)

    def _get_data(self):
        if self.in_memory is not None:
            return self.in_memory
        return super()._get_data()

    def _set_data(self, value):
        if self.request.method in ("GET", "HEAD") and self.prefix not in self.request.session:
            self.in_memory = value
        else:
            self.in_memory = None
            super()._set_data(value)

    data = property(_get_data, _set_data)


class ReferralWizard(NamedUrlSessionWizardView):
    """Steps a woman (or a professional) can move back and forth through, losing nothing.

    Differences from formtools' defaults, each for her safety or her time:
    - a GET never throws answers away (reload, the browser's Back button, a language switch);
    - "Back" and "Change" save what she typed on the current step, even if incomplete;
    - a step revisited by GET shows her answers without error messages; errors show when she
      presses Continue, or when the final check sends her back to a step;
    - only a POST from the check step submits; spam and rate-limit checks run first and keep
      every answer if they stop the submission.
    """

    template_name = "referrals/step.html"
    storage_name = "referrals.views.public.FirstAnswerSessionStorage"
    source = Source.SELF
    honeypot_step = "about"

    def get_form_kwargs(self, step=None):
        if step == "about":
            return {"local_authorities": all_local_authorities()}
        return {}

    # --- keeping her answers -----------------------------------------------------------
    def extra(self) -> dict:
        return dict(self.storage.extra_data or {})

    def set_extra(self, **values) -> None:
        self.storage.extra_data = {**self.extra(), **values}

    def get(self, request, *args, **kwargs):
        if kwargs.get("step") == self.done_step_name:
            return redirect(self.get_step_url(self.steps.last))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # formtools trusts the hidden current_step field; a value naming no step of this
        # form (tampered with, or from an old page) shows her current step again, answers kept.
        posted_step = request.POST.get(f"{self.prefix}-current_step")
        if posted_step and posted_step not in self.get_form_list():
            return redirect(self.get_step_url(self.steps.current))
        if posted_step == self.steps.last and self.already_sent():
            # Send pressed again after it went through (a double press): her answers are
            # gone from the session, her confirmation is waiting. Show it, store nothing.
            return redirect("public:referral_confirmation")
        if "started_at" not in self.extra():
            # Her first answer: the session starts now, and remembers when she opened the
            # form (for the too-fast check) from the page she posted.
            self.set_extra(started_at=self.started_from_page())
            if posted_step:  # she may have opened any step's address first
                self.storage.current_step = posted_step
        if SWITCH_FIELD in request.POST:
            return self.switch_language(request.POST[SWITCH_FIELD], posted_step)
        return super().post(request, *args, **kwargs)

    def switch_language(self, language: str, posted_step: str | None):
        """The language switcher's buttons post this form: what she typed on this step is
        kept (unchecked, as "Back" keeps it) and the same step opens in the other language,
        at that language's address. Her answers live in the session, whatever the address."""
        if posted_step:
            self.storage.current_step = posted_step
        step = self.steps.current
        form = self.get_form(step=step, data=self.request.POST, files=self.request.FILES)
        self.storage.set_step_data(step, self.process_step(form))
        if language not in language_codes():
            language = get_language()
        with translation.override(language):
            return redirect(self.get_step_url(step))

    def already_sent(self) -> bool:
        return CONFIRMATION_SESSION_KEY in self.request.session and not self.storage.data.get(
            self.storage.step_data_key
        )

    def submission_key(self) -> str:
        """One key per filling-in, kept with her answers from the moment the check page is
        drawn: sending twice, or again after an error, stores one referral."""
        key = self.extra().get("submission_key")
        if not key:
            key = str(uuid.uuid4())
            self.set_extra(submission_key=key)
        return key

    def get_form_step_data(self, form):
        """What is kept of a posted step: only the values of the step's own fields. A posted
        name no step defines (the CSRF token, the language button, anything made up) is
        dropped, never stored in her session."""
        kept = MultiValueDict()
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            parts = getattr(field.widget, "widgets_names", [""])  # a MultiWidget's inputs
            for posted in (f"{key}{part}" for part in parts):
                if posted in form.data:
                    kept.setlist(posted, form.data.getlist(posted))
        return kept

    # --- when she started, before there is a session -------------------------------------
    @property
    def started_field(self) -> str:
        return f"{self.prefix}-started"

    def started_token(self) -> str:
        return new_started_token()

    def started_from_page(self) -> float:
        """When the page she posted was drawn, from its signed hidden field; now if the
        field is missing, tampered with or older than a session would have lasted."""
        now = time.time()
        try:
            started = float(
                signing.loads(
                    self.request.POST.get(self.started_field, ""),
                    salt=STARTED_SALT,
                    max_age=settings.SESSION_COOKIE_AGE,
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            return now
        return min(started, now)

    def render_goto_step(self, goto_step, **kwargs):
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        self.storage.set_step_data(self.steps.current, self.process_step(form))
        return super().render_goto_step(goto_step, **kwargs)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        self.set_extra(show_errors_for=failed_step)
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def render(self, form=None, **kwargs):
        if self.request.method == "GET" and form is not None and form.is_bound:
            if self.extra().get("show_errors_for") == self.steps.current:
                self.set_extra(show_errors_for=None)
            else:
                form = self.form_showing_answers(form)
        return super().render(form, **kwargs)

    def form_showing_answers(self, bound_form):
        """An unbound form pre-filled with a bound form's raw answers: shows what she typed
        without complaining about what she has not finished yet."""
        form = self.get_form(step=self.steps.current)
        form.initial = {
            name: field.widget.value_from_datadict(
                bound_form.data, bound_form.files, bound_form.add_prefix(name)
            )
            for name, field in form.fields.items()
        }
        return form

    # --- what each page shows ------------------------------------------------------------
    def stored_answer(self, step: str, field: str):
        data = self.storage.get_step_data(step)
        return data.get(f"{step}-{field}") if data else None

    def stored_answer_list(self, step: str, field: str) -> list:
        data = self.storage.get_step_data(step)
        return data.getlist(f"{step}-{field}") if data else []

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(
            step_title=form.title,
            step_number=self.steps.step1,
            step_count=self.steps.count,
            source=self.source,
            not_safe_now=self.stored_answer("support", "safe_now") == SafeNow.NO,
            show_errors=form.is_bound and bool(form.errors),
            # formtools' management form, drawn without a form template (its only field)
            current_step_field=f"{self.prefix}-current_step",
        )
        if "started_at" not in self.extra():
            context.update(started_field=self.started_field, started_token=self.started_token())
        if self.steps.current == self.steps.last:
            context["sections"] = self.answer_sections()
            self.submission_key()
            # Before she sends: with no safe way ticked, we will not be able to contact her.
            context["no_safe_channel"] = not self.stored_answer_list("contact", "safe_channels")
        return context

    def answer_sections(self):
        sections = []
        for step in self.get_form_list():
            if step == self.steps.last:
                continue
            form = self.get_form(step=step, data=self.storage.get_step_data(step))
            complete = form.is_bound and form.is_valid()
            sections.append(
                {
                    "step": step,
                    "title": form.title,
                    "complete": complete,
                    "rows": answer_rows(form) if complete else [],
                }
            )
        return sections

    # --- submitting ----------------------------------------------------------------------
    def render_done(self, form, **kwargs):
        # Called when the check step is posted. Nothing below loses her answers except the
        # honeypot, which only a bot fills in.
        if self.stored_answer(self.honeypot_step, "website"):
            logger.warning("referral form: honeypot filled in; submission dropped quietly")
            self.storage.reset()
            return render(self.request, "referrals/received.html")
        started_at = self.extra().get("started_at") or time.time()
        too_fast = time.time() - started_at < settings.REFERRAL_MIN_SECONDS_TO_FILL
        if too_fast and not self.extra().get("confirmed_not_too_fast"):
            self.set_extra(confirmed_not_too_fast=True)
            return self.render(form, submit_problem="too_fast")
        if is_ratelimited(
            self.request,
            group="referral-submit",
            key="ip",
            rate=settings.REFERRAL_SUBMIT_RATE,
            method="POST",
            increment=True,
        ):
            return self.render(form, submit_problem="rate_limited")
        # She sends from the check step's own address: this POST is the done step, not the
        # separate done address NamedUrlWizardView would first redirect to (which this
        # wizard never shows: a GET there goes back to the check step).
        return super().render_done(form, **{**kwargs, "step": self.done_step_name})

    def done(self, form_list, **kwargs):
        answers = {}
        for step_form in form_list:
            answers.update(step_form.cleaned_data)
        referral = create_referral(
            answers=answers, source=self.source, submission_key=self.submission_key()
        )
        self.request.session[CONFIRMATION_SESSION_KEY] = {
            "reference": referral.reference,
            "not_safe_now": referral.safe_now == SafeNow.NO,
            "priority": referral.priority,
            "safe_channels": referral.safe_channels,
            "source": self.source,
        }
        return redirect("public:referral_confirmation")


class SelfReferralWizard(ReferralWizard):
    form_list = [
        ("about", AboutYouForm),
        ("contact", KeepingSafeForm),
        ("times", SafeTimesForm),
        ("support", WhatWouldHelpForm),
        ("health", HealthForm),
        ("family", ChildrenForm),
        ("groups", LanguageAndGroupsForm),
        ("agreement", ConsentForm),
        ("check", CheckAnswersForm),
    ]


class ProfessionalReferralWizard(ReferralWizard):
    source = Source.PROFESSIONAL
    honeypot_step = "referrer"

    def get_form_kwargs(self, step=None):
        # Her questions, asked of the professional about her (PlainErrorsMixin).
        return {**super().get_form_kwargs(step), "for_referrer": True}

    form_list = [
        ("referrer", ReferrerForm),
        ("about", AboutYouForm),
        ("contact", KeepingSafeForm),
        ("times", SafeTimesForm),
        ("support", WhatWouldHelpForm),
        ("health", HealthForm),
        ("family", ChildrenForm),
        ("groups", LanguageAndGroupsForm),
        ("agreement", ProfessionalConsentForm),
        ("check", CheckAnswersForm),
    ]


# A visitor with no cookies gets pages drawn once per process (referrals/views/first_visit.py).
self_referral = kept_for_new_visitors(
    SelfReferralWizard.as_view(url_name="public:self_referral_step"),
    started_token=new_started_token,
)
professional_referral = kept_for_new_visitors(
    ProfessionalReferralWizard.as_view(url_name="public:professional_referral_step"),
    started_token=new_started_token,
)


@require_safe
def referral_confirmation(request):
    """Shown once, straight after submitting; a reload shows only the crisis numbers."""
    confirmation = request.session.pop(CONFIRMATION_SESSION_KEY, None)
    if confirmation is None:
        return render(request, "referrals/confirmation_expired.html")
    code = confirmation["reference"]
    quick = confirmation["priority"] in (Priority.SAFEGUARDING, Priority.URGENT)
    return render(
        request,
        "referrals/confirmation.html",
        {
            "reference": format_reference_code(code),
            "reference_spelled": spell_reference_code(code),
            "not_safe_now": confirmation["not_safe_now"],
            "contact_within": _("by the end of the next working day")
            if quick
            else _("within 2 working days"),
            "no_safe_channel": not confirmation["safe_channels"],
            "is_professional": confirmation["source"] == Source.PROFESSIONAL,
        },
    )
