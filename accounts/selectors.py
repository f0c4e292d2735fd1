"""Read-only queries about staff and teams."""

from accounts.models import Team, normalise_postcode_district


def team_for_area(*, postcode_district: str = "", local_authority: str = "") -> Team | None:
    """The team covering a postcode district (preferred) or a local authority, if any."""
    if postcode_district:
        district = normalise_postcode_district(postcode_district)
        team = Team.objects.filter(postcode_districts__contains=[district]).first()
        if team is not None:
            return team
    if local_authority:
        return Team.objects.filter(local_authorities__contains=[local_authority.strip()]).first()
    return None
