"""What needs a person's attention, gathered from every app for their dashboard.

Each app answers for its own work through a selector that takes the user and returns items
(dicts with a ``kind`` the dashboard template knows how to show). The dashboard sits above every
app, so it is the one place that knows them all; no app imports another to build this list.
"""

from partnerships.selectors import attention_for as partnership_attention_for
from reviews.selectors import review_attention_for

# In the order they are shown: agreements, membership requests and invitations, then reports.
SOURCES = (partnership_attention_for, review_attention_for)


def attention_for(user) -> list[dict]:
    return [item for source in SOURCES for item in source(user)]
