#!/usr/bin/env python3
"""Checks of the monitoring artefacts that need more than promtool. Standard library only.

    check-monitoring.py dashboard                      structure of grafana-dashboard.json
    check-monitoring.py rules  --url PROM_URL          rules loaded by a running Prometheus: health, labels,
                                                       annotations, runbook_url anchors, unit-test coverage
    check-monitoring.py exprs  --url PROM_URL [--require-data]
                                                       every PromQL expression of the dashboard, the rules and
                                                       the runbook's promql blocks parses (Prometheus /api/v1/query answers "success");
                                                       --require-data: dashboard queries and recording rules
                                                       must also return data (for an end-to-end run with traffic)

Prints one "ok - ..." or "not ok - ..." line per check and exits 1 if any check failed.
"""
import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import check_report
from check_report import report
from dashboard_checks import DASHBOARD, check_dashboard, dashboard_exprs, substitute

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "alerts-policy.yaml")
RULE_TESTS = os.path.join(HERE, "alerts-policy.test.yaml")
RUNBOOK = os.path.join(HERE, "RUNBOOK.md")
RUNBOOK_URL = "https://github.com/rideease/rideease/blob/main/monitoring/RUNBOOK.md#"
SEVERITIES = {"page", "ticket", "warning"}

# ------------------------------------------------------------------------------------------------------------
def api(url, path, params=None):
    full = url.rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(full, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        try:
            return json.load(e)
        except ValueError:
            return {"status": "error", "error": f"HTTP {e.code}"}


def loaded_rules(url):
    data = api(url, "/api/v1/rules")
    if data.get("status") != "success":
        report(False, "Prometheus /api/v1/rules answers", str(data))
        return []
    return [r for g in data["data"]["groups"] for r in g["rules"]]


def heading_anchors(markdown):
    """GitHub's anchors for the headings of a Markdown file (code blocks skipped, duplicates numbered)."""
    anchors, seen, fenced = set(), {}, False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1))  # [text](link) -> text
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def rule_test_coverage():
    """alertname -> (has a firing expectation, has a silent expectation) in alerts-policy.test.yaml."""
    cover = {}
    lines = open(RULE_TESTS, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^\s*alertname:\s*(\S+)\s*$", line)
        if not m:
            continue
        rest = next((l for l in lines[i + 1:] if l.strip() and not l.strip().startswith("#")), "")
        silent = re.match(r"^\s*exp_alerts:\s*\[\]\s*$", rest) is not None
        fires, quiet = cover.get(m.group(1), (False, False))
        cover[m.group(1)] = (fires or not silent, quiet or silent)
    return cover


def check_rules(url):
    rules = loaded_rules(url)
    in_file = len(re.findall(r"^\s*- (?:alert|record):", open(RULES, encoding="utf-8").read(), re.M))
    report(len(rules) == in_file and in_file > 0, f"Prometheus loaded all {in_file} rules of alerts-policy.yaml",
           f"loaded {len(rules)}")
    bad = [f'{r["name"]}: {r.get("lastError")}' for r in rules if r.get("health") == "err"]
    report(not bad, "no rule reports an evaluation error", "; ".join(bad))

    anchors = heading_anchors(open(RUNBOOK, encoding="utf-8").read())
    cover = rule_test_coverage()
    alerts = [r for r in rules if r["type"] == "alerting"]
    report(len(alerts) >= 3 and {"HighErrorRate", "HighLatency", "ServiceDown"} <= {a["name"] for a in alerts},
           "the original demo's alerts HighErrorRate, HighLatency and ServiceDown exist")
    for a in alerts:
        name, labels, ann = a["name"], a.get("labels", {}), a.get("annotations", {})
        report(labels.get("severity") in SEVERITIES, f"{name}: severity label is page, ticket or warning",
               f'got {labels.get("severity")!r}')
        missing = [k for k in ("summary", "description", "runbook_url") if not ann.get(k, "").strip()]
        report(not missing, f"{name}: has summary, description and runbook_url", f"missing {missing}")
        url_ = ann.get("runbook_url", "")
        anchor = url_[len(RUNBOOK_URL):] if url_.startswith(RUNBOOK_URL) else None
        report(anchor is not None and anchor in anchors, f"{name}: runbook_url anchor exists in RUNBOOK.md",
               f"{url_!r} (anchors: {sorted(anchors)})")
        fires, quiet = cover.get(name, (False, False))
        report(fires and quiet, f"{name}: alerts-policy.test.yaml makes it fire and stay silent",
               f"fire={fires} silent={quiet}")


def runbook_promql():
    """(line number, expr) for each line of the ```promql blocks in RUNBOOK.md."""
    out, inside = [], False
    for n, line in enumerate(open(RUNBOOK, encoding="utf-8").read().splitlines(), 1):
        if line.strip().startswith("```"):
            inside = line.strip() == "```promql"
            continue
        if inside and line.strip():
            out.append((n, line.strip()))
    return out


def check_exprs(url, require_data):
    with open(DASHBOARD, encoding="utf-8") as f:
        dash = json.load(f)
    # Annotations mark events (a model switch) and may rightly be empty.
    exprs = [(w, e, require_data and not w.startswith("annotation")) for w, e in dashboard_exprs(dash)]
    exprs += [(f"RUNBOOK.md promql line {n}", e, False) for n, e in runbook_promql()]
    for r in loaded_rules(url):
        exprs.append((f'{r["type"]} rule {r["name"]}', r["query"], require_data and r["type"] == "recording"))
    parsed = 0
    for where, raw, need_data in exprs:
        try:
            expr = substitute(raw)
        except KeyError as e:
            report(False, f"{where}: parses", f"unknown Grafana variable ${e.args[0]}")
            continue
        res = api(url, "/api/v1/query", {"query": expr})
        ok = res.get("status") == "success"
        if not ok:
            report(False, f"{where}: parses", f'{res.get("errorType")}: {res.get("error")} in {expr!r}')
            continue
        parsed += 1
        report(True, f"{where}: parses")
        if need_data:
            result = res["data"]["result"]
            report(bool(result) if isinstance(result, list) else True, f"{where}: returns data", expr)
    report(parsed == len(exprs), f"{parsed}/{len(exprs)} PromQL expressions (dashboard, rules, runbook) parse in Prometheus")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["dashboard", "rules", "exprs"])
    ap.add_argument("--url")
    ap.add_argument("--require-data", action="store_true")
    args = ap.parse_args()
    if args.what == "dashboard":
        check_dashboard()
    elif not args.url:
        ap.error("--url is required")
    elif args.what == "rules":
        check_rules(args.url)
    else:
        check_exprs(args.url, args.require_data)
    sys.exit(1 if check_report.failures else 0)


if __name__ == "__main__":
    main()
