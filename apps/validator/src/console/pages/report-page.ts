// A job's report: the base model's losses, every submission (test, synthetic, combined, q, improvement
// over the base, bootstrap interval as numbers and as error bars), every rule's verdict with its evidence,
// the strategy note, the misses, and the training loss curves of the job's miners.

import type { ConsoleIntervalChart, ConsoleLineChart, JobResultsView, JobView } from '@tuning-arena/protocol';
import { html } from 'hono/html';
import { chart, csrfField, type Fragment, num, time } from './layout.js';

function verdicts(results: JobResultsView['submissions'][number]): Fragment {
  return html`<table class="verdicts">
    <thead><tr><th>rule</th><th>verdict</th><th>on failure</th><th>evidence</th></tr></thead>
    <tbody>${results.verdicts.map(
      (v) => html`<tr data-rule="${v.rule}">
        <td>${v.rule}</td><td class="${v.passed ? 'pass' : 'fail'}">${v.passed ? 'pass' : 'FLAG'}</td><td>${v.action}</td>
        <td><pre class="evidence">${JSON.stringify(v.evidence, null, 1)}</pre></td></tr>`,
    )}</tbody>
  </table>`;
}

function submission(s: JobResultsView['submissions'][number]): Fragment {
  const interval = s.interval ? `[${num(s.interval[0])}, ${num(s.interval[1])}]` : '—';
  return html`<section class="submission" data-miner="${s.minerId}">
    <h3><a href="/console/miners/${s.minerId}">${s.displayName || s.minerId}</a> <span class="muted">(${s.owner})</span>
      <span class="pill">${s.status}</span>
      ${s.flags.map((f) => html` <span class="flag" data-flag="${f.rule}">${f.rule} (${f.action})</span>`)}</h3>
    <table><tbody>
      <tr><th>test</th><td class="num">${num(s.test)}</td><th>synthetic</th><td class="num">${num(s.synthetic)}</td>
        <th>combined</th><td class="num">${num(s.combined)}</td><th>q</th><td class="num quality">${num(s.quality)}</td></tr>
      <tr><th>improvement (test)</th><td class="num">${num(s.improvement.test)}</td><th>improvement (synthetic)</th>
        <td class="num">${num(s.improvement.synthetic)}</td><th>interval</th><td colspan="3">${interval}</td></tr>
      <tr><th>artifact</th><td colspan="3"><code>${s.artifactSha256.slice(0, 16)}…</code> ${s.kind}</td>
        <th>committed</th><td colspan="3">${time(s.committedAt)}</td></tr>
    </tbody></table>
    <p><strong>Strategy note:</strong> <span class="note">${s.strategyNote || '—'}</span></p>
    ${verdicts(s)}
  </section>`;
}

/** The report page body. */
export function reportBody(
  job: JobView,
  results: JobResultsView,
  charts: { intervals: ConsoleIntervalChart; losses: ConsoleLineChart },
  csrf: string,
): Fragment {
  const evaluation = results.evaluation
    ? `${results.evaluation.status} (attempts ${results.evaluation.attempts})${results.evaluation.error ? `: ${results.evaluation.error}` : ''}`
    : 'not requested yet';
  return html`<p>Job <code>${job.id}</code> <span class="pill" id="job-status">${results.status}</span> ·
    ${job.model.id} on ${job.dataset} · ${job.timeLimitSeconds} s · evaluation ${evaluation} ·
    <a href="/console/c/${job.competitionId}/jobs">all jobs</a></p>
  ${
    results.evaluation?.status === 'done'
      ? html`<form method="post" action="/console/jobs/${job.id}/rescore" data-confirm="Re-score job ${job.id} with the current rules?">
      ${csrfField(csrf)}<button id="rescore-job">Re-score this job</button></form>`
      : ''
  }
  <h2>Base model</h2>
  ${
    results.base
      ? html`<table id="base"><tbody><tr><th>test</th><td class="num">${num(results.base.test)}</td>
        <th>synthetic</th><td class="num">${num(results.base.synthetic)}</td></tr></tbody></table>`
      : html`<p class="muted">Not evaluated yet.</p>`
  }
  ${charts.intervals.points.length > 0 ? chart('intervals', charts.intervals, 'loss gap to the job mean, 95 % bootstrap interval') : ''}
  <h2>Submissions</h2>
  ${results.submissions.length > 0 ? results.submissions.map(submission) : html`<p class="muted">None evaluated yet.</p>`}
  ${
    results.misses.length > 0
      ? html`<h2>Missed</h2><ul>${results.misses.map((m) => html`<li>${m.displayName || m.minerId} (${m.owner}): q ${num(m.quality)}</li>`)}</ul>`
      : ''
  }
  <h2>Training loss</h2>
  ${charts.losses.x.length > 0 ? chart('loss-curves', charts.losses, 'train loss reported by each miner') : html`<p class="muted">No progress reported in this validator's run.</p>`}`;
}
