"""A signed-in person's dashboard is kept and served again while nothing it shows has changed,
and rendered afresh as soon as anything has (``core.private_cache``, ``core.freshness``).

Every test runs twice: with the cache in memory (one process), and with it in Redis, configured
as the settings do when ``REDIS_URL`` is set (CI has Redis; nothing is skipped there).
"""

import datetime
import uuid
from unittest import mock

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.messages import constants
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import cache as resilient_cache
from core import freshness, private_cache
from core.cache import SharedCacheUnavailable
from partnerships.models import Partnership, Role
from tests.core.test_real_worker import redis_available
from tests.core.test_redis_outage import caches_configured_for
from tests.factories import PartnershipFactory, UserFactory, grant, make_member_school
from tests.support import require

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


@pytest.fixture(params=["memory", "redis"])
def kept(request, settings, monkeypatch):
    """The private cache on, with its cache in memory or in a real Redis."""
    monkeypatch.setattr(resilient_cache, "_unavailable_until", {})
    prefix = f"cairn-test-{uuid.uuid4().hex[:12]}"
    if request.param == "redis":
        require(redis_available(), "Redis is not reachable at REDIS_URL")
        caches = caches_configured_for(django_settings.REDIS_URL, monkeypatch)
        caches["default"]["KEY_PREFIX"] = prefix  # nothing shared with other tests
        settings.CACHES = caches
    settings.SESSION_ENGINE = "core.sessions"
    settings.PRIVATE_CACHE = True
    private_cache.process_copy.clear()
    freshness._lost.clear()
    yield request.param
    private_cache.process_copy.clear()
    if request.param == "redis":
        raw = redis.Redis.from_url(django_settings.REDIS_URL)
        for key in raw.scan_iter(f"{prefix}:*"):
            raw.delete(key)


def committed():
    """What a commit does for ``core.freshness``: record the writes made so far. The tests run
    inside a transaction that is rolled back, so the commit itself never comes."""
    for _ids, func, _robust in list(connection.run_on_commit):
        if isinstance(func, freshness._Flush):
            func()
            func.tables.clear()
            func.declared.clear()


@pytest.fixture
def lead(kept):
    user = UserFactory(name="Lena Lead")
    partnership = PartnershipFactory(name="Riverside Partnership")
    grant(user, partnership, Role.PARTNERSHIP_LEAD)
    user.partnership = partnership
    committed()
    return user


@pytest.fixture
def browser(lead):
    """The lead's browser, signed in, with the cookies a browser has after its first page."""
    client = Client()
    client.force_login(lead)
    client.get(reverse("dashboard"))  # the first page: the CSRF cookie and "last seen"
    committed()
    return client


