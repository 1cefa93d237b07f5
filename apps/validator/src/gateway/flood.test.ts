import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createJob, createTempDirs, registerMiner, startCompetition } from '../test-fixtures.js';
import { rawUpgrade, recordingLogger } from './test-attack-kit.js';

async function arena(root: string, limits = {}) {
  const logger = recordingLogger();
  const base = await startCompetition(root, { logger, limits });
  const bystander = await registerMiner(base, 'bystander');
  /** Round trip of a request the bystander makes (an answer to a non-pending offer), in ms. */
  const bystanderRoundTrip = async () => {
    const before = bystander.received.length;
    const started = performance.now();
    bystander.send({ type: 'offer.accept', jobId: 'job_none' });
    const answer = await bystander.next('error', (m) => bystander.received.indexOf(m) >= before);
    expect(answer.code).toBe('offer_not_pending');
    return performance.now() - started;
  };
  return {
    ...base,
    logger,
    bystander,
    bystanderRoundTrip,
    [Symbol.asyncDispose]: async () => {
      await bystander[Symbol.asyncDispose]();
      await base.validator.close();
    },
  };
}

describe('frame floods', () => {
  it('closes a miner flooding job.progress with rate_limited while a bystander stays served within 2 s', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using flooder = await registerMiner(a, 'flooder');
    const job = await createJob(a, { timeLimitSeconds: 60, minersWanted: 1 });
    const offer = await Promise.race([flooder.next('job.offer'), a.bystander.next('job.offer')]);
    const taker = flooder.received.includes(offer) ? flooder : a.bystander;
    taker.send({ type: 'offer.accept', jobId: job.id });
    await taker.next('job.start');
    const progress = (step: number) => ({
      type: 'job.progress',
      jobId: job.id,
      step,
      trainLoss: 1,
      etaSeconds: 1,
    });
    const rounds: number[] = [];
    for (let burst = 0; burst < 10 && flooder.closeCode === undefined; burst++) {
      for (let i = 0; i < 2000; i++) flooder.send(progress(burst * 2000 + i));
      rounds.push(await a.bystanderRoundTrip());
    }
    expect(await flooder.closed()).toBe(1008);
    expect(flooder.received.some((m) => m.type === 'error' && m.code === 'rate_limited')).toBe(true);
    console.log('bystander round trips during the flood (ms):', rounds.map((r) => r.toFixed(1)).join(', '));
    expect(Math.max(...rounds)).toBeLessThan(2000);
    expect(a.logger.events.filter((e) => e.event === 'limit.frames_per_second').length).toBeLessThanOrEqual(
      2,
    );
  });

  it('drops a short burst over the frame rate with one rate_limited error and keeps the connection', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root, { framesPerSecond: 20 });
    await using miner = await registerMiner(a, 'bursty');
    for (let i = 0; i < 50; i++) miner.send({ type: 'heartbeat', at: new Date().toISOString() });
    expect((await miner.next('error')).code).toBe('rate_limited');
    const before = miner.received.length;
    await expect
      .poll(
        async () => {
          miner.send({ type: 'offer.accept', jobId: 'job_none' });
          await new Promise((resolve) => setImmediate(resolve));
          return miner.received
            .slice(before)
            .some((m) => m.type === 'error' && m.code === 'offer_not_pending');
        },
        { interval: 200, timeout: 4000 },
      )
      .toBe(true);
    expect(miner.received.filter((m) => m.type === 'error' && m.code === 'rate_limited')).toHaveLength(1);
    expect(miner.closeCode).toBeUndefined();
  });

  it('charges a large frame one token per started 64 KiB, so it is dropped before it is parsed', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root, { framesPerSecond: 4 });
    await using miner = await registerMiner(a, 'heavy');
    miner.sendRaw(JSON.stringify({ type: 'heartbeat', pad: 'x'.repeat(600 * 1024) }));
    expect((await miner.next('error')).code).toBe('rate_limited');
    expect(miner.closeCode).toBeUndefined();
  });

  it('counts pings against the frame rate: a ping flood is closed with rate_limited', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root, { framesPerSecond: 20 });
    const { socket } = await rawUpgrade(a.validator.port);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // Masked (zero mask) ping frames with a one-byte payload, written by hand.
    const ping = Buffer.from([0x89, 0x81, 0, 0, 0, 0, 0x70]);
    // In small batches, so ws's own cap on unanswered pings (it terminates) is not what bites.
    const closed = new Promise((resolve) => socket.once('close', resolve));
    for (let i = 0; i < 20 && !socket.destroyed; i++) {
      socket.write(Buffer.concat(Array(10).fill(ping)));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await closed;
    const bytes = Buffer.concat(received);
    expect(bytes.toString('latin1')).toContain('"code":"rate_limited"');
    // A close frame with code 1008 and the reason `rate_limited`.
    expect(bytes.includes(Buffer.from([0x88, 14, 0x03, 0xf0, ...Buffer.from('rate_limited')]))).toBe(true);
    await a.bystanderRoundTrip();
  });

  it('drops a client that stops reading once its outbound buffer passes maxOutboundBytes', async () => {
    await using dirs = await createTempDirs();
    const maxOutboundBytes = 64 * 1024;
    await using a = await arena(dirs.root, { framesPerSecond: 100_000, maxOutboundBytes });
    const reader = await registerMiner(a, 'reader');
    (reader.ws as unknown as { _socket: Socket })._socket.pause();
    const heapBefore = process.memoryUsage().heapUsed;
    const jobId = `job_${'x'.repeat(60)}`;
    let sent = 0;
    while (!a.logger.events.some((e) => e.event === 'limit.max_outbound_bytes') && sent < 200_000) {
      for (let i = 0; i < 2000; i++) reader.send({ type: 'offer.reject', jobId, reason: 'r' });
      sent += 2000;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const hit = a.logger.events.find((e) => e.event === 'limit.max_outbound_bytes');
    expect(hit?.fields).toMatchObject({ code: 'slow_consumer' });
    expect(hit?.fields.bufferedAmount as number).toBeLessThanOrEqual(maxOutboundBytes);
    const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`non-reading client dropped after ${sent} frames; heap growth ${heapGrowth.toFixed(1)} MiB`);
    await a.bystanderRoundTrip();
    reader.ws.terminate();
  });
});
