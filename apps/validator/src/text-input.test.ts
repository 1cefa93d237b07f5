import { PROTOCOL_VERSION } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createJob, createTempDirs, registerMiner, signedSubmit, startCompetition } from './test-fixtures.js';

describe('participant text over the gateway', () => {
  it('refuses lone surrogates in software, strategy notes and reject reasons and stores none of them', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _ = { [Symbol.asyncDispose]: () => arena.validator.close() };
    await using bystander = await registerMiner(arena, 'bystander');
    await using noter = await registerMiner(arena, 'noter');
    await using rejecter = await registerMiner(arena, 'rejecter');
    await using helloer = await registerMiner(arena, 'helloer', { authenticate: false });
    const job = await createJob(arena, { timeLimitSeconds: 60, minersWanted: 2 });
    for (const m of [bystander, noter]) {
      await m.next('job.offer');
      m.send({ type: 'offer.accept', jobId: job.id });
    }
    for (const m of [bystander, noter]) await m.next('job.start');

    noter.send(signedSubmit(noter, job.id, 'a'.repeat(64), { note: 'fine, then \uD800' }));
    expect((await noter.next('error')).code).toBe('invalid_message');
    helloer.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      minerKey: helloer.keys.publicKey,
      software: 'evil/\uDFFF',
      capacity: 1,
    });
    expect((await helloer.next('error')).code).toBe('invalid_message');
    const second = await createJob(arena, { timeLimitSeconds: 60, minersWanted: 1 });
    const offer = await rejecter.next('job.offer', (o) => o.jobId === second.id);
    rejecter.send({ type: 'offer.reject', jobId: offer.jobId, reason: '\uDBFF busy' });
    expect((await rejecter.next('error')).code).toBe('invalid_message');

    bystander.send(signedSubmit(bystander, job.id, 'b'.repeat(64), { note: 'pair 😀 ok' }));
    await bystander.next('submit.ack');
    const commits = (await arena.operator.get(`/v1/jobs/${job.id}/commits`)).body.commits;
    expect(commits.map((c: { strategyNote: string }) => c.strategyNote)).toEqual(['pair 😀 ok']);
    const offers = (await arena.operator.get(`/v1/jobs/${second.id}`)).body.offers;
    expect(offers.every((o: { reason: string | null }) => o.reason === null)).toBe(true);
  });
});
