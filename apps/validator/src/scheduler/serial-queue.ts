// A promise queue that runs tasks one at a time, so multi-step state transitions (read, decide, store,
// announce) never interleave. A failing task rejects its own caller and does not stop the queue.

/** Runs async tasks strictly one after another. */
export interface SerialQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void>;
}

/** Creates an empty serial queue. */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run: (task) => {
      const result = tail.then(task, task);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: async () => {
      await tail;
    },
  };
}
