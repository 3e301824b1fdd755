"""The console browser check's shared pieces: its configuration, check bookkeeping, the HTTP API as the
reference, and the accessibility checks run on every page. Imported by scripts/console-browser-check.py.

Environment: CONSOLE_BASE_URL, CONSOLE_ADMIN_KEY, CONSOLE_ARTIFACTS, CONSOLE_FUNCTIONS_JSON (from
`rideease functions --json`), CHROMIUM (the browser binary).
"""

import json
import os
import urllib.error
import urllib.request

BASE = os.environ["CONSOLE_BASE_URL"].rstrip("/")
KEY = os.environ["CONSOLE_ADMIN_KEY"]
ARTIFACTS = os.environ.get("CONSOLE_ARTIFACTS", "artifacts/console")
FUNCTIONS = json.loads(open(os.environ["CONSOLE_FUNCTIONS_JSON"]).read())
CHROMIUM = os.environ.get("CHROMIUM", "chromium")

failures = []


def check(condition, message):
    print(("  ok   " if condition else "  FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)
    return condition


def api(method, path, body=None):
    """The emulator's HTTP API, with the admin key, as JSON (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("x-api-key", KEY)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


ACCESSIBILITY = """(() => {
  const problems = [];
  document.querySelectorAll('input, select, textarea').forEach(e => {
    if (e.type !== 'hidden' && (!e.labels || e.labels.length === 0) && !e.getAttribute('aria-label'))
      problems.push('unlabelled ' + e.tagName + '#' + e.id);
  });
  document.querySelectorAll('thead th, tbody th').forEach(e => {
    if (!e.getAttribute('scope')) problems.push('th without scope: ' + e.textContent.slice(0, 30));
  });
  document.querySelectorAll('button').forEach(e => {
    if (!e.textContent.trim() && !e.getAttribute('aria-label')) problems.push('button without a name');
  });
  document.querySelectorAll('svg').forEach(e => {
    if (e.getAttribute('role') !== 'img' || !e.querySelector('title')) problems.push('svg without role/title');
  });
  if (!document.documentElement.lang) problems.push('no lang');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
  return problems;
})()"""


def page_checks(browser, name):
    problems = browser.evaluate(ACCESSIBILITY)
    check(problems == [], f"{name}: labels, table header scopes, named buttons, titled charts {problems or ''}")
