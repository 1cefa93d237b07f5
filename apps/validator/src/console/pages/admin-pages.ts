// The operator's remaining pages: the rules (toggle, parameters, re-score, each with a confirmation), the
// audit log, one miner's history across jobs, the sign-in page and an error page.

import type { AuditEntryView, JobResult, MinerView, RuleView } from '@tuning-arena/protocol';
import { html } from 'hono/html';
import { csrfField, type Fragment, num, time } from './layout.js';

function rule(competitionId: string, r: RuleView, csrf: string): Fragment {
  const action = `/console/c/${competitionId}/rules/${r.id}`;
  return html`<tr data-rule="${r.id}">
    <td><strong>${r.id}</strong><br><span class="muted">${r.summary}</span></td>
    <td class="${r.enabled ? 'pass' : 'muted'}">${r.enabled ? 'on' : 'off'}</td><td>${r.action}</td>
    <td><form method="post" action="${action}" data-confirm="Change the parameters of ${r.id}? Scores move on the next re-score.">
      ${csrfField(csrf)}${Object.entries(r.params).map(
        ([key, value]) =>
          html`<label>${key} <input name="param.${key}" value="${JSON.stringify(value)}" size="8"></label> `,
      )}<button>Save</button></form></td>
    <td><form method="post" action="${action}" data-confirm="${r.enabled ? 'Switch off' : 'Switch on'} ${r.id}? Scores move on the next re-score.">
      ${csrfField(csrf)}<input type="hidden" name="enabled" value="${r.enabled ? 'false' : 'true'}">
      <button class="toggle">${r.enabled ? 'Switch off' : 'Switch on'}</button></form></td>
  </tr>`;
}

/** The rules page body. */
export function rulesBody(competitionId: string, rules: RuleView[], csrf: string): Fragment {
  return html`<table id="rules"><thead><tr><th>rule</th><th>enabled</th><th>action</th><th>parameters</th><th></th></tr></thead>
  <tbody>${rules.map((r) => rule(competitionId, r, csrf))}</tbody></table>
  <form method="post" action="/console/c/${competitionId}/rescore" data-confirm="Re-score every evaluated job of this competition with the current rules?">
    ${csrfField(csrf)}<button id="rescore-all">Re-score the competition</button></form>`;
}

/** The audit log body. */
export function auditBody(entries: AuditEntryView[]): Fragment {
  if (entries.length === 0) return html`<p class="muted">Nothing audited yet.</p>`;
  return html`<table id="audit"><thead><tr><th>when</th><th>who</th><th>action</th><th>detail</th></tr></thead>
  <tbody>${entries.map(
    (e) => html`<tr><td>${time(e.at)}</td><td>${e.actor}</td><td>${e.action}</td>
      <td><pre class="evidence">${JSON.stringify(e.detail)}</pre></td></tr>`,
  )}</tbody></table>`;
}

/** One miner's jobs and results. */
export function minerBody(miner: MinerView, results: JobResult[]): Fragment {
  const score = results.reduce((product, r) => product * (r.quality ?? 0), 1);
  return html`<p>Owner ${miner.owner} · ${miner.connected ? 'connected' : 'not connected'} · capacity ${miner.capacity}
    · key <code>${miner.publicKey}</code> · <a href="/console/c/${miner.competitionId}/leaderboard">leaderboard</a></p>
  <p>Score over ${results.length} scored job(s): <strong id="miner-score">${num(results.length > 0 ? score : null)}</strong></p>
  <table id="miner-jobs"><thead><tr><th>job</th><th>status</th><th>test</th><th>synthetic</th><th>combined</th><th>q</th><th>flags</th></tr></thead>
  <tbody>${results.map(
    (r) => html`<tr><td><a href="/console/jobs/${r.jobId}">${r.jobId}</a></td><td>${r.status}</td>
      <td class="num">${num(r.losses.test)}</td><td class="num">${num(r.losses.synthetic)}</td><td class="num">${num(r.losses.combined)}</td>
      <td class="num">${num(r.quality)}</td><td class="flag">${r.integrityFlags.join(', ')}</td></tr>`,
  )}</tbody></table>`;
}

/** The sign-in page: the one-time code from the printed link (sent by the script at once) or the token. */
export function signInBody(code: string | undefined, refused: boolean): Fragment {
  return html`${refused ? html`<p class="fail" id="refused">That sign-in was refused: the link was used or expired, or the token is wrong.</p>` : ''}
  ${
    code
      ? html`<form method="post" action="/console/sign-in" data-auto-submit><input type="hidden" name="code" value="${code}">
        <button>Sign in with this link</button></form>`
      : html`<form method="post" action="/console/sign-in">
        <label>Operator token <input type="password" name="token" autocomplete="current-password" required></label>
        <button>Sign in</button></form>
        <p class="muted">The validator prints a one-time sign-in link when it starts.</p>`
  }`;
}

/** An error page for a refused console request. */
export function errorBody(code: string, message: string): Fragment {
  return html`<p class="fail">Refused (<code id="error-code">${code}</code>): ${message}</p><p><a href="/console">Back</a></p>`;
}
