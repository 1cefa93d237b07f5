// One console's server-sent event stream: a hub subscription written as `event: change` messages, with a
// heartbeat comment so dead connections surface. Bounded: the stream's queue holds at most `maxQueued`
// messages; a client that does not read them fast enough is dropped (it reconnects and catches up with one
// fresh page load). The hub's subscriber cap refuses streams past it.

import type { ConsoleEvent } from '@tuning-arena/protocol';
import type { EventHub } from './event-hub.js';

/** How a stream is bounded and paced. */
export interface StreamLimits {
  maxQueued: number;
  heartbeatMs: number;
  /** What the browser waits before reconnecting, sent as SSE `retry`. */
  retryMs: number;
}

const encoder = new TextEncoder();

/** The SSE text of one event. */
export function sseMessage(event: ConsoleEvent): string {
  return `event: change\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Opens a stream on the hub, or undefined when the hub is full. `dropped` is told about slow clients. */
export function openEventStream(
  hub: EventHub,
  limits: StreamLimits,
  dropped: () => void,
): ReadableStream<Uint8Array> | undefined {
  let leave: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const stop = () => {
    leave?.();
    leave = undefined;
    clearInterval(heartbeat);
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const send = (text: string) => {
    if ((controller.desiredSize ?? 0) <= 0) {
      stop();
      dropped();
      controller.error(new Error('slow console client dropped'));
      return;
    }
    controller.enqueue(encoder.encode(text));
  };
  leave = hub.subscribe((event) => send(sseMessage(event)));
  if (!leave) return undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        c.enqueue(encoder.encode(`retry: ${limits.retryMs}\n: connected\n\n`));
        heartbeat = setInterval(() => send(': ping\n\n'), limits.heartbeatMs);
        heartbeat.unref();
      },
      cancel: stop,
    },
    new CountQueuingStrategy({ highWaterMark: limits.maxQueued }),
  );
}
