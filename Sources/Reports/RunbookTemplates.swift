/// The runbook's Mustache templates, compiled into the binary so a copied `breakglass` needs no files beside it.
enum RunbookTemplates {
    static let markdown = #"""
        {{%CONTENT_TYPE:TEXT}}
        <!-- {{stamp}} -->

        # Emergency access runbook: {{tenantName}}

        Tenant `{{tenantID}}` ({{initialDomain}}). Made {{date}} by `breakglass runbook` from the tenant state
        `{{fingerprint}}`. `breakglass audit` warns (BG064) once the tenant no longer matches: print a new one then.

        ## Who may authorise use

        {{#hasAuthorizers}}
        {{#authorizers}}
        - {{name}}
        {{/authorizers}}
        {{/hasAuthorizers}}
        {{^hasAuthorizers}}
        - Nobody is named yet: list the authorisers under `runbook.authorizers` in breakglass.yml.
        {{/hasAuthorizers}}

        Use of an emergency account is approved by one of them before the password is retrieved, and recorded.

        ## The accounts

        | account | object id | signs in with |
        |---|---|---|
        {{#accounts}}
        | `{{upn}}` | `{{id}}` | {{signsInWith}} |
        {{/accounts}}

        Excluded from Conditional Access through: {{exclusionGroups}}.

        ## The password: {{threshold}} of {{custodianCount}} custodians

        {{#hasCustodians}}
        | custodian | where the share sheet is kept |
        |---|---|
        {{#custodians}}
        | {{name}} | {{location}} |
        {{/custodians}}
        {{/hasCustodians}}
        {{^hasCustodians}}
        No custodians are listed under `custody.custodians` in breakglass.yml.
        {{/hasCustodians}}

        Any {{threshold}} sheets open the password; fewer reveal nothing. Every opening is written to the custody ledger.

        ## Which failure scenarios each account survives today

        | account |{{#scenarioNames}} {{name}} |{{/scenarioNames}}
        |---|{{#scenarioNames}}---|{{/scenarioNames}}
        {{#accounts}}
        | `{{upn}}` |{{#scenarios}} {{mark}} |{{/scenarios}}
        {{/accounts}}

        {{#playbooks}}
        ## {{title}}

        {{symptoms}}

        Today (`{{scenario}}`):

        {{#results}}
        - `{{upn}}`: {{#getsIn}}gets in, {{/getsIn}}{{^getsIn}}LOCKED OUT, {{/getsIn}}{{detail}}
        {{/results}}

        {{#steps}}
        1. {{text}}
        {{#portal}}

           Portal: {{portal}}
        {{/portal}}
        {{#command}}

           ```{{language}}
           {{command}}
           ```

        {{/command}}
        {{/steps}}

        {{/playbooks}}
        ## Afterwards: rotate with two people, then audit

        {{#afterwards}}
        1. {{text}}
        {{#command}}

           ```{{language}}
           {{command}}
           ```

        {{/command}}
        {{/afterwards}}
        """#

    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="breakglass-runbook" content="{{stamp}}"/>
        <title>Emergency access runbook: {{tenantName}}</title>
        <style>
        @page {
          size: {{pageSize}};
          margin: 14mm 14mm 18mm 14mm;
          @bottom-left { content: "{{tenantName}} · runbook of {{day}}"; font: 8pt sans-serif; color: #555; }
          @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; }
        }
        * { box-sizing: border-box; }
        body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 182mm; }
        h1 { font-size: 17pt; margin: 0 0 2mm; }
        h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
        p, li { margin: 1mm 0; }
        .meta { color: #444; font-size: 9pt; }
        .stamp { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; color: #555; word-break: break-all; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0; }
        th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top;
                 overflow-wrap: anywhere; font-size: 9pt; }
        th { background: #eee; }
        code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4; border: 1px solid #ddd;
              padding: 1.5mm; margin: 1mm 0 2mm; break-inside: avoid; }
        .ok { color: #075e07; font-weight: bold; }
        .no { color: #a00; font-weight: bold; }
        ol.steps > li { margin: 2mm 0; break-inside: avoid; }
        .portal { color: #333; font-size: 9pt; }
        .playbook { break-before: page; }
        .sign { margin-top: 6mm; }
        .sign td { height: 11mm; }
        @media screen { body { padding: 10mm; } }
        </style>
        </head>
        <body>
        <!-- {{stamp}} -->
        <header>
        <h1>Emergency access runbook: {{tenantName}}</h1>
        <p class="meta">Tenant <code>{{tenantID}}</code> ({{initialDomain}}) · made {{date}} by <code>breakglass runbook</code>.
        <code>breakglass audit</code> warns (BG064) once the tenant no longer matches this runbook: print a new one then.</p>
        <p class="stamp">tenant state {{fingerprint}}</p>
        </header>

        <h2>Who may authorise use</h2>
        <ul>
        {{#authorizers}}<li>{{name}}</li>{{/authorizers}}
        {{^hasAuthorizers}}<li>Nobody is named yet: list the authorisers under <code>runbook.authorizers</code> in breakglass.yml.</li>{{/hasAuthorizers}}
        </ul>
        <p>Use of an emergency account is approved by one of them before the password is retrieved, and recorded.</p>

        <h2>The accounts</h2>
        <table>
        <colgroup><col style="width:32%"/><col style="width:30%"/><col style="width:38%"/></colgroup>
        <thead><tr><th>account</th><th>object id</th><th>signs in with</th></tr></thead>
        <tbody>
        {{#accounts}}<tr><td><code>{{upn}}</code></td><td><code>{{id}}</code></td><td>{{signsInWith}}</td></tr>{{/accounts}}
        </tbody>
        </table>
        <p>Excluded from Conditional Access through: {{exclusionGroups}}.</p>

        <h2>The password: {{threshold}} of {{custodianCount}} custodians</h2>
        {{#hasCustodians}}
        <table>
        <thead><tr><th>custodian</th><th>where the share sheet is kept</th></tr></thead>
        <tbody>{{#custodians}}<tr><td>{{name}}</td><td>{{location}}</td></tr>{{/custodians}}</tbody>
        </table>
        {{/hasCustodians}}
        {{^hasCustodians}}<p>No custodians are listed under <code>custody.custodians</code> in breakglass.yml.</p>{{/hasCustodians}}
        <p>Any {{threshold}} sheets open the password; fewer reveal nothing. Every opening is written to the custody ledger.</p>

        <h2>Which failure scenarios each account survives today</h2>
        <table class="grid">
        <thead><tr><th>scenario</th>{{#accounts}}<th><code>{{upn}}</code></th>{{/accounts}}</tr></thead>
        <tbody>
        {{#scenarioRows}}<tr><td>{{name}}</td>{{#cells}}<td class="{{#getsIn}}ok{{/getsIn}}{{^getsIn}}no{{/getsIn}}">{{mark}}</td>{{/cells}}</tr>
        {{/scenarioRows}}
        </tbody>
        </table>
        {{#hasLockouts}}
        <p>Where an account is locked out, and why:</p>
        <table>
        <thead><tr><th style="width:30%">account</th><th style="width:22%">scenario</th><th>why</th></tr></thead>
        <tbody>
        {{#lockouts}}<tr><td><code>{{upn}}</code></td><td>{{scenario}}</td><td>{{detail}}</td></tr>{{/lockouts}}
        </tbody>
        </table>
        {{/hasLockouts}}
        {{^hasLockouts}}<p>Every account gets in under every scenario.</p>{{/hasLockouts}}

        {{#playbooks}}
        <section class="playbook" id="{{id}}">
        <h2>{{title}}</h2>
        <p>{{symptoms}}</p>
        <p>Today (<code>{{scenario}}</code>):</p>
        <ul>{{#results}}<li><code>{{upn}}</code>: <span class="{{#getsIn}}ok{{/getsIn}}{{^getsIn}}no{{/getsIn}}">{{#getsIn}}gets in{{/getsIn}}{{^getsIn}}LOCKED OUT{{/getsIn}}</span>, {{detail}}</li>{{/results}}</ul>
        <ol class="steps">
        {{#steps}}<li>{{text}}{{#portal}}<div class="portal">Portal: {{portal}}</div>{{/portal}}{{#command}}<pre>{{command}}</pre>{{/command}}</li>
        {{/steps}}
        </ol>
        </section>
        {{/playbooks}}

        <section class="playbook" id="afterwards">
        <h2>Afterwards: rotate with two people, then audit</h2>
        <ol class="steps">
        {{#afterwards}}<li>{{text}}{{#command}}<pre>{{command}}</pre>{{/command}}</li>
        {{/afterwards}}
        </ol>
        <table class="sign">
        <thead><tr><th>used on (date, time)</th><th>approved by</th><th>custodians present</th><th>rotated on, by</th></tr></thead>
        <tbody><tr><td></td><td></td><td></td><td></td></tr><tr><td></td><td></td><td></td><td></td></tr></tbody>
        </table>
        </section>
        </body>
        </html>
        """#
}
