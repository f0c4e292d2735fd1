"""Data protection: what personal data Haven holds, retention, subject access and erasure.

- ``inventory``: every field of every model in core, accounts, referrals and sessions_booking,
  classified (personal or not; whose; why; how long; who sees it; what anonymising does).
  The record of processing page and anonymisation are both driven by it, so they stay true.
- ``services``: ``anonymise_case``, ``erase_case`` and ``run_retention`` (the beat task in
  ``tasks`` calls it daily).
- ``selectors``: the cases due for retention and her complete subject access record.
- ``views`` / ``urls``: the service admins' pages under ``/staff/data-protection/``.
"""
