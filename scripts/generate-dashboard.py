#!/usr/bin/env python3
"""Writes monitoring/grafana-dashboard.json, the RideEase Grafana dashboard (importable: __inputs/__requires).

    python3 scripts/generate-dashboard.py          # rewrite the JSON
    python3 scripts/generate-dashboard.py --check  # exit 1 if the JSON differs from what this script renders

Edit the panels here, not in the JSON, so ids and grid positions stay consistent. Standard library only.
Every query selects instance=~"$instance" and, where the metric has one, variant=~"$variant"; rates use
$__rate_interval. Recording rules from alerts-policy.yaml (job-level SLO ratios) are used where noted.
"""
import json
import os
import sys

from dashboard_panels import DS, I, IV, RI, panels, red_yellow, row, stat, table, timeseries, variable

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "monitoring", "grafana-dashboard.json")

# --------------------------------------------------------------------------------------------------------------
row("Service (the original demo's metrics)")
stat("Targets up", [(f'sum(up{{job="rideease-inference", {I}}})', "up")], w=4,
     description="Scrape targets of job rideease-inference answering /metrics (ServiceDown alert when 0).",
     thresholds=[{"color": "red", "value": None}, {"color": "green", "value": 1}])
stat("Uptime", [(f'min(rideease_service_uptime_seconds{{{I}}})', "uptime")], unit="s", w=4,
     description="rideease_service_uptime_seconds: the youngest selected instance. A reset means a restart.")
stat("Success rate", [(
    f'sum(rate(rideease_prediction_requests_total{{{IV}, status="success"}}[{RI}])) / '
    f'sum(rate(rideease_prediction_requests_total{{{IV}}}[{RI}]))', "success")],
    unit="percentunit", w=4, decimals=2,
    thresholds=[{"color": "red", "value": None}, {"color": "yellow", "value": 0.95}, {"color": "green", "value": 0.999}])
stat("Requests/s", [(f'sum(rate(rideease_prediction_requests_total{{{IV}}}[{RI}]))', "req/s")], unit="reqps", w=4)
stat("Error budget burn (1h)", [('max(job:rideease_prediction_requests:error_ratio_rate1h) / 0.001', "burn 1h")],
     w=4, decimals=1, description="Job-level availability error ratio over 1h divided by the 0.1% budget "
     "(recording rule; invalid input excluded). 14.4 pages with the 5m window.",
     thresholds=red_yellow(1, 14.4))
stat("Error budget burn (6h)", [('max(job:rideease_prediction_requests:error_ratio_rate6h) / 0.001', "burn 6h")],
     w=4, decimals=1, thresholds=red_yellow(1, 6))

timeseries("Latency P50 / P95 / P99 by variant", [
    (f'histogram_quantile({q}, sum by (variant, le) (rate(rideease_prediction_latency_ms_bucket{{{IV}}}[{RI}])))',
     f"p{int(q * 100)} {{{{variant}}}}") for q in (0.5, 0.95, 0.99)],
    unit="ms", description="rideease_prediction_latency_ms histogram. HighLatency fires when P95 > 500 ms for 10m.",
    thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 500}])
timeseries("Request rate by variant and status", [
    (f'sum by (variant, status) (rate(rideease_prediction_requests_total{{{IV}}}[{RI}]))', "{{variant}} {{status}}"),
    (f'sum by (variant) (rate(rideease_prediction_fallback_total{{{IV}}}[{RI}]))', "{{variant}} fallback")],
    unit="reqps", description="Fallback answers (popularity, cold start) are also counted as success.")
timeseries("Error rate by variant", [
    (f'sum by (variant) (rate(rideease_prediction_requests_total{{{I}, status="error"}}[{RI}])) / '
     f'sum by (variant) (rate(rideease_prediction_requests_total{{{I}}}[{RI}]))', "{{variant}}")],
    unit="percentunit", min_=0, description="Failed / all requests. variant \"none\" = failed before assignment "
    "(mostly invalid input). HighErrorRate fires above 5% overall.",
    thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 0.05}])
timeseries("Errors by stage", [
    (f'sum by (stage) (rate(rideease_prediction_errors_total{{{I}}}[{RI}]))', "{{stage}}")],
    unit="reqps", stack=True, description="rideease_prediction_errors_total: validation, assignment, model, trace, storage.")
