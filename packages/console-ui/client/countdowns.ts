// Countdowns: every element with `data-countdown="<ISO time>"` shows the time left (or since) and ticks once
// a second on the browser's clock; no request is made for it.

/** "1h 02m 03s" for a span of milliseconds (absolute). */
export function formatSpan(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : m > 0 ? `${m}m ${pad(s)}s` : `${s}s`;
}

function tick(root: Document): void {
  const now = Date.now();
  for (const element of root.querySelectorAll<HTMLElement>('[data-countdown]')) {
    const at = Date.parse(element.dataset.countdown ?? '');
    if (Number.isNaN(at)) continue;
    const left = at - now;
    element.textContent = left >= 0 ? `in ${formatSpan(left)}` : `${formatSpan(left)} ago`;
  }
}

/** Starts the one-second tick over the whole document (elements swapped in later are picked up). */
export function startCountdowns(root: Document): void {
  tick(root);
  setInterval(() => tick(root), 1000);
}
