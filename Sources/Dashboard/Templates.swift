/// The page's Mustache templates, compiled into the binary (a copied binary needs no files beside it). Mustache
/// escapes every `{{value}}`: nothing from Graph or an alert reaches the page as markup.
enum Templates {
    static let style = """
        <style>
        :root { --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
                --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --card: #ffffff; --page: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
               color: var(--ink); background: var(--page); }
        header { background: #24292f; color: #fff; padding: 14px 28px; display: flex; gap: 24px; align-items: baseline; }
        header h1 { font-size: 20px; margin: 0; }
        header .meta { color: #c9d1d9; font-size: 13px; }
        main { padding: 20px 28px 40px; max-width: 1400px; }
        section.tenant { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px;
                         margin-bottom: 24px; }
        h2 { margin: 0 0 4px; font-size: 22px; }
        h3 { margin: 22px 0 8px; font-size: 16px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        .status { color: var(--muted); font-size: 13px; }
        .status .bad { color: var(--bad); font-weight: 600; }
        .pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; }
        .pill.open { background: var(--bad-bg); color: var(--bad); }
        .pill.acknowledged { background: var(--warn-bg); color: var(--warn); }
        .pill.closed, .pill.good { background: var(--ok-bg); color: var(--ok); }
        .incident { border: 2px solid var(--bad); border-radius: 8px; padding: 12px 16px; margin: 10px 0; background: #fffafa; }
        .incident.acknowledged { border-color: #d4a72c; background: #fffdf0; }
        .incident h4 { margin: 0 0 4px; font-size: 17px; }
        .incident .rotate { color: var(--bad); font-weight: 600; }
        .incident ol { margin: 8px 0 0; padding-left: 20px; font-size: 13px; }
        .incident ol li { margin: 2px 0; }
        .incident time { font-variant-numeric: tabular-nums; color: var(--muted); margin-right: 8px; }
        .calm { padding: 10px 14px; border-radius: 8px; background: var(--ok-bg); color: var(--ok); font-weight: 600; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
        td.problems ul { margin: 0; padding-left: 18px; }
        .sev-critical, .sev-high { color: var(--bad); font-weight: 600; }
        .status-fail { color: var(--bad); font-weight: 600; }
        .status-warn, .status-unknown { color: var(--warn); }
        td.name { white-space: nowrap; font-weight: 600; }
        table.grid { width: auto; }
        table.grid th.scenario { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; height: 170px;
                                 vertical-align: bottom; padding: 6px 4px; text-transform: none; font-size: 13px; }
        table.grid td.cell { width: 44px; height: 34px; text-align: center; font-size: 18px; font-weight: 700;
                             border: 2px solid #fff; }
        table.grid td.in { background: #2da44e; color: #fff; }
        table.grid td.out { background: #cf222e; color: #fff; }
        table.grid tr.emergency td.who { font-weight: 700; }
        table.grid td.who small { color: var(--muted); font-weight: 400; }
        table.grid tr.verdict td { font-size: 12px; font-weight: 700; text-align: center; }
        table.grid tr.verdict td.yes { color: var(--ok); }
        table.grid tr.verdict td.no { color: var(--bad); }
        .legend { font-size: 12px; color: var(--muted); margin-top: 6px; }
        footer { color: var(--muted); font-size: 12px; padding: 0 28px 30px; }
        form.login { max-width: 420px; margin: 80px auto; background: #fff; border: 1px solid var(--line); padding: 24px;
                     border-radius: 10px; }
        form.login input { width: 100%; padding: 8px; font-size: 15px; margin: 8px 0 14px; }
        </style>
        """

    static let incident = """
        <article class="incident {{state}}" id="incident-{{id}}" data-state="{{state}}">
          <h4>{{title}}: {{subject}} <span class="pill {{state}}">{{state}}</span></h4>
          <div>{{summary}}</div>
          <div class="status">Opened {{openedAtText}}{{#acknowledgedBy}} · acknowledged by {{acknowledgedBy}} ({{reason}}){{/acknowledgedBy}}{{#note}} · {{note}}{{/note}}</div>
          {{#needsRotation}}<div class="rotate">Open until the password is changed after the last sign-in.</div>{{/needsRotation}}
          {{#closedBecause}}<div class="status">{{closedBecause}}</div>{{/closedBecause}}
          <ol class="timeline">
            {{#timeline}}<li><time>{{atText}}</time><strong>{{kind}}</strong> {{summary}}</li>{{/timeline}}
          </ol>
        </article>
        """

