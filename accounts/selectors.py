"""Read-only queries about staff and teams."""

from accounts.models import Team, normalise_postcode_district


def team_for_area(*, postcode_district: str = "", local_authority: str = "") -> Team | None:
    """The team covering a postcode district (preferred) or a local authority, if any.

    Referral routing uses ``team_for_referral``, which falls back to the default team."""
    if postcode_district:
        district = normalise_postcode_district(postcode_district)
        team = Team.objects.filter(postcode_districts__contains=[district]).first()
        if team is not None:
            return team
    if local_authority:
        return Team.objects.filter(local_authorities__contains=[local_authority.strip()]).first()
    return None


def team_for_referral(*, postcode_district: str = "", local_authority: str = "") -> Team | None:
    """The team a new referral goes to: the one covering her area, else the default team."""
    return (
        team_for_area(postcode_district=postcode_district, local_authority=local_authority)
        or Team.objects.filter(is_default=True).first()
    )


def all_local_authorities() -> list[str]:
    """Every local authority some team covers, for the "your area" choice."""
    names = Team.objects.values_list("local_authorities", flat=True)
    return sorted({name for team_names in names for name in team_names})
