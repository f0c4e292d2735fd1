"""The one exception a rule raises to say no."""


class Refused(Exception):
    """A rule refused what a member of staff (or she, through her link) asked for. The
    message is written for the person who asked, and views show it as it is, beside the
    form they filled in, with everything they typed kept."""
