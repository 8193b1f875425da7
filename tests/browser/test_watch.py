"""The journeys' error watch itself: what it must catch, so that a broken page fails a journey."""

import pytest

from tests.browser.conftest import PageWatch

pytestmark = pytest.mark.browser


@pytest.fixture
def bare_page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def test_watch_catches_console_errors_and_uncaught_exceptions(bare_page):
    watch = PageWatch(bare_page)

    bare_page.set_content("<script>console.error('template broke'); undefinedFunction();</script>")

    with pytest.raises(AssertionError) as failure:
        watch.assert_clean()
    assert "console error: template broke" in str(failure.value)
    assert "undefinedFunction is not defined" in str(failure.value)


def test_watch_catches_server_errors(bare_page):
    bare_page.route("http://hireloop.test/**", lambda route: route.fulfill(status=500, body="boom"))
    watch = PageWatch(bare_page)

    bare_page.goto("http://hireloop.test/admin/")

    assert any("HTTP 500 from GET http://hireloop.test/admin/" in p for p in watch.problems)


def test_watch_passes_a_clean_page(bare_page):
    watch = PageWatch(bare_page)

    bare_page.set_content("<p>fine</p><script>console.log('just a log')</script>")

    watch.assert_clean()