timeseries("Success rate", [
    (f'sum by (variant) (rate(rideease_prediction_requests_total{{{IV}, status="success"}}[{RI}])) / '
     f'sum by (variant) (rate(rideease_prediction_requests_total{{{IV}}}[{RI}]))', "{{variant}}")],
    unit="percentunit", max_=1)
timeseries("Availability SLI (99.9% target)", [
    (f'1 - job:rideease_prediction_requests:error_ratio_rate{w}', f"{w}") for w in ("5m", "1h", "6h", "1d", "3d")],
    unit="percentunit", max_=1, description="Job-level recording rules from alerts-policy.yaml (not filtered by "
    "instance). Invalid input (stage validation) is excluded.",
    thresholds=[{"color": "red", "value": None}, {"color": "green", "value": 0.999}])

# --------------------------------------------------------------------------------------------------------------
row("Models")
table("Models in service", [(f'max by (variant, version) (rideease_model_info{{{IV}}}) == 1', "")],
      description="rideease_model_info == 1: the version serving each variant (several rows per variant = "
      "instances disagree, e.g. during a switch).")
timeseries("Instances per served version", [
    (f'count by (variant, version) (rideease_model_info{{{IV}}} == 1)', "{{variant}} {{version}}")],
    description="How many instances serve each version; converges within the poll interval after a switch.")
timeseries("Model switches", [
    (f'sum by (target, result) (increase(rideease_model_switches_total{{{I}}}[{RI}]))', "{{target}} {{result}}")],
    description="POST /admin/switch-model and /admin/rollback outcomes (ModelSwitchFailures on failure).")
timeseries("Model load failures", [
    (f'sum by (variant) (increase(rideease_model_load_failures_total{{{IV}}}[{RI}]))', "{{variant}}")],
    description="Versions that failed to load or pass the smoke check (ModelLoadFailures).")

# --------------------------------------------------------------------------------------------------------------
row("A/B experiment")
timeseries("Conversion rate by variant (1h rolling)", [
    (f'sum by (experiment, variant) (increase(rideease_experiment_conversions_total{{{IV}}}[1h])) / '
     f'sum by (experiment, variant) (increase(rideease_experiment_exposures_total{{{IV}}}[1h]))',
     "{{experiment}} {{variant}}")],
    unit="percentunit", min_=0, description="Conversions / exposures over a 1h window (shorter windows are noise). "
    "TreatmentConversionWorse compares 6h windows.")
timeseries("Exposures by variant", [
    (f'sum by (experiment, variant) (rate(rideease_experiment_exposures_total{{{IV}}}[{RI}]))',
     "{{experiment}} {{variant}}")], unit="reqps")
timeseries("Conversion z statistic, treatment vs control (6h)", [
    ('job_experiment:rideease_experiment_conversion:zscore6h', "{{experiment}}")],
    description="Two-proportion z (recording rule). Below -2.58 with treatment < 80% of control fires "
    "TreatmentConversionWorse.",
    thresholds=[{"color": "red", "value": None}, {"color": "green", "value": -2.58}])
timeseries("P95 latency and error ratio, treatment / control", [
    ('sum by (job) (job_variant:rideease_prediction_latency_ms:p95_rate5m{variant="treatment"}) / '
     'sum by (job) (job_variant:rideease_prediction_latency_ms:p95_rate5m{variant="control"})', "P95 latency ratio"),
    ('sum by (job) (job_variant:rideease_prediction_requests:error_ratio_rate30m{variant="treatment"}) / '
     'sum by (job) (job_variant:rideease_prediction_requests:error_ratio_rate30m{variant="control"})',
     "30m error ratio ratio")],
    description="Above 1.5 (latency) / 2 (errors) the treatment alerts may fire.")

# --------------------------------------------------------------------------------------------------------------
row("Shadow deployment")
SCORED = f'sum by (variant) (rate(rideease_shadow_requests_total{{{IV}, outcome="scored"}}[{RI}]))'
table("Version in shadow", [(f'max by (version) (rideease_shadow_active{{{I}}}) == 1', "")], w=6,
      description="rideease_shadow_active == 1: the version scoring sampled requests off the response path "
      "(POST /admin/shadow; GET /admin/shadow names its target and sample). Empty: no shadow runs.")
