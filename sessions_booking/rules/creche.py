"""Crèche ratios: may these children join the crèche at this session? Pure: decides, never writes.

England's EYFS ratios for group settings, by a child's age on the day of the session:
under 2, one crèche worker to 3 children; aged 2, one to 5; aged 3 and over, one to 8.
Mixed ages are counted conservatively, each age band on its own, and the workers needed are
the sum (docs/design.md, *Crèche ratios*):

    workers needed = ceil(under 2 / 3) + ceil(aged 2 / 5) + ceil(3 and over / 8)

A child fits only while that stays within the session's crèche workers and the children stay
within its room limit. A child whose age was not given (bookings made before ages were
asked) is counted as under 2, the band needing most care, so an old booking can only make
the rule stricter, never looser.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

UNDER_TWO = "under_2"
AGED_TWO = "aged_2"
THREE_PLUS = "3_plus"
BANDS = (UNDER_TWO, AGED_TWO, THREE_PLUS)
# Children per crèche worker, by band.
RATIO = {UNDER_TWO: 3, AGED_TWO: 5, THREE_PLUS: 8}
# The crèche takes children up to 8 on the day of the session.
OLDEST = 8


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on ``day``; a child born on 29 February turns a year older on
    1 March in a year without one."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def age_band(*, age_in_years: int | None) -> str:
    if age_in_years is None or age_in_years < 2:
        return UNDER_TWO
    if age_in_years == 2:
        return AGED_TWO
    return THREE_PLUS


@dataclass(frozen=True)
class Children:
    """How many children in each age band."""

    under_2: int = 0
    aged_2: int = 0
    three_plus: int = 0

    @classmethod
    def of_bands(cls, bands) -> "Children":
        bands = list(bands)
        return cls(bands.count(UNDER_TWO), bands.count(AGED_TWO), bands.count(THREE_PLUS))

    def __add__(self, other: "Children") -> "Children":
        return Children(
            self.under_2 + other.under_2,
            self.aged_2 + other.aged_2,
            self.three_plus + other.three_plus,
        )

    @property
    def total(self) -> int:
        return self.under_2 + self.aged_2 + self.three_plus


def workers_needed(children: Children) -> int:
    return (
        math.ceil(children.under_2 / RATIO[UNDER_TWO])
        + math.ceil(children.aged_2 / RATIO[AGED_TWO])
        + math.ceil(children.three_plus / RATIO[THREE_PLUS])
    )


def workers_for_any_ages(room_limit: int) -> int:
    """Enough workers for a full room of babies: what a crèche described only by its places
    (before ratios) is given, so no child it took is turned away."""
    return math.ceil(room_limit / RATIO[UNDER_TWO])


def fits(*, confirmed: Children, adding: Children, workers: int, room_limit: int) -> bool:
    together = confirmed + adding
    return together.total <= room_limit and workers_needed(together) <= workers


def room_for(*, confirmed: Children, workers: int, room_limit: int) -> Children:
    """How many more children of each band could join on their own (one band at a time)."""

    def most(band_child: Children) -> int:
        count = 0
        while count < room_limit and fits(
            confirmed=confirmed,
            adding=Children(
                band_child.under_2 * (count + 1),
                band_child.aged_2 * (count + 1),
                band_child.three_plus * (count + 1),
            ),
            workers=workers,
            room_limit=room_limit,
        ):
            count += 1
        return count

    return Children(most(Children(1, 0, 0)), most(Children(0, 1, 0)), most(Children(0, 0, 1)))


BAND_NAMES = {
    UNDER_TWO: lambda n: ngettext("%(n)s child under 2", "%(n)s children under 2", n),
    AGED_TWO: lambda n: ngettext("%(n)s child aged 2", "%(n)s children aged 2", n),
    THREE_PLUS: lambda n: ngettext(
        "%(n)s child aged 3 or over", "%(n)s children aged 3 or over", n
    ),
}


def describe_room(room: Children) -> str:
    """The crèche's room in plain words: "room for 1 child aged 3 or over, none under 2"."""
    counts = dict(zip(BANDS, (room.under_2, room.aged_2, room.three_plus), strict=True))
    if not any(counts.values()):
        return _("the crèche is full for every age")
    free = [BAND_NAMES[band](n) % {"n": n} for band, n in counts.items() if n]
    full = [band for band, n in counts.items() if not n]
    text = _("the crèche has room for %(free)s") % {"free": _(" or ").join(free)}
    if UNDER_TWO in full:
        text += _(", not a baby or a child under 2")
    elif AGED_TWO in full:
        text += _(", not a child aged 2")
    elif THREE_PLUS in full:
        text += _(", not a child aged 3 or over")
    return text


def why_not(*, confirmed: Children, adding: Children, workers: int, room_limit: int) -> str | None:
    """Why these children do not fit, in plain words; None when they do."""
    if fits(confirmed=confirmed, adding=adding, workers=workers, room_limit=room_limit):
        return None
    room = room_for(confirmed=confirmed, workers=workers, room_limit=room_limit)
    together = confirmed + adding
    if together.total > room_limit:
        reason = ngettext(
            "the room takes %(limit)s child and %(taken)s already has a place",
            "the room takes %(limit)s children and %(taken)s already have places",
            room_limit,
        ) % {"limit": room_limit, "taken": confirmed.total}
    else:
        needed = workers_needed(together)
        reason = ngettext(
            "with her children there would need to be %(needed)s crèche worker",
            "with her children there would need to be %(needed)s crèche workers",
            needed,
        ) % {"needed": needed}
        reason += ngettext(" and there is %(workers)s", " and there are %(workers)s", workers) % {
            "workers": workers
        }
    return _("Her children do not fit in the crèche: %(reason)s (%(room)s).") % {
        "reason": reason,
        "room": describe_room(room),
    }


def check_child_age(
    *, date_of_birth: date | None, age_in_years: int | None, on: date
) -> str | None:
    """What is wrong with a child's age for a session on ``on``, or None."""
    if date_of_birth is not None:
        if date_of_birth > on:
            return _("A date of birth (%(born)s) is after the session's day. Check the date.") % {
                "born": date_of_birth.strftime("%d/%m/%Y")
            }
        age_in_years = age_on(date_of_birth, on)
    if age_in_years is not None and age_in_years > OLDEST:
        return _(
            "A child would be %(age)s on the day of the session; the crèche takes children up "
            "to %(oldest)s."
        ) % {"age": age_in_years, "oldest": OLDEST}
    return None


def age_at_session(*, date_of_birth: date | None, age_in_years: int | None, on: date):
    if date_of_birth is not None:
        return age_on(date_of_birth, on)
    return age_in_years
