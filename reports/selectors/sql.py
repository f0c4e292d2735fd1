"""Database functions the dashboard needs that Django does not ship: a duration in days,
and the end of the second working day after a moment."""

from django.conf import settings
from django.db.models import Aggregate, DateTimeField, FloatField, Func, IntegerField


class DaysBetween(Func):
    """Days, with fractions, from ``start`` to ``end`` (two timestamps)."""

    output_field = FloatField()
    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)"
    arg_joiner = " - "

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)


class EndOfSecondWorkingDay(Func):
    """The end of the second working day (Monday to Friday, in the service's time zone)
    after a moment: received Monday, by the end of Wednesday; received Thursday, Friday
    or at the weekend, by the end of the next Monday or Tuesday. Bank holidays count as
    working days."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        moment, params = compiler.compile(self.source_expressions[0])
        local = f"({moment} AT TIME ZONE %s)"
        # The next local midnight after the second working day: days to add to the local
        # date, by ISO weekday (Monday 1 ... Sunday 7).
        days = (
            "CASE EXTRACT(ISODOW FROM {local}) WHEN 4 THEN 5 WHEN 5 THEN 5 WHEN 6 THEN 4 ELSE 3 END"
        )
        sql = f"((({local})::date + ({days.format(local=local)})::int)::timestamp AT TIME ZONE %s)"
        zone = settings.TIME_ZONE
        return sql, (*params, zone, *params, zone, zone)


class DaysFromLocalDate(Func):
    """Whole days from the local date (the service's time zone) of a moment to a date."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        moment, moment_params = compiler.compile(self.source_expressions[0])
        day, day_params = compiler.compile(self.source_expressions[1])
        sql = f"(({day})::date - ({moment} AT TIME ZONE %s)::date)"
        return sql, (*day_params, *moment_params, settings.TIME_ZONE)


class Percentile(Aggregate):
    """A continuous percentile (0.5 for the median) of the non-null values."""

    function = "percentile_cont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)