timeseries("Shadow requests by variant and outcome", [
    (f'sum by (variant, outcome) (rate(rideease_shadow_requests_total{{{IV}}}[{RI}]))', "{{variant}} {{outcome}}")],
    unit="reqps", w=9, description="Sampled requests: scored and compared, error (the shadow model failed or did not "
    "load), dropped (more than 256 waited for the background thread; ShadowFallingBehind above 50%).")
timeseries("Shadow error share of attempts", [
    (f'sum by (variant) (rate(rideease_shadow_requests_total{{{IV}, outcome="error"}}[{RI}])) / '
     f'sum by (variant) (rate(rideease_shadow_requests_total{{{IV}, outcome=~"scored|error"}}[{RI}]))',
     "{{variant}}")],
    unit="percentunit", w=9, min_=0, description="error / (scored + error). ShadowScoringErrors fires above 5% "
    "for 10m.", thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 0.05}])
timeseries("Shadow agreement: mean Jaccard@k and RBO", [
    (f'sum by (variant) (rate(rideease_shadow_{m}_sum{{{IV}}}[{RI}])) / '
     f'sum by (variant) (rate(rideease_shadow_{m}_count{{{IV}}}[{RI}]))', f"{{{{variant}}}} {label}")
    for m, label in (("jaccard", "Jaccard@k"), ("rbo", "RBO"))],
    min_=0, max_=1, w=8, description="Means over the scored requests of the served list against the shadow's: "
    "Jaccard@k (shared items, order ignored) and rank-biased overlap (p = 0.9, top-weighted; 1 = identical). "
    "ShadowDisagreement fires when the 30m mean RBO is below 0.5.",
    thresholds=[{"color": "red", "value": None}, {"color": "green", "value": 0.5}])
timeseries("Shadow top item changed share", [
    (f'sum by (variant) (rate(rideease_shadow_top_item_changed_total{{{IV}}}[{RI}])) / {SCORED}', "{{variant}}")],
    unit="percentunit", min_=0, max_=1, w=8, description="Scored requests whose first item differs between the "
    "served and the shadow list. ShadowDisagreement fires above 80% over 30m.",
    thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 0.8}])
timeseries("Shadow scoring latency P50 / P99", [
    (f'histogram_quantile({q}, sum by (variant, le) (rate(rideease_shadow_scoring_seconds_bucket{{{IV}}}[{RI}])))',
     f"p{int(q * 100)} {{{{variant}}}}") for q in (0.5, 0.99)],
    unit="s", w=8, description="Time the shadow model took per request on the background thread (idle priority), off the "
    "response path: it shows what the version would cost, plus the wait for cores that serving leaves.")

# --------------------------------------------------------------------------------------------------------------
row("Training and scheduled jobs")
stat("Since last successful training", [
    (f'time() - max(rideease_training_last_success_timestamp_seconds{{{I}}})', "age")], unit="s", w=6,
    description="TrainingStale fires after 8 days (weekly schedule + 1 day).",
    thresholds=red_yellow(7 * 86400, 8 * 86400))
stat("Last offline NDCG@10", [(f'max(rideease_training_last_ndcg_at_10{{{I}}})', "NDCG@10")], w=6, decimals=4)
stat("Last training duration", [(f'max(rideease_training_duration_seconds{{{I}}})', "duration")], unit="s", w=6)
stat("Scheduled job failures (24h)", [
    (f'sum(increase(rideease_scheduled_job_runs_total{{{I}, status="failed"}}[1d]))', "failed")], w=6, decimals=0,
    thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}])
timeseries("Scheduled job runs", [
    (f'sum by (exported_job, status) (increase(rideease_scheduled_job_runs_total{{{I}}}[{RI}]))',
     "{{exported_job}} {{status}}")],
    description="rideease_scheduled_job_runs_total; the service's `job` label is stored as exported_job.")
timeseries("Offline NDCG@10 of the last training", [
    (f'max by (instance) (rideease_training_last_ndcg_at_10{{{I}}})', "{{instance}}")], min_=0)

# --------------------------------------------------------------------------------------------------------------
row("Pipeline internals")
timeseries("Trace buffer depth", [(f'max by (instance) (rideease_trace_buffer_depth{{{I}}})', "{{instance}}")],
           w=8, description="Prediction traces buffered, not yet written (group commit).")
