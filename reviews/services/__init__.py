"""Writes about peer reviews, one module per part of the cycle. Callers import the module:
``from reviews.services import findings``.

- ``cycles``: start a cycle from the default timetable, move its deadlines, add a review,
  find the day's deadline reminders and escalate what is overdue;
- ``reminders``: reminders about actions and the escalation of overdue ones, each person's
  one reminder email a day, and their choice of which reminders come by email;
- ``calendar``: a person's private calendar feed and replacing its address;
- ``enquiry``: the host school's enquiry focus, visit and self-review;
- ``team``: conflicts of interest, assigning a review team, suggesting teams for a cycle;
- ``findings``: findings, their evidence (with file checks) and challenges;
- ``reports``: the report's workflow (submit, return, quality-assure, sign off, reopen);
- ``safeguarding``: concerns, kept apart from everything else;
- ``workshops``: the improvement workshop, the action plan and the impact review.

Each service checks the access policy and the current state, writes in one transaction,
records an audit event and queues any email for after the commit.
"""
