// A one-line progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise (logs, CI).
// Knows nothing of training beyond a step count, a planned total and an optional loss.

/** A progress bar for one task. */
interface ProgressBar {
  update(step: number, total: number, detail?: string): void;
  done(message: string): void;
}

/** Creates a progress bar writing to `stream` (default stderr). */
export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = Date.now();
  let lastDecile = -1;
  return {
    update(step, total, detail = '') {
      const fraction = total > 0 ? Math.min(1, step / total) : 0;
      const elapsed = (Date.now() - started) / 1000;
      const eta = fraction > 0 ? elapsed / fraction - elapsed : 0;
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      const text = `${label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${step}/${total} ${detail} eta ${eta.toFixed(0)}s`;
      if (stream.isTTY) stream.write(`\r${text}\u001b[K`);
      else if (Math.floor(fraction * 10) > lastDecile) {
        lastDecile = Math.floor(fraction * 10);
        stream.write(`${text}\n`);
      }
    },
    done(message) {
      stream.write(`${stream.isTTY ? '\r\u001b[K' : ''}${label} ${message}\n`);
    },
  };
}