    static let page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="refresh" content="30">
        <title>breakglass watch — {{openIncidents}} open</title>
        {{> style}}
        </head>
        <body>
        <header>
          <h1>breakglass watch</h1>
          <span class="meta">{{openIncidents}} open incident(s) · store {{store}} · outbox {{outbox.pending}} pending, {{outbox.failing}} failing · {{generatedText}}</span>
        </header>
        <main>
        {{#tenants}}
        <section class="tenant" id="tenant-{{id}}">
          <h2>{{name}}</h2>
          <div class="status">
            Last poll {{lastPollText}}{{^pollOK}} <span class="bad">— {{#pollError}}{{pollError}}{{/pollError}}{{^pollError}}not polled yet{{/pollError}}</span>{{/pollOK}}
            {{#signInLogs}} · sign-in logs: {{signInLogs}}{{/signInLogs}} · posture audited {{auditedText}}
            {{#summary}} · <span class="pill good">{{pass}} pass</span> <span class="pill open">{{fail}} fail</span> <span class="pill acknowledged">{{warn}} warn</span> {{unknown}} unknown{{/summary}}
          </div>

          <h3>Open incidents</h3>
          <div class="incidents" id="incidents-{{id}}">
          {{#incidents}}{{> incident}}{{/incidents}}
          {{^hasIncidents}}<div class="calm">No open incident.</div>{{/hasIncidents}}
          </div>

          <h3>Emergency accounts</h3>
          <table class="accounts">
            <thead><tr><th>Account</th><th>Password age</th><th>Last sign-in</th><th>Last drill</th><th>Posture (last audit)</th></tr></thead>
            <tbody>
            {{#accounts}}
            <tr id="account-{{id}}">
              <td class="name">{{name}}</td><td>{{passwordAgeText}}</td><td>{{lastSignInText}}</td><td>{{lastDrillText}}</td>
              <td class="problems">{{passing}} checks pass{{#hasProblems}}<ul>{{#problems}}<li class="status-{{status}}">{{check}} {{status}}: {{message}}</li>{{/problems}}</ul>{{/hasProblems}}</td>
            </tr>
            {{/accounts}}
            </tbody>
          </table>
          {{#hasTenantProblems}}
          <h3>Tenant findings</h3>
          <table class="findings"><tbody>
            {{#tenantProblems}}<tr><td class="status-{{status}}">{{check}}</td><td>{{status}}</td><td>{{subject}}</td><td>{{message}}</td></tr>{{/tenantProblems}}
          </tbody></table>
          {{/hasTenantProblems}}

          <h3>Failure scenarios: who gets in</h3>
          {{#hasPosture}}
          <table class="grid" id="grid-{{id}}">
            <thead><tr><th>Administrator</th>{{#scenarios}}<th class="scenario" title="{{summary}}">{{scenario}}</th>{{/scenarios}}</tr></thead>
            <tbody>
            {{#grid}}
            <tr class="{{#isEmergency}}emergency{{/isEmergency}}">
              <td class="who">{{name}} <small>{{tag}}</small></td>
              {{#cells}}<td class="cell {{#gotIn}}in{{/gotIn}}{{^gotIn}}out{{/gotIn}}" title="{{scenario}}: {{explanation}}">{{mark}}</td>{{/cells}}
            </tr>
            {{/grid}}
            <tr class="verdict"><td>Recoverable?</td>{{#scenarios}}<td class="{{#recoverable}}yes{{/recoverable}}{{^recoverable}}no{{/recoverable}}">{{#recoverable}}yes{{/recoverable}}{{^recoverable}}NO{{/recoverable}}</td>{{/scenarios}}</tr>
            </tbody>
          </table>
          <div class="legend">Green ✓: gets into an admin resource (Azure portal, Microsoft 365 admin center or Graph) under the scenario; red ✗: does not. A scenario is recoverable when a Global Administrator gets in.{{#hasOmitted}} {{gridOmitted}} more administrators are not shown.{{/hasOmitted}}</div>
          {{/hasPosture}}
          {{^hasPosture}}<div class="status">No audit yet: the grid appears after the first posture audit.</div>{{/hasPosture}}
        </section>
        {{/tenants}}
        </main>
        <footer>JSON: /api/tenants · /api/incidents · Prometheus: /metrics · health: /healthz</footer>
        </body>
        </html>
        """

    static let incidentPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Incident {{id}}</title>{{> style}}</head>
        <body><header><h1><a href="/" style="color:#fff">breakglass watch</a></h1></header>
        <main>{{> incident}}</main></body></html>
        """

    static let login = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>breakglass watch — sign in</title>{{> style}}</head>
        <body>
        <form class="login" method="post" action="/login">
          <h2>breakglass watch</h2>
          {{#failed}}<p class="sev-critical">That token is not valid.</p>{{/failed}}
          <label for="token">Access token</label>
          <input id="token" name="token" type="password" autocomplete="off" autofocus>
          <button type="submit">Sign in</button>
        </form>
        </body></html>
        """
}
