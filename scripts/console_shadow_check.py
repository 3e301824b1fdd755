"""The Shadow section of the console browser check: start a shadow through the page's form (a version that does not
serve, every variant, 100 %), send live traffic through the HTTP API, wait until the shadow summary counts it,
then hold every figure of the page's table against GET /admin/shadow/summary, and end the shadow with its button.
Imported by scripts/console-browser-check.py.
"""

import json
import time

from console_checks import api, check, page_checks


def percent(value):
    return "—" if value is None else f"{value * 100:.2f}%"


def number(value, digits):
    return "—" if value is None else f"{value:.{digits}f}"


def milliseconds(value):
    return "—" if value is None else f"{value:.3f} ms"


def expected(group):
    """How the page writes a group of the summary; a group the summary leaves out had no shadowed request."""
    group = group or {}
    return {
        "scored": str(group.get("scored", 0)), "errors": str(group.get("errors", 0)),
        "dropped": str(group.get("dropped", 0)), "errorRate": percent(group.get("errorRate")),
        "meanJaccard": number(group.get("meanJaccard"), 4), "meanRbo": number(group.get("meanRbo"), 4),
        "topItemChangedShare": percent(group.get("topItemChangedShare")), "riders": str(group.get("riders", 0)),
        "ridersTopItemChangedShare": percent(group.get("ridersTopItemChangedShare")),
        "latencyP50Ms": milliseconds(group.get("latencyP50Ms")),
        "latencyP99Ms": milliseconds(group.get("latencyP99Ms")),
    }


def expected_rows(summary):
    """Every row of the page's table, by its data-group, as the API's summary says it must read."""
    rows = {"total": expected(summary["total"])}
    activities = ["new", "light", "heavy"]
    for variant, figures in summary["variants"].items():
        rows[f"variant:{variant}"] = expected(figures["total"])
        for activity in activities:
            rows[f"variant:{variant}:{activity}"] = expected(figures["activity"].get(activity))
    for activity in activities:
        rows[f"activity:{activity}"] = expected(summary["activity"].get(activity))
    return rows


SHOWN_ROWS = ("Object.fromEntries([...document.querySelectorAll('#shadow-summary tbody tr')].map(r => [r.dataset.group,"
              " Object.fromEntries([...r.querySelectorAll('td')].map(td => [td.dataset.field, td.textContent]))]))")


def traffic(riders=60):
    """Recommendations for demo riders and one the models never saw; returns how many were sent."""
    names = [f"rider-{index:04d}" for index in range(riders)] + ["someone-new"]
    for rider in names:
        api("POST", "/recommendations", {"userId": rider, "limit": 6})
    return len(names)


def wait_for_summary(sent, timeout=180):
    """The summary once the shadow tallies (group-committed every 10 s) count every request sent."""
    deadline = time.monotonic() + timeout
    while True:
        _, summary = api("GET", "/admin/shadow/summary?windowHours=24")
        total = summary["total"]
        if total["scored"] + total["errors"] + total["dropped"] >= sent or time.monotonic() > deadline:
            return summary
        time.sleep(0.5)


def confirm_and_reload(browser, expression, message):
    browser.evaluate(expression)
    check(browser.wait_until("document.getElementById('confirm-dialog').open"), f"{message}: asks first")
    browser.do_and_wait_for_load("document.getElementById('confirm-ok').click()")
    return browser.evaluate("document.getElementById('flash').textContent")


def run(browser):
    print("shadow: start one through the form")
    browser.navigate("/_console/shadow")
    check(browser.evaluate("!!document.getElementById('no-shadow')"), "no shadow has run yet")
    _, listing = api("GET", "/admin/models")
    options = browser.evaluate("[...document.querySelectorAll('#shadow-version-choice option')].map(o => o.value)")
    check(options == [m["version"] for m in listing["models"]],
          f"the version choice lists the API's versions {options}")
    preselected = browser.evaluate("document.getElementById('shadow-version-choice').value")
    serving = next(m["serving"] for m in listing["models"] if m["version"] == preselected)
    check(serving == [], f"the preselected version ({preselected}) serves no variant")
    page_checks(browser, "shadow before")
    # A version of another algorithm than the served ones, so that the lists differ and the figures are not all 1.
    served = [m for m in listing["models"] if m["serving"]] or listing["models"][:1]
    version = next((m["version"] for m in listing["models"]
                    if not m["serving"] and m["algorithm"] not in {s["algorithm"] for s in served}), preselected)
    flash = confirm_and_reload(
        browser, "(() => { const f = document.getElementById('start-shadow'); f.elements.target.value = 'all';"
                 f" f.elements.version.value = {json.dumps(version)};"
                 " f.elements.percent.value = '100'; f.requestSubmit(); })()", "start shadow")
    check(flash.startswith(f"Started. Shadow of {version} started on every variant, 100% of requests"),
          f"the page says it started ({flash!r})")
    _, state = api("GET", "/admin/shadow")
    shadow = state["shadow"] or {}
    check(shadow.get("version") == version and shadow.get("target") == "all" and shadow.get("samplePercent") == 100
          and shadow.get("endedAt") is None, "the API shows the shadow running on every variant at 100 %")

    print("shadow: live traffic")
    sent = traffic()
    summary = wait_for_summary(sent)
    print(f"  the summary counts {summary['total']['scored']} scored, {summary['total']['errors']} errors, "
          f"{summary['total']['dropped']} dropped; mean Jaccard {summary['total']['meanJaccard']}")
    check(summary["total"]["scored"] + summary["total"]["errors"] + summary["total"]["dropped"] == sent,
          f"every request sent was shadowed ({sent})")
    if version != preselected:
        check((summary["total"]["meanJaccard"] or 1) < 1, f"{version} ranks otherwise than the served model")
    browser.navigate("/_console/shadow")
    _, summary = api("GET", "/admin/shadow/summary?windowHours=24")
    shown = browser.evaluate(SHOWN_ROWS)
    wanted = expected_rows(summary)
    check(sorted(shown) == sorted(wanted), f"one row per group {sorted(shown)}")
    for group, cells in wanted.items():
        check(shown.get(group) == cells, f"{group}: the page shows the summary's figures "
              + ("" if shown.get(group) == cells else json.dumps([shown.get(group), cells])))
    check(browser.evaluate("document.getElementById('shadow-version').textContent") == version, "the version shows")
    check(browser.evaluate("document.getElementById('shadow-state').textContent") == "running", "it runs")
    browser.screenshot("14-shadow-running")
    page_checks(browser, "shadow")

    print("shadow: end it")
    flash = confirm_and_reload(browser, "document.getElementById('stop-shadow').click()", "end shadow")
    check(flash.startswith(f"Ended. Shadow of {version} ended"), f"the page says it ended ({flash!r})")
    _, state = api("GET", "/admin/shadow")
    check((state["shadow"] or {}).get("endedAt") is not None, "the API shows the shadow ended")
    check(browser.evaluate("document.getElementById('shadow-state').textContent").startswith("ended"),
          "the page shows it ended")
    check(browser.evaluate("document.getElementById('stop-shadow').disabled"), "nothing is left to end")
    actions = browser.evaluate("[...document.querySelectorAll('#shadow-audit tbody tr')].map(r => r.dataset.action)")
    check(actions == ["start", "end"], f"the audit trail shows the start and the end {actions}")
    browser.screenshot("15-shadow-ended")
