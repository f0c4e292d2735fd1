"""Names used in the booking history's context (pghistory), shared by the service that
writes them and the timeline that reads them."""

# Set while she answers through her reminder link: her booking's id.
HER_BOOKING = "her_booking"
