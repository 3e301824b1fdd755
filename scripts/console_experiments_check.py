"""The Experiments section of the console browser check: the list against GET /admin/experiments, then the
whole life of an experiment through the console's own forms — stop the default A/B experiment, create an
interleaving one (and see a refused duplicate's message), start it — a little interleaved traffic with conversions
through the HTTP API, and the interleaving page checked against GET /experiments/{id}/summary. Finally the stopped
A/B experiment's page shows the final decision its record kept. Imported by scripts/console-browser-check.py.
"""

import json
import time

from console_checks import api, check, page_checks

INTERLEAVING_ID = "console-interleaving"


def list_matches_api(browser):
    browser.navigate("/_console/experiments")
    _, listing = api("GET", "/admin/experiments")
    rows = browser.evaluate("[...document.querySelectorAll('#experiments tbody tr[data-experiment]')]"
                            ".map(r => [r.dataset.experiment, r.dataset.status])")
    check(rows == [[e["id"], e["status"]] for e in listing["experiments"]],
          f"the experiment list shows the API's records and statuses {rows}")
    active = browser.evaluate("(() => { const b = document.getElementById('active-experiment');"
                              " return b ? b.closest('tr').dataset.experiment : null; })()")
    check(active == listing["active"], f"the active experiment is marked ({active})")
    return listing


def confirm_and_reload(browser, expression, message):
    browser.evaluate(expression)
    check(browser.wait_until("document.getElementById('confirm-dialog').open"), f"{message}: asks first")
    browser.do_and_wait_for_load("document.getElementById('confirm-ok').click()")
    return browser.evaluate("document.getElementById('flash').textContent")


def create_form(experiment_id, control, treatment):
    return (f"(() => {{ const f = document.getElementById('create-experiment');"
            f" f.elements.id.value = {json.dumps(experiment_id)}; f.elements.design.value = 'interleaving';"
            f" f.elements.control.value = {json.dumps(control)}; f.elements.treatment.value = {json.dumps(treatment)};"
            f" f.elements.coverage.value = '1'; f.requestSubmit(); }})()")


def traffic(experiment_id, riders=90):
    """Interleaved lists for `riders` riders; a third convert on a treatment item, a third on a control one, a third
    on one both rankers placed (when the list has one). Riders of the demo data, whom the two models rank
    differently (a rider without history gets the same popular places from both). Returns riders sent and
    converted."""
    conversions = []
    for index in range(riders):
        rider = f"rider-{index:04d}"
        _, answer = api("POST", "/recommendations", {"userId": rider, "limit": 6})
        if answer.get("experimentId") != experiment_id:
            continue
        wanted = ["treatment", "control", "both"][index % 3]
        item = next((i for i in answer["recommendations"] if i.get("arm") == wanted), None)
        if item:
            conversions.append({"type": "conversion", "userId": rider, "itemId": item["itemId"],
                                "timestamp": int(time.time()), "requestId": answer["requestId"]})
    api("POST", "/events", {"events": conversions})
    return riders, len(conversions)


def wait_for_summary(experiment_id, exposed, converted, timeout=60):
    """The summary once the tallies (group-committed every 10 s) count every rider sent."""
    deadline = time.monotonic() + timeout
    while True:
        _, summary = api("GET", f"/experiments/{experiment_id}/summary")
        if (summary.get("exposedRiders", 0) >= exposed and summary.get("riders", 0) >= converted) \
                or time.monotonic() > deadline:
            return summary
        time.sleep(0.5)


