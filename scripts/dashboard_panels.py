"""Grafana panel builders for scripts/generate-dashboard.py: each call appends a panel with the next id and a grid
position that flows left to right, then down, 24 columns wide. Standard library only."""

DS = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}

I = 'instance=~"$instance"'
IV = 'instance=~"$instance", variant=~"$variant"'
RI = "$__rate_interval"

panels = []
_next_id = [1]
_cursor = {"x": 0, "y": 0, "row_h": 0}


def _id():
    i = _next_id[0]
    _next_id[0] += 1
    return i


def row(title):
    if _cursor["x"] != 0:
        _cursor["y"] += _cursor["row_h"]
    _cursor["x"], _cursor["row_h"] = 0, 0
    panels.append({
        "type": "row", "id": _id(), "title": title, "collapsed": False, "panels": [],
        "gridPos": {"h": 1, "w": 24, "x": 0, "y": _cursor["y"]},
    })
    _cursor["y"] += 1


def _place(w, h):
    if _cursor["x"] + w > 24:
        _cursor["y"] += _cursor["row_h"]
        _cursor["x"], _cursor["row_h"] = 0, 0
    pos = {"h": h, "w": w, "x": _cursor["x"], "y": _cursor["y"]}
    _cursor["x"] += w
    _cursor["row_h"] = max(_cursor["row_h"], h)
    return pos


def _targets(queries, instant=False, fmt="time_series"):
    out = []
    for n, (expr, legend) in enumerate(queries):
        t = {"datasource": DS, "refId": chr(ord("A") + n), "expr": expr, "legendFormat": legend,
             "range": not instant, "instant": instant, "format": fmt}
        out.append(t)
    return out


def timeseries(title, queries, unit="short", w=12, h=8, description="", min_=None, max_=None, stack=False,
               thresholds=None):
    defaults = {"unit": unit, "custom": {"lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
                                         "spanNulls": False,
                                         "stacking": {"mode": "normal" if stack else "none", "group": "A"}}}
    if min_ is not None:
        defaults["min"] = min_
    if max_ is not None:
        defaults["max"] = max_
    if thresholds:
        defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}
        defaults["custom"]["thresholdsStyle"] = {"mode": "line"}
    panels.append({
        "type": "timeseries", "id": _id(), "title": title, "description": description, "datasource": DS,
        "gridPos": _place(w, h), "targets": _targets(queries),
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
    })


def stat(title, queries, unit="short", w=6, h=4, description="", thresholds=None, decimals=None):
    defaults = {"unit": unit, "thresholds": {"mode": "absolute", "steps": thresholds or [
        {"color": "green", "value": None}]}}
    if decimals is not None:
        defaults["decimals"] = decimals
    panels.append({
        "type": "stat", "id": _id(), "title": title, "description": description, "datasource": DS,
        "gridPos": _place(w, h), "targets": _targets(queries),
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "value", "graphMode": "area", "textMode": "auto", "justifyMode": "auto",
                    "orientation": "auto"},
    })


def table(title, queries, w=12, h=8, description="", hide=("Time", "Value", "__name__")):
    panels.append({
        "type": "table", "id": _id(), "title": title, "description": description, "datasource": DS,
        "gridPos": _place(w, h), "targets": _targets(queries, instant=True, fmt="table"),
        "fieldConfig": {"defaults": {}, "overrides": []},
        "options": {"showHeader": True, "footer": {"show": False, "reducer": ["sum"], "fields": ""}},
        "transformations": [{"id": "organize", "options": {"excludeByName": {k: True for k in hide}}}],
    })


def red_yellow(yellow, red):
    return [{"color": "green", "value": None}, {"color": "yellow", "value": yellow}, {"color": "red", "value": red}]


def variable(name, label, query, description):
    return {
        "name": name, "label": label, "description": description, "type": "query", "datasource": DS,
        "definition": query, "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
        "refresh": 2, "includeAll": True, "allValue": ".*", "multi": True, "sort": 1, "regex": "", "hide": 0,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "options": [],
    }
