// The competition pages: the list of competitions, a competition's overview (window, program phase,
// countdowns, connected miners, the public leaderboard switch) and its jobs (status, countdown, each
// miner's offer and progress: step, loss, ETA).

import type { CompetitionView, JobView, MinerView, ProgramView } from '@tuning-arena/protocol';
import { html } from 'hono/html';
import { countdown, csrfField, type Fragment, num, time } from './layout.js';

/** The list of competitions. */
export function homeBody(competitions: CompetitionView[]): Fragment {
  if (competitions.length === 0)
    return html`<p class="muted">No competition yet: create one with <code>pnpm arena competition create</code>.</p>`;
  return html`<table id="competitions"><thead><tr><th>competition</th><th>starts</th><th>ends</th><th>program</th></tr></thead>
  <tbody>${competitions.map(
    (c) => html`<tr><td><a href="/console/c/${c.id}">${c.name}</a> <code class="muted">${c.id}</code></td>
      <td>${time(c.startsAt)}</td><td>${time(c.endsAt)}</td><td>${c.program ?? '—'}</td></tr>`,
  )}</tbody></table>`;
}

function programSection(program: ProgramView | undefined): Fragment {
  if (!program) return html`<p class="muted">No program: jobs are made by hand.</p>`;
  const current = program.currentPhase === null ? undefined : program.phases[program.currentPhase];
  return html`<p id="program">Program <span class="pill">${program.status}</span>
    ${current ? html`· phase ${current.index + 1} of ${program.phases.length}: <strong>${current.spec.name}</strong>` : '· no phase now'}
    · ${program.activeJobs} active job(s) · next: ${program.next.wait} ${countdown(program.next.at)}</p>
  <table><thead><tr><th>phase</th><th>starts</th><th>ends</th><th>state</th><th>jobs made</th></tr></thead>
  <tbody>${program.phases.map(
    (p) => html`<tr><td>${p.spec.name}</td><td>${countdown(p.startsAt)}</td><td>${countdown(p.endsAt)}</td>
      <td>${p.state}</td><td class="num">${p.jobsMade}</td></tr>`,
  )}</tbody></table>`;
}

/** A competition's overview. */
export function overviewBody(
  competition: CompetitionView,
  program: ProgramView | undefined,
  miners: MinerView[],
  publicBoard: boolean,
  csrf: string,
): Fragment {
  const connected = miners.filter((m) => m.connected).length;
  return html`<p>Window: ${time(competition.startsAt)} (${countdown(competition.startsAt)}) to
    ${time(competition.endsAt)} ${competition.endsAt ? html`(${countdown(competition.endsAt)})` : ''}</p>
  <p>Scoring: w<sub>test</sub> ${competition.weightTest}, τ ${competition.tau}, miss factor ${competition.missFactor};
    at most ${competition.maxMiners} miners, ${competition.maxMinersPerOwner} per owner.</p>
  <h2>Program</h2>
  ${programSection(program)}
  <h2>Miners <span class="pill" id="connected-count">${connected} of ${miners.length} connected</span></h2>
  <table id="miners"><thead><tr><th>miner</th><th>owner</th><th>connected</th><th>active jobs</th><th>capacity</th><th>last seen</th></tr></thead>
  <tbody>${miners.map(
    (m) => html`<tr><td><a href="/console/miners/${m.id}">${m.displayName || m.id}</a></td><td>${m.owner}</td>
      <td class="${m.connected ? 'pass' : 'muted'}">${m.connected ? 'yes' : 'no'}</td><td class="num">${m.activeJobs}</td>
      <td class="num">${m.capacity}</td><td>${time(m.lastSeenAt)}</td></tr>`,
  )}</tbody></table>
  <h2>Public leaderboard</h2>
  <form method="post" action="/console/c/${competition.id}/public" data-confirm="${publicBoard ? 'Turn the public leaderboard off?' : 'Publish the leaderboard to anyone with the link (no notes, no evidence)?'}">
    ${csrfField(csrf)}<input type="hidden" name="public" value="${publicBoard ? 'off' : 'on'}">
    ${publicBoard ? html`On at <a id="public-link" href="/public/c/${competition.id}">/public/c/${competition.id}</a>. ` : 'Off. '}
    <button id="public-toggle">${publicBoard ? 'Turn off' : 'Turn on'}</button>
  </form>`;
}

function offers(job: JobView, eta: (minerId: string) => number | undefined): Fragment {
  if (job.offers.length === 0) return html`<span class="muted">no offers</span>`;
  return html`<table class="offers"><tbody>${job.offers.map((o) => {
    const seconds = eta(o.minerId);
    return html`<tr data-miner="${o.minerId}"><td><a href="/console/miners/${o.minerId}">${o.minerId}</a></td><td>${o.status}</td>
      <td>step ${o.progress?.step ?? '—'}</td><td>loss ${num(o.progress?.trainLoss ?? null)}</td>
      <td>ETA ${seconds === undefined ? '—' : `${Math.round(seconds)} s`}</td></tr>`;
  })}</tbody></table>`;
}

/** A competition's jobs, newest first. */
export function jobsBody(
  jobs: JobView[],
  eta: (jobId: string, minerId: string) => number | undefined,
): Fragment {
  if (jobs.length === 0) return html`<p class="muted">No job yet.</p>`;
  return html`<table id="jobs"><thead><tr><th>job</th><th>status</th><th>model · dataset</th><th>deadline</th><th>miners</th></tr></thead>
  <tbody>${[...jobs].reverse().map(
    (
      j,
    ) => html`<tr data-job="${j.id}"><td><a href="/console/jobs/${j.id}">${j.id}</a></td><td class="status">${j.status}</td>
      <td>${j.model.id} · ${j.dataset}<br><span class="muted">${j.timeLimitSeconds} s, ${j.minersWanted} wanted</span></td>
      <td>${countdown(j.deadline)}</td><td>${offers(j, (minerId) => eta(j.id, minerId))}</td></tr>`,
  )}</tbody></table>`;
}
