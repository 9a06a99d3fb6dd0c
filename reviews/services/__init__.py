"""Writes about peer reviews, one module per part of the cycle. Callers import the module:
``from reviews.services import findings``.

- ``cycles``: start a cycle from the default timetable, move its deadlines, add a review,
  send the daily deadline reminders;
- ``enquiry``: the host school's enquiry focus, visit and self-review;
- ``team``: conflicts of interest, assigning a review team, suggesting teams for a cycle;
- ``findings``: findings, their evidence (with file checks) and challenges;
- ``reports``: the report's workflow (submit, return, quality-assure, sign off, reopen);
- ``safeguarding``: concerns, kept apart from everything else;
- ``workshops``: the improvement workshop, the action plan and the impact review.

Each service checks the access policy and the current state, writes in one transaction,
records an audit event and queues any email for after the commit.
"""
