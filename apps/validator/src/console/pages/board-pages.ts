// The leaderboard as the operator sees it (miners and owners, eligibility, score history chart, links to
// each miner) and as participants see it on the public page (the same standings; no links, no notes, no
// evidence, no ids of jobs). Both render the API's LeaderboardView.

import type { ConsoleLineChart, LeaderboardView } from '@tuning-arena/protocol';
import { html } from 'hono/html';
import { chart, type Fragment, num } from './layout.js';

const yes = (eligible: boolean) => (eligible ? html`<span class="pass">yes</span>` : html`no`);

/** The two standings tables; `link` decides whether miners link to their history. */
export function standings(board: LeaderboardView, link: boolean): Fragment {
  return html`<h2>Miners</h2>
  <table id="miners-board">
    <thead><tr><th>rank</th><th>miner</th><th>owner</th><th>score</th><th>jobs</th><th>submitted</th><th>eligible</th></tr></thead>
    <tbody>${board.miners.map(
      (m) => html`<tr data-miner="${m.minerId}">
        <td class="num">${m.rank}</td>
        <td>${link ? html`<a href="/console/miners/${m.minerId}">${m.displayName || m.minerId}</a>` : m.displayName}</td>
        <td>${m.owner}</td><td class="num score">${num(m.score)}</td><td class="num">${m.jobs}</td>
        <td class="num">${m.submitted}</td><td>${yes(m.eligible)}</td></tr>`,
    )}</tbody>
  </table>
  <h2>Owners</h2>
  <table id="owners-board">
    <thead><tr><th>rank</th><th>owner</th><th>score</th><th>submitted</th><th>eligible</th></tr></thead>
    <tbody>${board.owners.map(
      (
        o,
      ) => html`<tr><td class="num">${o.rank}</td><td>${o.owner}</td><td class="num score">${num(o.score)}</td>
        <td class="num">${o.submitted}</td><td>${yes(o.eligible)}</td></tr>`,
    )}</tbody>
  </table>
  <p class="muted">Eligible for the participation award: at least 3 submitted models.</p>`;
}

/** The operator's leaderboard page body. */
export function leaderboardBody(board: LeaderboardView, history: ConsoleLineChart): Fragment {
  return html`${standings(board, true)}
  <h2>Score history</h2>
  ${history.x.length > 0 ? chart('score-history', history, 'score after each scored job') : html`<p class="muted">No scored job yet.</p>`}`;
}
