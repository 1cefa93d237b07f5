// The miner's terminal: one live progress bar per training job (step, loss, steps/s, time to the deadline)
// drawn as a block under the log lines on a TTY, node-kit's bar lines per 10 % elsewhere. Log lines pass
// through `line` so they scroll above the bars instead of tearing them. It knows nothing of the ledger.

import { createProgressBar } from '@tuning-arena/node-kit';
import type { TrainProgress } from './trainer.js';

/** Where the display writes (process.stderr in the binary). */
export interface DisplayStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** One job's bar and what its rate is measured from. */
interface JobBar {
  bar: ReturnType<typeof createProgressBar>;
  text: string;
  firstStep: number;
  firstAt: number;
  deadline: number | null;
}

/** The erase-to-end-of-line code createProgressBar ends a terminal frame with. */
const ERASE_LINE = '\u001b[K';

/** createProgressBar writes to a stream; this one keeps its last frame so the block can be redrawn. */
function captureStream(onFrame: (text: string) => void): NodeJS.WriteStream {
  const capture = {
    isTTY: true,
    write(text: string) {
      onFrame(text.replace(/^\r/, '').replace(ERASE_LINE, '').trimEnd());
      return true;
    },
  };
  return capture as unknown as NodeJS.WriteStream;
}

/** Creates the display; `now` is injectable for tests. */
export function createProgressDisplay(stream: DisplayStream, now: () => number = Date.now) {
  const tty = stream.isTTY === true;
  const bars = new Map<string, JobBar>();
  let drawn = 0;

  const clear = () => {
    // Up to the first bar line, then erase to the end of the screen.
    if (drawn > 0) stream.write(`\u001b[${drawn}F\u001b[J`);
    drawn = 0;
  };
  const draw = () => {
    const lines = [...bars.values()].map((job) => job.text).filter(Boolean);
    if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };

  return {
    /** Writes a line (a log line, a result) above the bars. */
    line(text: string): void {
      if (!tty) {
        stream.write(`${text}\n`);
        return;
      }
      clear();
      stream.write(`${text}\n`);
      draw();
    },

    /** Updates (or starts) the bar of a training job. */
    progress(jobId: string, progress: TrainProgress, deadline: string | null): void {
      let job = bars.get(jobId);
      if (!job) {
        const created: JobBar = {
          bar: createProgressBar(
            jobId,
            tty
              ? captureStream((text) => {
                  created.text = text;
                })
              : (stream as NodeJS.WriteStream),
          ),
          text: '',
          firstStep: progress.step,
          firstAt: now(),
          deadline: deadline === null ? null : Date.parse(deadline),
        };
        job = created;
        bars.set(jobId, job);
      }
      const seconds = (now() - job.firstAt) / 1000;
      const rate = seconds > 0 ? (progress.step - job.firstStep) / seconds : 0;
      const total = Math.max(progress.step, Math.round(progress.step + progress.etaSeconds * rate));
      const left =
        job.deadline === null
          ? ''
          : ` deadline in ${Math.max(0, Math.round((job.deadline - now()) / 1000))}s`;
      const detail = `loss ${progress.trainLoss.toFixed(4)} ${rate.toFixed(1)} steps/s${left}`;
      if (tty) clear();
      job.bar.update(progress.step, total, detail);
      if (tty) draw();
    },

    /** Ends a job's bar with a last line (its phase or outcome). */
    finish(jobId: string, message: string): void {
      const job = bars.get(jobId);
      if (!job) return;
      bars.delete(jobId);
      if (!tty) {
        job.bar.done(message);
        return;
      }
      clear();
      stream.write(`${jobId} ${message}\n`);
      draw();
    },

    /** Jobs that have a bar. */
    jobs: (): string[] => [...bars.keys()],
  };
}

/** A display as returned by `createProgressDisplay`. */
export type ProgressDisplay = ReturnType<typeof createProgressDisplay>;
