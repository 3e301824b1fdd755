#!/usr/bin/env python3
"""Drives headless Chromium over the Chrome DevTools Protocol through every console page of a running emulator.

It signs in, loads each page, saves a full-page screenshot per page, asserts on rendered content against what the
HTTP API answers (the same server), presses switch and rollback through their confirmation dialogs, runs a
shadow through the Shadow form against its summary (console_shadow_check.py), runs an interleaving experiment
through the Experiments forms (console_experiments_check.py), and fails on any browser
console error, uncaught exception or failed resource. Used by scripts/console-browser-check.sh.

Environment: see console_checks.py. The browser itself is chromium_devtools.py.
"""

import json
import os
import sys
import time

import console_experiments_check
import console_shadow_check
from chromium_devtools import Browser
from console_checks import ARTIFACTS, BASE, CHROMIUM, FUNCTIONS, KEY, api, check, failures, page_checks


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    started = time.time()
    browser = Browser(BASE, CHROMIUM, ARTIFACTS)
    try:
        run(browser)
    finally:
        browser.close()
    check(browser.problems == [], "no console errors, exceptions or failed loads "
          + (json.dumps(browser.problems, indent=1) if browser.problems else ""))
    print(f"browser check took {time.time() - started:.1f} s; screenshots in {ARTIFACTS}/")
    if failures:
        print(f"{len(failures)} check(s) failed:", *failures, sep="\n  - ")
        sys.exit(1)


