// Live pages: one EventSource on `/console/events`; an event that concerns what the page shows (its
// `data-watch-*` attributes on `#console-main`) re-fetches the page's main section once, coalescing bursts
// (at most one request in flight, at most two a second). The browser never asks on a timer: after a
// dropped stream it reconnects by itself (SSE `retry`), and the page catches up once on reconnect.

import type { ConsoleEvent } from '@tuning-arena/protocol';

/** What a page watches, from its `#console-main` element. */
interface Watch {
  topics: Set<string>;
  competitionId: string | undefined;
  jobId: string | undefined;
  minerId: string | undefined;
}

const MIN_GAP_MS = 500;

function watchOf(main: HTMLElement): Watch | undefined {
  const topics = main.dataset.watchTopics;
  if (!topics) return undefined;
  return {
    topics: new Set(topics.split(',')),
    competitionId: main.dataset.watchCompetition,
    jobId: main.dataset.watchJob,
    minerId: main.dataset.watchMiner,
  };
}

/** Whether an event is about what the page watches. */
function concerns(watch: Watch, event: ConsoleEvent): boolean {
  if (!watch.topics.has(event.type)) return false;
  return (
    (watch.competitionId !== undefined && event.competitionId === watch.competitionId) ||
    (watch.jobId !== undefined && event.jobId === watch.jobId) ||
    (watch.minerId !== undefined && event.minerId === watch.minerId)
  );
}

function parseEvent(data: string): ConsoleEvent | undefined {
  try {
    const value = JSON.parse(data) as ConsoleEvent;
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function setStatus(root: Document, text: string): void {
  const status = root.getElementById('live-status');
  if (status) {
    status.textContent = text;
    status.dataset.state = text;
  }
}

/** Opens the event stream when the page watches something; `swapped` runs on each new main section. */
export function startLive(root: Document, swapped: (main: HTMLElement) => void): void {
  const first = root.getElementById('console-main');
  if (!first || !watchOf(first)) return;
  let inFlight = false;
  let again = false;
  let last = 0;

  const refresh = async (): Promise<void> => {
    if (inFlight) {
      again = true;
      return;
    }
    const wait = last + MIN_GAP_MS - Date.now();
    if (wait > 0) {
      inFlight = true;
      await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight = false;
    }
    inFlight = true;
    again = false;
    last = Date.now();
    try {
      const response = await fetch(location.href, {
        headers: { 'x-console-fragment': '1' },
        credentials: 'same-origin',
      });
      if (response.status === 401) {
        location.assign('/console/sign-in');
        return;
      }
      if (!response.ok) return;
      const next = new DOMParser()
        .parseFromString(await response.text(), 'text/html')
        .getElementById('console-main');
      const current = root.getElementById('console-main');
      if (next && current) {
        const adopted = root.importNode(next, true);
        current.replaceWith(adopted);
        swapped(adopted);
      }
    } finally {
      inFlight = false;
      if (again) void refresh();
    }
  };

  const source = new EventSource('/console/events');
  let dropped = false;
  source.addEventListener('open', () => {
    setStatus(root, 'live');
    if (dropped) void refresh();
    dropped = false;
  });
  source.addEventListener('error', () => {
    dropped = true;
    setStatus(root, 'reconnecting');
  });
  source.addEventListener('change', (message) => {
    const event = parseEvent((message as MessageEvent<string>).data);
    const main = root.getElementById('console-main');
    const watch = main ? watchOf(main) : undefined;
    if (event && watch && concerns(watch, event)) void refresh();
  });
}