def visit(client, path=DASHBOARD, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, len(queries)


def test_a_second_visit_is_served_with_no_query_and_every_header(browser):
    made, queries_made = visit(browser)
    served, queries_served = visit(browser)
    assert made.status_code == served.status_code == 200
    assert queries_made > 5
    assert queries_served == 0, "served from the cache: no session, user or page query"
    assert served.content == made.content
    assert dict(served.items()) == dict(made.items())
    assert "Riverside Partnership" in served.content.decode()


def test_a_change_committed_to_what_the_page_shows_is_shown_at_once(browser, lead):
    visit(browser)
    Partnership.objects.filter(pk=lead.partnership.pk).update(name="Riverside Trust")
    committed()
    response, queries = visit(browser)
    assert queries > 0
    assert "Riverside Trust" in response.content.decode()


def test_a_change_not_yet_committed_changes_nothing_kept(browser, lead):
    visit(browser)
    Partnership.objects.filter(pk=lead.partnership.pk).update(name="Riverside Trust")
    # Not committed: the versions are unchanged, so the kept page is still the one served.
    _response, queries = visit(browser)
    assert queries == 0


def test_a_change_to_a_table_the_page_never_read_keeps_it(browser):
    visit(browser)
    # Sessions are compared themselves; the other is a table the dashboard does not read.
    freshness.record([freshness.table_key("django_session"), freshness.table_key("axes_log")])
    assert visit(browser)[1] == 0


def test_a_new_role_elsewhere_shows_at_once(browser, lead):
    visit(browser)
    grant(lead, PartnershipFactory(name="Hilltop Partnership"), Role.PARTNERSHIP_LEAD)
    committed()
    response, _ = visit(browser)
    assert "Hilltop Partnership" in response.content.decode()


def test_a_change_declared_for_another_partnership_keeps_the_page(browser, lead):
    other = PartnershipFactory(name="Far Away Partnership")
    committed()
    visit(browser)
    with transaction.atomic():
        freshness.changed(Partnership, partnerships=[other.pk])
        Partnership.objects.filter(pk=other.pk).update(name="Far Away Trust")
        committed()
    assert visit(browser)[1] == 0, "only pages that show the other partnership are refreshed"


def test_a_change_declared_for_the_persons_partnership_refreshes_the_page(browser, lead):
    visit(browser)
    with transaction.atomic():
        freshness.changed(Partnership, partnerships=[lead.partnership.pk])
        Partnership.objects.filter(pk=lead.partnership.pk).update(name="Riverside Trust")
        committed()
    assert "Riverside Trust" in visit(browser)[0].content.decode()


def test_a_change_declared_for_the_person_refreshes_their_page(browser, lead):
    visit(browser)
    freshness.record([freshness.person_key(lead.pk)])
    assert visit(browser)[1] > 0


def test_a_declaration_in_a_savepoint_never_covers_the_writes_around_it(browser, lead):
    """Declarations cover their own level and the savepoints inside it, never the level that
    encloses them (here rolled back besides)."""
    visit(browser)
    with transaction.atomic():
        try:
            with transaction.atomic():
                freshness.changed(Partnership, partnerships=[999_999])
                raise RuntimeError
        except RuntimeError:
            pass
        # Undeclared now: the table's version goes up, and the page is made afresh.
        Partnership.objects.filter(pk=lead.partnership.pk).update(name="Riverside Trust")
        committed()
    assert "Riverside Trust" in visit(browser)[0].content.decode()


def test_signing_out_ends_the_kept_page(browser):
    cookies = {
        name: browser.cookies[name].value
        for name in (django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME)
        if name in browser.cookies
    }
    visit(browser)
    browser.post(reverse("account_logout"))
    thief = Client()  # someone who copied the cookies before the sign-out
    for name, value in cookies.items():
        thief.cookies[name] = value
    response, _ = visit(thief)
    assert response.status_code == 302, "the old session cookie is sent to sign in"


def test_an_unknown_session_cookie_is_never_served_a_page(browser):
    visit(browser)
    stranger = Client()
    stranger.cookies[django_settings.SESSION_COOKIE_NAME] = "x" * 32
    assert visit(stranger)[0].status_code == 302


def test_a_changed_session_is_not_served_the_page_kept_for_it(browser):
    visit(browser)
    session = browser.session
    session["something"] = "new"
    session.save()
    assert visit(browser)[1] > 0


def test_a_waiting_message_is_shown_not_hidden_by_the_kept_page(browser, lead):
    visit(browser)
    from django.contrib.messages.storage.cookie import CookieStorage

    storage = CookieStorage(mock.Mock(COOKIES={}))
    storage.add(constants.SUCCESS, "Your finding is saved.")
    response = mock.Mock(cookies={}, set_cookie=mock.Mock(), delete_cookie=mock.Mock())
    storage.update(response)
    value = response.set_cookie.call_args.args[1]
    browser.cookies[CookieStorage.cookie_name] = value
    page, queries = visit(browser)
    assert queries > 0
    assert "Your finding is saved." in page.content.decode()


def test_another_csrf_cookie_is_not_served_a_form_made_for_the_first(browser):
    visit(browser)
    browser.cookies[django_settings.CSRF_COOKIE_NAME] = "y" * 32
    assert visit(browser)[1] > 0


def test_a_query_string_or_a_head_request(browser):
    visit(browser)
    assert visit(browser, DASHBOARD + "?tab=1")[1] > 0
    with CaptureQueriesContext(connection) as queries:
        head = browser.head(DASHBOARD)
    assert len(queries) == 0
    assert head.status_code == 200
    assert head.content == b""


def test_the_next_day_the_page_is_made_again(browser):
    visit(browser)
    with mock.patch("core.private_cache.timezone.localdate") as localdate:
        localdate.return_value = datetime.date(2099, 1, 1)
        assert visit(browser)[1] > 0


def test_a_change_made_while_the_page_was_being_made_stops_it_being_kept(browser, lead):
    real = private_cache.keep

    def change_first(*args, **kwargs):
        freshness.record([freshness.table_key("partnerships_partnership")])
        return real(*args, **kwargs)

    with mock.patch.object(private_cache, "keep", change_first):
        visit(browser)
    assert visit(browser)[1] > 0, "made before the change: not kept"


def test_while_the_shared_cache_is_away_pages_are_made_not_served(browser, lead):
    visit(browser)
    with mock.patch("core.private_cache.shared", side_effect=SharedCacheUnavailable):
        response, queries = visit(browser)
    assert response.status_code == 200
    assert queries > 0


def test_a_change_that_could_not_be_recorded_invalidates_everything_once_it_can(browser, lead):
    visit(browser)
    with mock.patch("core.freshness.incr_many", side_effect=SharedCacheUnavailable):
        freshness.record([freshness.table_key("anything")])
    assert freshness._lost.is_set()
    assert visit(browser)[1] > 0, "a new epoch: nothing kept before is trusted"
    assert not freshness._lost.is_set()
    assert visit(browser)[1] == 0


def test_the_cache_off_makes_every_page(browser, settings):
    settings.PRIVATE_CACHE = False
    visit(browser)
    assert visit(browser)[1] > 0


def test_another_persons_session_never_gets_this_page(browser, lead):
    visit(browser)
    other = UserFactory(name="Olly Other")
    grant(other, PartnershipFactory(name="Other Partnership"), Role.PARTNERSHIP_LEAD)
    committed()
    theirs = Client()
    theirs.force_login(other)
    page = theirs.get(DASHBOARD).content.decode()
    assert "Riverside Partnership" not in page
    assert "Other Partnership" in page


def test_what_a_write_records(kept):
    flush = freshness._Flush(frozenset())
    flush.tables |= {"a", "b"}
    flush.declared["b"] = {freshness.partnership_key(3)}
    assert flush.keys() == {freshness.table_key("a"), freshness.partnership_key(3)}
    flush.everything = True
    assert flush.keys() == {freshness.EPOCH_KEY}
    assert freshness.WRITE_SQL.match('UPDATE "x_y" SET').group(1) == "x_y"
    assert freshness.WRITE_SQL.match('INSERT INTO "x" ("a") VALUES').group(1) == "x"
    assert freshness.WRITE_SQL.match('DELETE FROM "x" WHERE').group(1) == "x"
    assert freshness.WRITE_SQL.match('SELECT 1 FROM "x"') is None
    assert freshness.READ_SQL.findall('SELECT 1 FROM "a" INNER JOIN "b" ON') == ["a", "b"]


def test_sessions_stay_in_the_cache_no_longer_than_a_minute(kept, lead, settings):
    from core.sessions import SessionStore

    store = SessionStore()
    store["x"] = 1
    store.create()
    with mock.patch.object(cache, "set", wraps=cache.set) as setting:
        store.save()
    assert setting.call_args.args[2] == settings.SESSION_CACHE_SECONDS


def test_with_redis_away_the_page_is_made_and_a_change_is_remembered(
    browser, settings, monkeypatch
):
    from tests.core.test_redis_outage import NOTHING_LISTENS

    visit(browser)
    settings.CACHES = caches_configured_for(NOTHING_LISTENS, monkeypatch)
    freshness.record([freshness.table_key("partnerships_partnership")])
    assert freshness._lost.is_set(), "to start a new epoch once Redis answers"
    response, queries = visit(browser)
    assert response.status_code == 200
    assert queries > 0


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_records_what_it_wrote(kept):
    """No stand-in for the commit here: the transaction commits, and its callback runs."""
    partnership = PartnershipFactory(name="Committed Partnership")
    table = freshness.table_key(Partnership._meta.db_table)
    before = freshness.current([table])[table]
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(name="Committed Trust")
        assert freshness.current([table])[table] == before, "not before the commit"
    assert freshness.current([table])[table] == before + 1
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(name="Rolled back")
        transaction.set_rollback(True)
    assert freshness.current([table])[table] == before + 1, "a rollback changes nothing"
    Partnership.objects.filter(pk=partnership.pk).update(name="Autocommit")
    assert freshness.current([table])[table] == before + 2, "a statement on its own, at once"
    with transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(name="After a rollback")
    assert freshness.current([table])[table] == before + 3, "nothing left over from before"


def _start_cycle(partnership, lead):
    from reviews.services.cycles import cycle_create

    with transaction.atomic():
        cycle = cycle_create(actor=lead, partnership=partnership, academic_year=2026)
        committed()
    return cycle


def test_a_cycle_started_in_another_partnership_keeps_the_page(browser):
    """The service records what it did in the other partnership, so its writes to reviews are
    that partnership's: other people's dashboards are not refreshed."""
    other = PartnershipFactory(name="Far Away Partnership")
    their_lead = UserFactory(name="Faye Faraway")
    grant(their_lead, other, Role.PARTNERSHIP_LEAD)
    make_member_school(other)
    committed()
    visit(browser)
    _start_cycle(other, their_lead)
    assert visit(browser)[1] == 0


def test_a_cycle_started_in_the_persons_partnership_shows_at_once(browser, lead):
    make_member_school(lead.partnership)
    committed()
    before = visit(browser)[0].content.decode()
    _start_cycle(lead.partnership, lead)
    response, queries = visit(browser)
    assert queries > 0
    assert response.content.decode() != before


def test_signing_in_elsewhere_does_not_refresh_other_peoples_pages(browser):
    someone = UserFactory(name="Sam Elsewhere")
    committed()
    visit(browser)
    Client().force_login(someone)  # last_login written, declared as theirs
    committed()
    assert visit(browser)[1] == 0


def test_an_email_about_another_partnership_keeps_the_page(browser, lead):
    from django.core import mail

    other = PartnershipFactory(name="Far Away Partnership")
    committed()
    visit(browser)
    message = mail.EmailMessage("Hello", "Body", None, ["x@example.org"])
    message.cairn_partnership_id = other.pk
    with transaction.atomic():
        message.send()
        committed()
    assert visit(browser)[1] == 0
    mine = mail.EmailMessage("Hello", "Body", None, ["y@example.org"])
    mine.cairn_partnership_id = lead.partnership.pk
    with transaction.atomic():
        mine.send()
        committed()
    assert visit(browser)[1] > 0, "a lead sees their partnership's emails not delivered"


def test_a_second_factor_removed_anyhow_refreshes_the_persons_page(browser, lead):
    """Not only through allauth: the admin or a command deleting it sends no allauth signal."""
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.create(
        user=lead, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    visit(browser)
    with transaction.atomic():
        Authenticator.objects.filter(pk=authenticator.pk).delete()
        for _ids, func, _robust in list(connection.run_on_commit):
            func()
    assert visit(browser)[1] > 0


def test_another_process_serves_the_page_from_the_shared_cache(browser):
    """A process that did not make the page (its own copy empty) serves it from the cache."""
    made, _ = visit(browser)
    private_cache.process_copy.clear()
    served, queries = visit(browser)
    assert queries == 0
    assert served.content == made.content


def test_a_page_is_not_served_once_it_is_as_old_as_a_page_may_be(browser, settings):
    visit(browser)
    assert visit(browser)[1] == 0
    later = private_cache.now() + settings.PRIVATE_CACHE_SECONDS + 1
    with mock.patch("core.private_cache.now", return_value=later):
        assert visit(browser)[1] > 0, "not even from this process's own copy"


def test_a_version_lost_from_the_cache_never_comes_back_to_an_old_value(kept):
    from django.core.cache import caches

    read_first = freshness.table_key("partnerships_partnership")
    assert freshness.current([read_first])[read_first] not in (0, 1), "a random start"
    written_first = freshness.table_key("partnerships_school")
    freshness.record([written_first])
    first = freshness.current([written_first])[written_first]
    caches["default"].delete(written_first)  # evicted
    freshness.record([written_first])
    assert freshness.current([written_first])[written_first] != first


def test_any_failure_to_record_a_change_starts_a_new_epoch_later(kept):
    with mock.patch(
        "core.freshness.incr_many", side_effect=RuntimeError("OOM command not allowed")
    ):
        freshness.record([freshness.table_key("anything")])
    assert freshness._lost.is_set()


def test_a_person_made_inactive_is_not_served_their_kept_page(browser, lead):
    from accounts.models import User

    visit(browser)
    User.objects.filter(pk=lead.pk).update(is_active=False)
    committed()
    assert visit(browser)[0].status_code == 302


def test_a_password_changed_elsewhere_ends_this_sessions_kept_page(browser, lead):
    visit(browser)
    lead.set_password("a-new-password-2026")
    lead.save()
    committed()
    assert visit(browser)[0].status_code == 302, "the session's password hash no longer matches"
