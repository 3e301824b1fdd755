"""Structure of grafana-dashboard.json and the PromQL expressions it holds (imported by check-monitoring.py)."""
import json
import os
import re

from check_report import report

HERE = os.path.dirname(os.path.abspath(__file__))
DASHBOARD = os.path.join(HERE, "grafana-dashboard.json")

# Grafana variables and what they become for Prometheus (regex matchers get ".*").
GRAFANA_VARIABLES = {
    "__rate_interval": "1m", "__interval": "1m", "__range": "1h", "__range_s": "3600", "__interval_ms": "60000",
    "instance": ".*", "variant": ".*",
}


def substitute(expr):
    def repl(m):
        name = m.group(1) or m.group(2)
        if name not in GRAFANA_VARIABLES:
            raise KeyError(name)
        return GRAFANA_VARIABLES[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", repl, expr)


def dashboard_exprs(dash):
    """(where, expr) for every PromQL expression: panel targets, annotations, template variable queries."""
    out = []

    def walk(panels):
        for p in panels:
            for t in p.get("targets", []):
                out.append((f'panel {p.get("id")} "{p.get("title")}" target {t.get("refId")}', t.get("expr", "")))
            walk(p.get("panels", []))
    walk(dash.get("panels", []))
    for a in dash.get("annotations", {}).get("list", []):
        if a.get("expr"):
            out.append((f'annotation "{a.get("name")}"', a["expr"]))
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else (q or "")
        m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", q, re.S)
        if m:
            out.append((f'variable ${v.get("name")} (label_values selector)', m.group(1)))
        elif q.strip() and not re.fullmatch(r"\s*(label_values|label_names|metrics)\(.*\)\s*", q, re.S):
            out.append((f'variable ${v.get("name")}', q))
    return out


# ------------------------------------------------------------------------------------------------------------
def check_dashboard():
    try:
        with open(DASHBOARD, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        report(False, "grafana-dashboard.json is valid JSON", str(e))
        return
    report(True, "grafana-dashboard.json is valid JSON")

    inputs = dash.get("__inputs", [])
    report(any(i.get("name") == "DS_PROMETHEUS" and i.get("type") == "datasource" and i.get("pluginId") == "prometheus"
               for i in inputs), "dashboard __inputs declares the DS_PROMETHEUS Prometheus datasource")
    req = {(r.get("type"), r.get("id")) for r in dash.get("__requires", [])}
    report(("grafana", "grafana") in req and ("datasource", "prometheus") in req,
           "dashboard __requires lists grafana and the prometheus datasource")
    report(dash.get("id") is None and bool(dash.get("uid")) and bool(dash.get("title")),
           "dashboard is importable (id null, uid and title set)")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    for name in ("instance", "variant"):
        v = variables.get(name)
        q = v.get("query") if v else None
        q = q.get("query", "") if isinstance(q, dict) else (q or "")
        report(v is not None and v.get("type") == "query" and q.startswith("label_values(")
               and v.get("datasource", {}).get("uid") == "${DS_PROMETHEUS}",
               f"templating has a label_values query variable ${name} on ${{DS_PROMETHEUS}}")

    panels, ids, problems = [], [], []

    def walk(ps):
        for p in ps:
            panels.append(p)
            walk(p.get("panels", []))
    walk(dash.get("panels", []))
    used_panel_types = set()
    for p in panels:
        ids.append(p.get("id"))
        where = f'panel {p.get("id")} "{p.get("title")}"'
        if not p.get("title"):
            problems.append(f"{where}: no title")
        gp = p.get("gridPos", {})
        if not all(isinstance(gp.get(k), int) for k in ("h", "w", "x", "y")) or gp.get("x", 0) + gp.get("w", 0) > 24:
            problems.append(f"{where}: bad gridPos {gp}")
        if p.get("type") == "row":
            continue
        used_panel_types.add(p.get("type"))
        if p.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}":
            problems.append(f"{where}: datasource is not ${{DS_PROMETHEUS}}")
        targets = p.get("targets") or []
        if not targets:
            problems.append(f"{where}: no targets")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs):
            problems.append(f"{where}: duplicate refIds")
        for t in targets:
            if not t.get("expr", "").strip():
                problems.append(f"{where}: target {t.get('refId')} has no expr")
            if t.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}":
                problems.append(f"{where}: target {t.get('refId')} datasource is not ${{DS_PROMETHEUS}}")
            expr = t.get("expr", "")
            if re.search(r"\brate\(|\bincrease\(", expr) and "$__rate_interval" not in expr and not re.search(
                    r"\[\d+[hd]\]", expr):
                problems.append(f"{where}: rate/increase without $__rate_interval or an explicit >=1h window")
    report(not problems, f"every one of {len(panels)} panels has a title, grid position, datasource and targets",
           "; ".join(problems))
    dup = sorted({i for i in ids if ids.count(i) > 1})
    report(None not in ids and not dup, "panel ids are unique", f"duplicates {dup}" if dup else "missing id")
    required = {t for (k, t) in req if k == "panel"}
    report(used_panel_types <= required, "every panel type is listed in __requires",
           f"missing {sorted(used_panel_types - required)}")
    titles = " | ".join(p.get("title", "") for p in panels).lower()
    for needle in ("latency p50 / p95 / p99", "request rate", "error rate", "success rate", "uptime",
                   "models in service", "conversion", "since last successful training", "ndcg", "trace buffer",
                   "switches", "shadow requests", "shadow error share", "shadow agreement", "top item changed",
                   "shadow scoring latency"):
        report(needle in titles, f'dashboard has a "{needle}" panel')
