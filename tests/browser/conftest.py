"""Real-browser journeys: Playwright for Python driving the system's Chromium against a live server.

No browser is downloaded: Chromium comes from the operating system (`apt-get install chromium`).
Without it (or without Playwright) the journeys are skipped with a printed reason, except under
CI=true (or REQUIRE_BROWSER=true, which `make screenshots` sets), where a missing browser fails the run.

Every page a journey opens is watched: a console error, an uncaught JavaScript error or an HTTP
response of 500 or more fails the journey, so a broken admin template or script cannot pass.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "pw"  # the password UserFactory gives every user
VIEWPORT = {"width": 1280, "height": 860}
TIMEOUT_MS = 10_000

_skip_reason: str | None = None


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements.txt)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE} (make axe: npm ci in tests/browser/axe)"
    return None


def pytest_collection_modifyitems(config, items):
    global _skip_reason
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    reason = _unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "true":
        raise pytest.UsageError(f"The browser journeys must run here (CI or REQUIRE_BROWSER), but {reason}.")
    _skip_reason = reason
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=f"Browser journeys skipped: {reason}"))


def pytest_terminal_summary(terminalreporter):
    if _skip_reason:
        terminalreporter.write_line(f"Browser journeys skipped: {_skip_reason}.")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test process's main thread for as long as the
    # browser lives; the ORM calls made meanwhile (test data, database flushes, later tests) are
    # still plain synchronous code, so Django's async-safety check is lifted for that time.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageWatch:
    """Console errors, uncaught exceptions and server errors seen by one page."""

    def __init__(self, page):
        self.problems: list[str] = []
        self.refused_urls: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"JavaScript error: {exc}"))
        page.on("response", self._response)

    def _console(self, message):
        # The browser asks for /favicon.ico by itself; the admin's pages never link it.
        url = message.location.get("url", "")
        if url.endswith("/favicon.ico") or url in self.refused_urls:
            return
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def _response(self, response):
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status} from {response.request.method} {response.url}")

    def assert_clean(self):
        assert not self.problems, "The browser saw errors:\n" + "\n".join(self.problems)


@pytest.fixture
def page(chromium, live_server, request):
    """A fresh browser context on the live server; fails the test on any browser or server error."""
    context = chromium.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch = PageWatch(page)
    page.watch = watch
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()
    if report is not None and report.passed:
        watch.assert_clean()
    elif watch.problems:
        print("The browser saw errors:\n" + "\n".join(watch.problems))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def shot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of the current page as var/screenshots/<name>.png.

    The screenshots named after a user (hiring-team, recruiter, interviewer, manager) are the
    ones `make screenshots` copies into docs/screenshots/ for the README; they show the window only.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def login(page, username: str, password: str = PASSWORD):
    """Log in through the admin's login form."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def expect_message(page, text: str):
    """Wait for the admin's flash message containing `text` (after a form post or an action)."""
    from playwright.sync_api import expect

    messages = page.locator("ul.messagelist")
    problems = page.locator(".errornote, .errorlist")
    try:
        expect(messages).to_contain_text(text)
    except AssertionError:
        raise AssertionError(
            f"No message {text!r}; the page says: {problems.all_inner_texts() or messages.all_inner_texts()}"
        ) from None


def open_refused(page, path: str) -> int:
    """Open an address the user may not see; returns the HTTP status (the browser's own console
    message about it is expected, not an error of the page)."""
    url = page.url.split("/admin/")[0] + path
    page.watch.refused_urls.add(url)
    response = page.goto(url)
    return response.status


def select2_pick(page, select_css: str, search: str, option: str) -> list[str]:
    """Choose `option` in an admin autocomplete (select2) field after typing `search`.

    Returns the texts of every option the search offered, for visibility checks.
    """
    page.locator(select_css).locator("xpath=following-sibling::span[contains(@class,'select2')]").click()
    with page.expect_response(lambda response: "/autocomplete/" in response.url and "term=" in response.url):
        page.locator(".select2-container--open input.select2-search__field").fill(search)
    results = page.locator(".select2-container--open .select2-results__option:not(.loading-results)")
    results.filter(has_text=option).first.wait_for()
    offered = results.all_inner_texts()
    results.filter(has_text=option).first.click()
    assert option in page.locator(select_css).locator("option:checked").inner_text()
    return offered


def add_inline_row(page, prefix: str):
    """Click an inline's "Add another …" link; the new row's fields are `#id_<prefix>-<n>-<field>`."""
    page.locator(f"#{prefix}-group .add-row a").click()


# --- accessibility ------------------------------------------------------------------------------

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """Run axe-core (tests/browser/axe, installed from the npm registry by `make`) on the page.

    The script is evaluated through the browser's debugging protocol, not added as a script tag,
    so the page's strict Content-Security-Policy stays enforced for everything else.
    Returns the serious and critical violations, one line per failing element.
    """
    if not AXE.exists():
        raise AssertionError(f"axe-core is missing at {AXE}: run `make axe` (npm ci in tests/browser/axe).")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    found = []
    for violation in result["violations"]:
        if violation.get("impact") not in AXE_FAILING:
            continue
        label = f"{violation['id']} ({violation['impact']}): {violation['help']}"
        found.extend(f"{label} at {node['target']}" for node in violation["nodes"])
    return found


def assert_accessible(page):
    problems = axe_violations(page)
    assert not problems, f"Accessibility violations on {page.url}:\n" + "\n".join(problems)
