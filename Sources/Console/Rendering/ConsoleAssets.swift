/// The console's only stylesheet and script, embedded in the binary (no CDN, no build step) and served from
/// `/_console/assets/…` so the pages can forbid inline script and style in their Content-Security-Policy.
enum ConsoleAssets {
    /// Readable on a laptop, WCAG AA contrast (text #1b1f24 on #fff, links #0b57d0), a visible focus ring.
    static let stylesheet = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #4a5260; --line: #d0d5dd; --accent: #0b57d0;
          --bad: #a50e0e; --good: #0d652d; --warn: #7a4a00; --panel: #f4f6f8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
          color: var(--ink); background: #fff; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #f9ab00; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
        header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #16233a;
          color: #fff; flex-wrap: wrap; }
        header.top .brand { font-weight: 700; font-size: 17px; }
        header.top nav ul { display: flex; gap: 4px; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
        header.top nav a { color: #fff; text-decoration: none; padding: 6px 12px; border-radius: 6px; display: block; }
        header.top nav a[aria-current="page"] { background: #34507f; font-weight: 600; }
        header.top nav a:hover { background: #2a3f63; }
        header.top .session { margin-left: auto; }
        main { padding: 16px 24px 48px; max-width: 1400px; }
        h1 { font-size: 22px; margin: 8px 0 12px; }
        h2 { font-size: 18px; margin: 24px 0 8px; }
        p.lead { color: var(--muted); margin-top: 0; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
        thead th { background: var(--panel); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
        ul.plain { list-style: none; margin: 0; padding: 0; }
        .status-ok, .status-succeeded, .decision-ship { color: var(--good); font-weight: 600; }
        .status-error, .status-failed, .decision-rollback { color: var(--bad); font-weight: 600; }
        .status-running, .decision-keep-running { color: var(--warn); font-weight: 600; }
        .status-draft, .status-stopped { color: var(--muted); font-weight: 600; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e3ecfa; color: #0b3a8c;
          font-size: 12px; font-weight: 600; margin-right: 4px; }
        button, select, input { font: inherit; }
        button { border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px;
          padding: 4px 12px; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: var(--bad); border-color: var(--bad); }
        button:disabled { background: #c4c9d0; border-color: #c4c9d0; color: #3d434c; cursor: not-allowed; }
        input, select { border: 1px solid #6b7280; border-radius: 6px; padding: 4px 8px; background: #fff; color: var(--ink); }
        form.inline { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
        .panel h2 { margin-top: 0; }
        nav.windows { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
        nav.windows ul { display: flex; gap: 4px; list-style: none; margin: 0; padding: 0; }
        nav.windows a { display: block; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; }
        nav.windows a[aria-current="page"] { background: var(--accent); color: #fff; border-color: var(--accent); }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
        .notice { border-left: 4px solid var(--warn); background: #fff8e6; padding: 8px 12px; margin: 12px 0; }
        .error { border-left: 4px solid var(--bad); background: #fdecea; padding: 8px 12px; margin: 12px 0; }
        #flash:empty { display: none; }
        #flash { border-left: 4px solid var(--accent); background: #e8f0fe; padding: 8px 12px; margin: 12px 0; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; background: #fff; }
        figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
        svg .axis { stroke: #6b7280; stroke-width: 1; }
        svg .grid { stroke: #e5e7eb; stroke-width: 1; }
        svg text { font-size: 11px; fill: #374151; }
        svg polyline { fill: none; stroke-width: 2.5; }
        .legend { display: flex; gap: 12px; font-size: 13px; margin-top: 4px; flex-wrap: wrap; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
        .swatch-0 { background: #0b57d0; } .swatch-1 { background: #c5221f; } .swatch-2 { background: #188038; }
        .swatch-3 { background: #8430ce; } .swatch-4 { background: #b06000; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        dl.replay { display: grid; grid-template-columns: max-content 1fr; gap: 0 8px; margin: 0; }
        dl.replay dt { font-weight: 600; }
        dl.replay dd { margin: 0; white-space: nowrap; }
        tr.explored { background: #fff8e6; }
        #trace-items { width: auto; min-width: 40%; }
        tr.part th { padding-left: 24px; font-weight: normal; }
        dialog { border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; max-width: 460px; }
        dialog::backdrop { background: rgba(0, 0, 0, .35); }
        dialog .buttons { display: flex; gap: 8px; justify-content: flex-end; margin-top: 16px; }
        """

    /// Progressive behaviour: sign-in, confirmation dialogs for admin actions, and the two lookup forms (the
    /// console's routes carry their parameters in the path).
    static let script = """
        "use strict";
        (function () {
          const flash = document.getElementById("flash");
          const saved = sessionStorage.getItem("rideease-console-flash");
          if (saved && flash) { flash.textContent = saved; sessionStorage.removeItem("rideease-console-flash"); }

          function say(text) { if (flash) { flash.textContent = text; } }

          async function post(url, headers) {
            const response = await fetch(url, { method: "POST", credentials: "same-origin",
              headers: Object.assign({ "X-RideEase-Console": "1" }, headers || {}) });
            let message = response.statusText;
            try {
              const body = await response.json();
              message = body.error ? body.error.message : (body.message || message);
            } catch (ignored) { /* not JSON */ }
            return { ok: response.ok, status: response.status, message: message };
          }

          const dialog = document.getElementById("confirm-dialog");
          function confirmAction(message) {
            return new Promise(function (resolve) {
              if (!dialog) { resolve(false); return; }
              document.getElementById("confirm-message").textContent = message;
              dialog.returnValue = "";
              dialog.addEventListener("close", function onClose() {
                dialog.removeEventListener("close", onClose);
                resolve(dialog.returnValue === "confirm");
              });
              dialog.showModal();
              document.getElementById("confirm-cancel").focus();
            });
          }

          async function runAction(url, question, done) {
            if (!(await confirmAction(question))) { say("Cancelled."); return; }
            say("Working…");
            const result = await post(url);
            if (result.ok) {
              sessionStorage.setItem("rideease-console-flash", done + " " + result.message);
              location.reload();
            } else {
              say("Failed (" + result.status + "): " + result.message);
            }
          }

          document.querySelectorAll("button[data-action-url]").forEach(function (button) {
            button.addEventListener("click", function () {
              runAction(button.dataset.actionUrl, button.dataset.confirm, button.dataset.done || "Done.");
            });
          });

          document.querySelectorAll("form.switch-model").forEach(function (form) {
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              const version = form.dataset.version;
              const target = form.elements.target.value;
              runAction("/_console/actions/switch/" + encodeURIComponent(target) + "/" + encodeURIComponent(version),
                "Serve " + version + " in " + (target === "all" ? "every variant" : target) + "?",
                "Switched.");
            });
          });

          document.querySelectorAll("form.stop-experiment").forEach(function (form) {
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              const id = form.dataset.experiment;
              const serve = form.elements.serve.value;
              runAction("/_console/actions/experiments/" + encodeURIComponent(id) + "/stop/" + encodeURIComponent(serve),
                "Stop experiment " + id + " and serve " + serve + " to every rider?", "Stopped.");
            });
          });

          // The console's actions carry their parameters in the path; "-" stands for a field left empty.
          const create = document.getElementById("create-experiment");
          if (create) {
            create.addEventListener("submit", function (event) {
              event.preventDefault();
              const field = function (name) {
                const value = create.elements[name].value.trim();
                return encodeURIComponent(value === "" ? "-" : value);
              };
              const id = create.elements.id.value.trim();
              runAction("/_console/actions/experiments/" + encodeURIComponent(id) + "/create/" +
                [field("design"), field("coverage"), field("control"), field("treatment")].join("/"),
                "Create the " + create.elements.design.value + " experiment " + id + " as a draft?", "Created.");
            });
          }

          const shadow = document.getElementById("start-shadow");
          if (shadow) {
            shadow.addEventListener("submit", function (event) {
              event.preventDefault();
              const version = shadow.elements.version.value;
              const target = shadow.elements.target.value;
              const percent = shadow.elements.percent.value.trim() || "-";
              runAction("/_console/actions/shadow/start/" + [version, target, percent].map(encodeURIComponent).join("/"),
                "Shadow " + version + " on " + (target === "all" ? "every variant" : target) + " at " +
                (percent === "-" ? "100" : percent) + " % of requests?", "Started.");
            });
          }

          const signIn = document.getElementById("sign-in");
          if (signIn) {
            signIn.addEventListener("submit", async function (event) {
              event.preventDefault();
              const result = await post("/_console/session", { "X-Api-Key": signIn.elements.key.value });
              if (result.ok) { location.reload(); } else { say("Sign-in failed: " + result.message); }
            });
          }
          const signOut = document.getElementById("sign-out");
          if (signOut) {
            signOut.addEventListener("click", async function () {
              await post("/_console/session/end");
              location.assign("/_console");
            });
          }

          const traceLookup = document.getElementById("trace-lookup");
          if (traceLookup) {
            traceLookup.addEventListener("submit", function (event) {
              event.preventDefault();
              const id = traceLookup.elements.requestId.value.trim();
              if (id) { location.assign("/_console/traces/" + encodeURIComponent(id)); }
            });
          }
          const logFilter = document.getElementById("log-filter");
          if (logFilter) {
            logFilter.addEventListener("submit", function (event) {
              event.preventDefault();
              const fn = logFilter.elements.function.value || "all";
              const id = logFilter.elements.requestId.value.trim();
              location.assign("/_console/logs/" + encodeURIComponent(fn) + (id ? "/" + encodeURIComponent(id) : ""));
            });
          }
        })();
        """
}
