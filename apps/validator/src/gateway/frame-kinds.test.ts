import { MAX_FRAME_BYTES } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createTempDirs, registerMiner, startCompetition } from '../test-fixtures.js';
import { attackSocket } from './test-attack-kit.js';

describe('frames the decoder never sees as JSON text', () => {
  it('refuses a binary frame with binary_frame and an invalid UTF-8 text frame with invalid_utf8, both closing 1008', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _v = arena.validator;
    const frame = Buffer.from(JSON.stringify({ type: 'heartbeat', at: new Date().toISOString() }));
    for (const [name, authenticate, code] of [
      ['binary', false, 'binary_frame'],
      ['binary', true, 'binary_frame'],
      ['utf8', false, 'invalid_utf8'],
      ['utf8', true, 'invalid_utf8'],
    ] as const) {
      await using miner = await registerMiner(arena, `${name}-${authenticate}`, { authenticate });
      if (name === 'binary') miner.ws.send(frame, { binary: true });
      else
        miner.ws.send(Buffer.concat([frame.subarray(0, 10), Buffer.from([0xff, 0xfe]), frame.subarray(10)]), {
          binary: false,
        });
      expect((await miner.next('error')).code, `${name} ${authenticate}`).toBe(code);
      expect(await miner.closed()).toBe(1008);
    }
  });

  it('refuses a frame between 1 and 2 MiB with frame_too_large and cuts a larger one with 1009', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _v = arena.validator;
    await using big = await registerMiner(arena, 'big');
    big.sendRaw(JSON.stringify({ type: 'heartbeat', pad: 'x'.repeat(MAX_FRAME_BYTES + 10) }));
    expect((await big.next('error')).code).toBe('frame_too_large');
    expect(await big.closed()).toBe(1008);
    await using huge = await registerMiner(arena, 'huge');
    huge.sendRaw('x'.repeat(2 * MAX_FRAME_BYTES + 10));
    expect(await huge.closed()).toBe(1009);
  });

  it('cuts a message split into too many fragments', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _v = arena.validator;
    await using miner = await registerMiner(arena, 'fragments');
    for (let i = 0; i < 100; i++) miner.ws.send(' ', { fin: false });
    // ws refuses it itself (policy violation) before the message is assembled.
    expect(await miner.closed()).toBe(1008);
  });

  it('ignores frames sent after a refusal and answers each phase only with its own frames', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _v = arena.validator;
    const socket = await attackSocket(arena.validator.wsUrl);
    socket.send({ type: 'auth', signature: 'A'.repeat(86) });
    for (let i = 0; i < 50; i++) socket.send({ type: 'offer.accept', jobId: 'job_1' });
    expect(await socket.closed()).toBe(1008);
    expect(socket.frames.map((m) => (m.type === 'error' ? m.code : m.type))).toEqual(['not_authenticated']);

    await using miner = await registerMiner(arena, 'ann');
    miner.send({ type: 'auth', signature: 'A'.repeat(86) });
    expect((await miner.next('error')).code).toBe('already_authenticated');
    expect(await miner.closed()).toBe(1008);
  });
});