timeseries("Traces dropped", [
    (f'sum by (instance) (increase(rideease_trace_dropped_total{{{I}}}[{RI}]))', "{{instance}}")], w=8,
    description="Dropped because the buffer was full (TraceRecordsDropped).")
timeseries("Storage errors by operation", [
    (f'sum by (operation) (rate(rideease_storage_errors_total{{{I}}}[{RI}]))', "{{operation}}")], unit="ops", w=8)
timeseries("Function invocations by function and code", [
    (f'sum by (function, code) (rate(rideease_function_invocations_total{{{I}}}[{RI}]))', "{{function}} {{code}}")],
    unit="reqps")
timeseries("Function duration P95", [
    (f'histogram_quantile(0.95, sum by (function, le) (rate(rideease_function_duration_seconds_bucket{{{I}}}[{RI}])))',
     "{{function}}")], unit="s")
timeseries("Offload queue depth by pool", [
    (f'max by (pool) (rideease_offload_queue_depth{{{I}}})', "{{pool}} queued"),
    (f'max by (pool) (rideease_offload_threads{{{I}}})', "{{pool}} threads")],
    description="Jobs waiting for a thread of the bounded pools: io (file writes, fsyncs), cpu (fits, artifact "
    "decoding, heavy handlers, background tasks) and background (shadow scoring, one thread at idle priority). A queue that "
    "keeps growing means the pool is the bottleneck.")
timeseries("Offload jobs running and finished", [
    (f'max by (pool) (rideease_offload_running{{{I}}})', "{{pool}} running"),
    (f'sum by (pool) (rate(rideease_offload_jobs_total{{{I}}}[{RI}]))', "{{pool}} finished/s")],
    description="Running never exceeds the pool's threads; finished/s is the pool's throughput.")


dashboard = {
    "__inputs": [{
        "name": "DS_PROMETHEUS", "label": "Prometheus", "description": "The Prometheus that scrapes job rideease-inference",
        "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus",
    }],
    "__elements": {},
    "__requires": [
        {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "9.4.0"},
        {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
        {"type": "panel", "id": "stat", "name": "Stat", "version": ""},
        {"type": "panel", "id": "table", "name": "Table", "version": ""},
        {"type": "panel", "id": "timeseries", "name": "Time series", "version": ""},
    ],
    "annotations": {"list": [
        {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
         "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"},
        {"datasource": DS, "enable": True, "hide": False, "iconColor": "orange", "name": "Model switches",
         "expr": f'sum(increase(rideease_model_switches_total{{{I}, result="success"}}[2m])) > 0',
         "step": "1m", "titleFormat": "model switch", "textFormat": "", "useValueForTime": False},
    ]},
    "description": "RideEase inference: the original demo's serving metrics, SLO burn, models, A/B, shadow, "
                   "training, pipeline. Alerts: monitoring/alerts-policy.yaml; runbook: monitoring/RUNBOOK.md.",
    "editable": True,
    "fiscalYearStartMonth": 0,
    "graphTooltip": 1,
    "id": None,
    "links": [{"title": "Runbook", "type": "link", "icon": "doc", "targetBlank": True, "tooltip": "",
               "url": "https://github.com/rideease/rideease/blob/main/monitoring/RUNBOOK.md", "tags": [],
               "asDropdown": False, "includeVars": False, "keepTime": False}],
    "liveNow": False,
    "panels": panels,
    "refresh": "30s",
    "schemaVersion": 38,
    "style": "dark",
    "tags": ["rideease", "mlops"],
    "templating": {"list": [
        variable("instance", "Instance", "label_values(rideease_service_uptime_seconds, instance)",
                  "Instances exposing rideease_service_uptime_seconds"),
        variable("variant", "Variant", 'label_values(rideease_prediction_requests_total{instance=~"$instance"}, variant)',
                  "A/B variant (control, treatment; none = failed before assignment)"),
    ]},
    "time": {"from": "now-6h", "to": "now"},
    "timepicker": {},
    "timezone": "",
    "title": "RideEase inference",
    "uid": "rideease-inference",
    "version": 1,
    "weekStart": "",
}


def render():
    return json.dumps(dashboard, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{OUT} is out of date: run python3 scripts/generate-dashboard.py", file=sys.stderr)
                sys.exit(1)
        print(f"{os.path.relpath(OUT)} matches scripts/generate-dashboard.py")
    else:
        with open(OUT, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(OUT)} ({len(panels)} panels)")
