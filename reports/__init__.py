"""Service insight: the dashboards team leads and service admins use to show that women are
seen quickly and come back. Every figure is computed by the database (aggregates over the
whole range, never Python loops over cases) and small numbers are suppressed wherever a
figure leaves a team's own view."""
