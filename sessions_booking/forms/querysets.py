"""Which venues, programmes and staff a setup form offers: those in use, plus whatever is
already chosen, so that editing something set up before a change still works."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from sessions_booking.models import Programme, Venue


def active_staff(*, also=()):
    """Staff who may facilitate: active accounts (and whoever is already chosen, so that
    editing something run by a since-deactivated colleague still works)."""
    keep = [person.pk for person in also if person is not None]
    return User.objects.filter(Q(is_active=True) | Q(pk__in=keep)).order_by("full_name", "email")


def programme_label(programme: Programme) -> str:
    """How a programme is offered in a list: women-only is the default, so only the
    exception is spelled out (docs/design.md, safety rule 5)."""
    if programme.women_only:
        return str(programme.name)
    return _("%(name)s (open to everyone, not women-only)") % {"name": programme.name}


def in_use(model, *, also=None):
    keep = [also.pk] if also is not None else []
    return model.objects.filter(Q(is_active=True) | Q(pk__in=keep))


def choice_field(label, *, required_message, required=True, empty_label=None):
    """A choice of venue, programme or facilitator (querysets are set per form)."""
    return forms.ModelChoiceField(
        queryset=Venue.objects.none(),
        label=label,
        required=required,
        empty_label=empty_label,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose from the list: that choice is not in use any more."),
        },
    )


def programme_choice():
    return choice_field(
        _("Programme"), required_message=_("Choose a programme."), empty_label=_("Choose…")
    )


def venue_choice():
    return choice_field(_("Venue"), required_message=_("Choose a venue."), empty_label=_("Choose…"))


def facilitator_choice():
    return choice_field(
        _("Facilitator"),
        required_message=_("Choose a facilitator."),
        required=False,
        empty_label=_("Not decided yet"),
    )
