"""The planner settings Cairn's migrations give its PostgreSQL database hold on every new
connection (core migration 0004)."""

import pytest
from django.db import connection

from tests.support import require


@pytest.mark.django_db
def test_reading_out_of_order_is_costed_as_on_ssd():
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")
    # A connection of its own: what the database itself says, not this session.
    fresh = connection.get_new_connection(connection.get_connection_params())
    try:
        assert fresh.execute("SHOW random_page_cost").fetchone()[0] == "1.1"
    finally:
        fresh.close()