def run(browser):
    print("experiments: list")
    listing = list_matches_api(browser)
    browser.screenshot("10-experiments-list")
    page_checks(browser, "experiments list")
    default = listing["active"]

    print("experiments: stop the default one through its form")
    flash = confirm_and_reload(
        browser, f"(() => {{ const f = document.querySelector('form.stop-experiment[data-experiment=\"{default}\"]');"
                 " f.elements.serve.value = 'control'; f.requestSubmit(); })()", "stop")
    _, record = api("GET", f"/admin/experiments/{default}")
    check(record["experiment"]["status"] == "stopped" and record["experiment"]["servedAfterStop"] == "control",
          "the API shows the default experiment stopped, serving control")
    check(flash.startswith("Stopped. Experiment " + default + " stopped"), f"the page says it stopped ({flash!r})")

    print("experiments: create an interleaving one through the form")
    # Two models of different algorithms (the demo's own against the popularity one trained above), so that the
    # interleaved lists hold items of each arm and riders can prefer one.
    models = api("GET", "/admin/models")[1]["models"]
    control = next((m for m in models if m["algorithm"] == "popularity"), models[0])
    treatment = next((m for m in reversed(models) if m["algorithm"] != control["algorithm"]),
                     models[-1])
    control, treatment = control["version"], treatment["version"]
    flash = confirm_and_reload(browser, create_form(INTERLEAVING_ID, control, treatment), "create")
    check(flash.startswith(f"Created. Experiment {INTERLEAVING_ID} created as a interleaving draft"),
          f"the page says it created the draft ({flash!r})")
    status, created = api("GET", f"/admin/experiments/{INTERLEAVING_ID}")
    check(status == 200 and created["experiment"]["design"] == "interleaving"
          and [v.get("version") for v in created["experiment"]["variants"]] == [control, treatment],
          "the API has the draft with the chosen versions")
    browser.evaluate(create_form(INTERLEAVING_ID, control, treatment))
    browser.wait_until("document.getElementById('confirm-dialog').open")
    browser.evaluate("document.getElementById('confirm-ok').click()")
    check(browser.wait_until("document.getElementById('flash').textContent.startsWith('Failed (409)')"),
          "creating the same id again shows the function's 409 as a message")
    check("already exists" in browser.evaluate("document.getElementById('flash').textContent"),
          "with the function's reason")
    browser.problems = [p for p in browser.problems if "/_console/actions/experiments" not in p]  # that 409

    print("experiments: start it")
    flash = confirm_and_reload(
        browser, f"document.querySelector('tr[data-experiment=\"{INTERLEAVING_ID}\"] button.start-experiment').click()",
        "start")
    check(flash.startswith(f"Started. Experiment {INTERLEAVING_ID} is running"), f"the page says so ({flash!r})")
    listing = list_matches_api(browser)
    check(listing["active"] == INTERLEAVING_ID, "the API's active experiment is the new one")
    browser.screenshot("11-experiments-after-start")

    print("experiments: interleaved traffic")
    exposed, converted = traffic(INTERLEAVING_ID)
    summary = wait_for_summary(INTERLEAVING_ID, exposed, converted)
    print(f"  the summary counts {summary.get('exposedRiders')} exposed riders, {summary.get('wins')} wins, "
          f"{summary.get('losses')} losses, {summary.get('ties')} ties")
    browser.navigate(f"/_console/experiments/{INTERLEAVING_ID}")
    _, summary = api("GET", f"/experiments/{INTERLEAVING_ID}/summary")
    for field, element in [("wins", "wins"), ("losses", "losses"), ("ties", "ties"), ("riders", "riders"),
                           ("exposedRiders", "exposed-riders")]:
        shown = browser.evaluate(f"document.getElementById('{element}').textContent")
        check(shown == str(summary[field]), f"the interleaving page shows the summary's {field} ({shown})")
    check(summary["wins"] + summary["losses"] > 0, "the rankers differ: some riders prefer one")
    check(browser.evaluate("document.getElementById('decision').textContent") == summary["decision"],
          f"the decision is the summary's ({summary['decision']})")
    series = browser.evaluate("[...document.querySelectorAll('svg[data-chart=\"outcomes\"] g.series')]"
                              ".map(g => g.dataset.series)")
    check(series == ["wins", "losses", "ties"], f"the chart draws wins, losses and ties {series}")
    browser.screenshot("12-experiment-interleaving")
    page_checks(browser, "interleaving experiment")

    print("experiments: the stopped A/B experiment")
    browser.navigate(f"/_console/experiments/{default}")
    final = record["experiment"]["finalSummary"]["decision"]
    check(browser.evaluate("document.getElementById('final-decision').textContent") == final,
          f"the A/B page shows the final decision its record kept ({final})")
    check(browser.evaluate("!!document.getElementById('cuped') || !!document.getElementById('cuped-insufficient')"
                           " || !!document.getElementById('cuped-off')"), "the CUPED section shows")
    browser.screenshot("13-experiment-ab-stopped")
    page_checks(browser, "stopped A/B experiment")
