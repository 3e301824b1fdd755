"""One "ok - ..." or "not ok - ..." line per check, and the count of failures (imported by check-monitoring.py
and dashboard_checks.py)."""

failures = 0


def report(ok, what, detail=""):
    global failures
    if ok:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"not ok - {what}" + (f": {detail}" if detail else ""))