def run(browser):
    print("sign-in")
    browser.navigate("/_console/functions")
    check(browser.evaluate("!!document.getElementById('sign-in')"), "a key is configured: the console asks for it")
    check(browser.evaluate("!document.getElementById('functions')"), "no data before signing in")
    browser.screenshot("00-sign-in")
    page_checks(browser, "sign-in")
    browser.evaluate("document.getElementById('key').value = 'wrong-key'; "
                     "document.getElementById('sign-in').requestSubmit()")
    check(browser.wait_until("document.getElementById('flash').textContent.includes('Sign-in failed')"),
          "a wrong key is refused with a message")
    browser.problems = [p for p in browser.problems if "/_console/session" not in p]  # the 401 of the wrong key
    browser.do_and_wait_for_load(f"document.getElementById('key').value = {json.dumps(KEY)}; "
                                 "document.getElementById('sign-in').requestSubmit()")
    cookies = browser.send("Network.getCookies", {"urls": [BASE + "/_console/functions"]})["cookies"]
    session = [c for c in cookies if c["name"] == "rideease_console"]
    check(len(session) == 1 and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict"
          and session[0]["path"] == "/_console" and KEY not in session[0]["value"],
          "the session cookie is HttpOnly, SameSite=Strict, Path=/_console and not the key")

    print("functions")
    check(browser.evaluate("!!document.getElementById('functions')"), "signed in: the functions page shows")
    names = browser.evaluate("[...document.querySelectorAll('#functions tbody tr')].map(r => r.dataset.function)")
    expected = [f["name"] for f in FUNCTIONS["functions"]]
    check(names == expected, f"one row per function of functions.yaml {names}")
    scheduled = [f["name"] for f in FUNCTIONS["functions"] if f.get("schedule")]
    buttons = browser.evaluate("[...document.querySelectorAll('#functions button[data-action-url]')]"
                               ".filter(b => !b.disabled).map(b => b.closest('tr').dataset.function)")
    check(buttons == scheduled, f"an enabled 'Run now' button for each scheduled function {buttons}")
    next_fires = browser.evaluate("document.querySelector('#functions tr[data-function=\"train\"] td:nth-child(4)')"
                                  ".querySelectorAll('li').length")
    check(next_fires == 3, "train shows its next three fire times")
    runs = browser.evaluate("document.querySelector('#functions tr[data-function=\"recommendations\"] .runs').textContent")
    check("200" in runs and "http" in runs, f"recommendations shows its last runs with status ({runs[:80]!r})")
    browser.screenshot("01-functions")
    page_checks(browser, "functions")

    print("models")
    browser.navigate("/_console/models")
    status, listing = api("GET", "/admin/models")
    versions = [m["version"] for m in listing["models"]]
    shown = browser.evaluate("[...document.querySelectorAll('#models tbody tr[data-version]')].map(r => r.dataset.version)")
    check(status == 200 and shown == versions and len(versions) >= 2,
          f"the model table lists the versions the API lists {shown} == {versions}")
    for model in listing["models"]:
        serves = browser.evaluate(f"[...document.querySelectorAll('#models tr[data-version=\"{model['version']}\"] .badge')]"
                                  ".map(b => b.textContent)")
        check(sorted(serves) == sorted(model["serving"]), f"{model['version']} serves {model['serving']}")
        replay = browser.evaluate(f"document.querySelector('#models tr[data-version=\"{model['version']}\"] td.replay')"
                                  ".textContent")
        ips = model.get("replay") and model["replay"]["estimate"]["ips"]
        check(f"not replayed — rideease eval --replay --version {model['version']}" in replay if not ips
              else f"{ips['value']:.4f} [{ips['lower']:.4f}, {ips['upper']:.4f}]" in replay,
              f"{model['version']}: its last replay as the API lists it ({replay[:60]!r})")
    browser.screenshot("02-models")
    page_checks(browser, "models")

    # A version that does not serve treatment yet, so that the switch is a real change.
    older = next(m["version"] for m in listing["models"] if "treatment" not in m["serving"])
    browser.evaluate(f"(() => {{ const f = document.querySelector('form.switch-model[data-version=\"{older}\"]');"
                     "f.elements.target.value = 'treatment'; f.requestSubmit(); })()")
    check(browser.wait_until("document.getElementById('confirm-dialog').open"), "switch asks for confirmation first")
    check(browser.evaluate("document.activeElement.id") == "confirm-cancel", "the dialog focuses Cancel")
    check(browser.evaluate("document.getElementById('confirm-message').textContent")
          == f"Serve {older} in treatment?", "the dialog names the version and the variant")
    browser.screenshot("03-models-confirm-switch")
    before = api("GET", "/admin/models")[1]["deployment"]
    # Escape cancels, like any dialog; nothing changes.
    browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27})
    browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27})
    check(browser.wait_until("!document.getElementById('confirm-dialog').open"), "Escape closes the dialog")
    check(api("GET", "/admin/models")[1]["deployment"] == before, "a cancelled switch changes nothing")
    browser.evaluate(f"document.querySelector('form.switch-model[data-version=\"{older}\"]').requestSubmit()")
    browser.wait_until("document.getElementById('confirm-dialog').open")
    browser.do_and_wait_for_load("document.getElementById('confirm-ok').click()")
    deployment = api("GET", "/admin/models")[1]["deployment"]
    check(deployment is not None and deployment["versions"].get("treatment") == older,
          f"confirmed: the API shows {older} serving treatment")
    check(browser.evaluate("document.getElementById('flash').textContent").startswith("Switched."),
          "the page says it switched")
    badge = browser.evaluate(f"[...document.querySelectorAll('#models tr[data-version=\"{older}\"] .badge')]"
                             ".map(b => b.textContent)")
    check("treatment" in badge, "the table shows the new serving variant")
    browser.screenshot("04-models-after-switch")

    browser.evaluate("document.getElementById('rollback').click()")
    browser.wait_until("document.getElementById('confirm-dialog').open")
    browser.do_and_wait_for_load("document.getElementById('confirm-ok').click()")
    after = api("GET", "/admin/models")[1]["deployment"]
    check(after["versions"] == deployment["previous"] and after["generation"] == deployment["generation"] + 1,
          "rollback restored the previous deployment")

    print("experiments")
    experiment = api("GET", "/healthz")[1]["experimentId"]
    browser.navigate("/_console/experiments/6")  # the old window link leads to the active experiment
    check(browser.evaluate("location.pathname") == f"/_console/experiments/{experiment}/6",
          "an old window link leads to the active experiment's page")
    browser.navigate(f"/_console/experiments/{experiment}/24")
    _, summary = api("GET", f"/experiments/{experiment}/summary?windowHours=24")
    check(browser.evaluate("document.getElementById('decision').textContent") == summary["decision"],
          f"the decision is the summary's ({summary['decision']})")
    check(browser.evaluate("document.getElementById('decision-reason').textContent") == summary["reason"],
          "with its reason")
    check(browser.evaluate("document.getElementById('srm').textContent") != "", "SRM status shows")
    timeline_status, timeline = api("GET", f"/experiments/{experiment}/timeline?windowHours=24")
    check(timeline_status == 200, f"the timeline endpoint answers ({timeline_status})")
    if timeline_status == 200:
        for chart in ["users", "conversions", "rates"]:
            series = browser.evaluate(f"[...document.querySelectorAll('svg[data-chart=\"{chart}\"] g.series')]"
                                      ".map(g => g.dataset.series)")
            check(series == timeline["variants"], f"the {chart} chart has one series per variant {series}")
        drawn = browser.evaluate("document.querySelectorAll('svg[data-chart=\"rates\"] g.series polyline, "
                                 "svg[data-chart=\"rates\"] g.series circle').length")
        check(drawn >= len(timeline["variants"]), "every variant's rate line is drawn")
        check(browser.evaluate("document.querySelectorAll('svg[data-chart=\"p-values\"] g.series').length") == 2,
              "the p-value chart has the always-valid and SRM series")
        rows = browser.evaluate("document.querySelectorAll('#timeline tbody tr').length")
        check(rows == len(timeline["points"]), f"the data table has one row per hour ({rows})")
    browser.screenshot("05-experiments")
    page_checks(browser, "experiments")

    print("traces")
    browser.navigate("/_console/traces")
    first = browser.evaluate("(() => { const a = document.querySelector('#recent-requests a[href^=\"/_console/traces/\"]');"
                             " return a ? a.getAttribute('href') : null; })()")
    check(first is not None, "recent requests link to their traces")
    browser.screenshot("06-traces")
    page_checks(browser, "traces")
    if first:
        request_id = first.rsplit("/", 1)[1]
        browser.navigate("/_console/traces")
        browser.do_and_wait_for_load(f"document.getElementById('request-id').value = {json.dumps(request_id)};"
                                     "document.getElementById('trace-lookup').requestSubmit()")
        check(browser.evaluate("location.pathname") == "/_console/traces/" + request_id, "the lookup form finds by id")
        _, trace = api("GET", "/traces/" + request_id)
        shown = browser.evaluate("[...document.querySelectorAll('#trace dt')].find(d => d.textContent === 'Model version')"
                                 ".nextElementSibling.textContent")
        check(shown == trace["modelVersion"], f"the trace shows the API's model version ({shown})")
        check(browser.evaluate("document.getElementById('trace-policy').dataset.policy") == trace.get("policy"),
              f"the trace shows the API's policy ({trace.get('policy')})")
        propensities = browser.evaluate("[...document.querySelectorAll('#trace-items td[data-field=\"propensity\"]')]"
                                        ".map(td => td.textContent)")
        logged = [f"{item['propensity']:.4f}" for item in trace["recommendations"]]
        check(propensities == logged and len(logged) > 0, f"each item's propensity as logged {propensities}")
        browser.screenshot("07-trace")
        page_checks(browser, "trace")

    print("logs")
    browser.navigate("/_console/logs")
    check(browser.evaluate("document.querySelectorAll('#log-lines tbody tr[data-severity]').length") > 0,
          "recent log lines show")
    browser.do_and_wait_for_load("document.getElementById('log-function').value = 'recommendations';"
                                 "document.getElementById('log-filter').requestSubmit()")
    functions = browser.evaluate("[...document.querySelectorAll('#log-lines tbody tr[data-severity] td:nth-child(3)')]"
                                 ".map(td => td.textContent)")
    check(browser.evaluate("location.pathname") == "/_console/logs/recommendations" and len(functions) > 0
          and set(functions) == {"recommendations"}, "the function filter keeps that function's lines only")
    browser.screenshot("08-logs")
    page_checks(browser, "logs")

    # Keyboard: the skip link is the first stop and the navigation follows.
    browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
    browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9})
    check(browser.evaluate("document.activeElement.className") == "skip", "Tab reaches the skip link first")

    print("run now")
    browser.navigate("/_console/functions")
    browser.evaluate("document.querySelector('#functions tr[data-function=\"train\"] button[data-action-url]').click()")
    check(browser.wait_until("document.getElementById('confirm-dialog').open"), "run now asks for confirmation first")
    browser.do_and_wait_for_load("document.getElementById('confirm-ok').click()")
    flash = browser.evaluate("document.getElementById('flash').textContent")
    check(flash.startswith("Ran train. train succeeded"), f"the page says the run succeeded ({flash!r})")
    runs = browser.evaluate("document.querySelector('#functions tr[data-function=\"train\"] .runs').textContent")
    check("succeeded" in runs and "manual" in runs, f"train's last runs show the manual run ({runs[:60]!r})")
    _, jobs = api("GET", "/_scheduler/jobs")
    train = next(job for job in jobs["jobs"] if job["name"] == "train")
    check([run["status"] for run in train["recentRuns"]][:1] == ["succeeded"], "the scheduler recorded the run")
    browser.screenshot("09-functions-after-run-now")

    console_shadow_check.run(browser)
    console_experiments_check.run(browser)


if __name__ == "__main__":
    main()
