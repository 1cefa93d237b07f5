// The console's page frame: head (the bundled stylesheet and script, nothing from elsewhere), the top bar
// with a competition's tabs and the sign-out form, and `#console-main`, whose `data-watch-*` attributes tell
// the client which live events re-fetch it. Also the small shared pieces: numbers, times, JSON for charts.

import type { ConsoleChart } from '@tuning-arena/protocol';
import { html, raw } from 'hono/html';

/** An HTML fragment as hono/html builds it. */
export type Fragment = ReturnType<typeof html>;

/** What a page shows live: the topics and the ids its events must name. */
export interface Watch {
  topics: string[];
  competitionId?: string;
  jobId?: string;
  minerId?: string;
}

/** What frames a page. */
export interface PageFrame {
  title: string;
  /** The competition whose tabs the bar shows. */
  competitionId?: string;
  /** The session's CSRF token (undefined on public pages: no sign-out, no script). */
  csrf?: string;
  watch?: Watch;
  /** Loads the client script even without a session (the sign-in page). */
  script?: boolean;
}

/** A number with `digits` decimals, or an em dash for null. */
export function num(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A stored ISO time as `YYYY-MM-DD HH:MM:SS` UTC, or an em dash. */
export function time(value: string | null | undefined): string {
  return value ? `${value.slice(0, 19).replace('T', ' ')}Z` : '—';
}

/** A ticking countdown to `at` (the client updates it every second). */
export function countdown(at: string | null | undefined): Fragment {
  return at ? html`<span class="countdown" data-countdown="${at}">${time(at)}</span>` : html`—`;
}

/** A chart's data embedded for the client (`<` escaped, so no text can close the script element). */
export function chart(id: string, data: ConsoleChart, caption: string): Fragment {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return html`<figure data-chart id="${id}"><figcaption>${caption}</figcaption><script type="application/json">${raw(json)}</script></figure>`;
}

/** The hidden CSRF field of a console form. */
export function csrfField(csrf: string): Fragment {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

function tabs(competitionId: string): Fragment {
  const base = `/console/c/${encodeURIComponent(competitionId)}`;
  return html`<nav>
    <a href="${base}">Overview</a><a href="${base}/leaderboard">Leaderboard</a><a href="${base}/jobs">Jobs</a><a href="${base}/rules">Rules</a><a href="${base}/audit">Audit</a>
  </nav>`;
}

/** The `<main>` section alone (what a live re-fetch swaps in). */
export function mainSection(frame: PageFrame, body: Fragment): Fragment {
  const w = frame.watch;
  return html`<main id="console-main"
    ${w ? raw(` data-watch-topics="${w.topics.join(',')}"`) : ''}
    ${w?.competitionId ? html`data-watch-competition="${w.competitionId}"` : ''}
    ${w?.jobId ? html`data-watch-job="${w.jobId}"` : ''}
    ${w?.minerId ? html`data-watch-miner="${w.minerId}"` : ''}>
    <h1>${frame.title}</h1>
    ${body}
  </main>`;
}

/** A whole page. */
export function page(frame: PageFrame, body: Fragment): Fragment {
  const signedIn = frame.csrf !== undefined;
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${frame.title} · Tuning Arena</title>
  <link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/console/assets/console.css">
  ${signedIn || frame.script ? html`<script defer src="/console/assets/console.js"></script>` : ''}
</head>
<body>
  <header class="bar">
    <span class="brand"><a href="${signedIn ? '/console' : '#'}">Tuning Arena</a></span>
    ${frame.competitionId && signedIn ? tabs(frame.competitionId) : ''}
    ${frame.watch ? html`<span id="live-status" class="pill">connecting</span>` : ''}
    ${
      signedIn
        ? html`<form method="post" action="/console/sign-out">${csrfField(frame.csrf as string)}<button>Sign out</button></form>`
        : ''
    }
  </header>
  ${mainSection(frame, body)}
</body>
</html>`;
}
