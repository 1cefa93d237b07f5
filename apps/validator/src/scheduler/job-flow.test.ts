import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBody, encodeBundle, JobView, SubmissionView } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import {
  acceptJob,
  connectMiner,
  createJob,
  createTempDirs,
  registerMiner,
  signedSubmit,
  startCompetition,
  type TestMiner,
} from '../test-fixtures.js';

const setup = startCompetition;
const registered = (arena: Awaited<ReturnType<typeof setup>>, owner: string, capacity = 1) =>
  registerMiner(arena, owner, { capacity });

function submitFrame(miner: TestMiner, jobId: string, bytes: Uint8Array, note = 'lora r=4') {
  const sha = createHash('sha256').update(bytes).digest('hex');
  return { sha, frame: signedSubmit(miner, jobId, sha, { note }) };
}

/** Generous: the suite shares two cores with other work. */
const POLL = { timeout: 15_000, interval: 50 };

const bundle = (tag: string) =>
  encodeBundle([{ name: 'adapter_model.safetensors', data: new TextEncoder().encode(`weights ${tag}`) }]);

describe('job flow', () => {
  it('offers, starts, serves data, takes commits and uploads, and ends at the deadline', async () => {
    await using dirs = await createTempDirs();
    const s = await setup(dirs.root);
    await using _validator = s.validator;
    await using a = await registered(s, 'ann');
    await using b = await registered(s, 'bob');
    const job = await createJob(s, { timeLimitSeconds: 3, minersWanted: 2 });
    const offerA = await a.next('job.offer');
    await b.next('job.offer');
    expect(offerA).toMatchObject({
      jobId: job.id,
      model: { id: 'tiny', family: 'gpt2' },
      approxDatasetRows: 36,
    });
    a.send({ type: 'offer.accept', jobId: job.id });
    b.send({ type: 'offer.accept', jobId: job.id });
    const start = await a.next('job.start');
    await b.next('job.start');
    const running = (await s.operator.get(`/v1/jobs/${job.id}`)).body;
    expect(running.status).toBe('running');
    expect(running.deadline).toBe(start.deadline);

    const train = await fetch(`${s.validator.url}${start.trainData.url}`, {
      headers: { authorization: `Bearer ${a.sessionToken}` },
    });
    const trainText = await train.text();
    expect(createHash('sha256').update(trainText).digest('hex')).toBe(start.trainData.sha256);
    expect(trainText.trim().split('\n')).toHaveLength(36);
    // The job serves the base model pinned at creation, even after the model directory changes.
    await writeFile(join(dirs.root, 'models', 'tiny', 'tokenizer.json'), '{"changed":true}');
    const model = await fetch(`${s.validator.url}${start.baseModel.url}`, {
      headers: { authorization: `Bearer ${a.sessionToken}` },
    });
    const modelBytes = new Uint8Array(await model.arrayBuffer());
    expect(createHash('sha256').update(modelBytes).digest('hex')).toBe(start.baseModel.sha256);

    a.send({ type: 'job.progress', jobId: job.id, step: 7, trainLoss: 1.25, etaSeconds: 2 });
    await expect
      .poll(
        async () =>
          (await s.operator.get(`/v1/jobs/${job.id}`)).body.offers.find(
            (o: { minerId: string }) => o.minerId === a.id,
          ).progress,
        POLL,
      )
      .toMatchObject({ step: 7, trainLoss: 1.25 });

    const first = submitFrame(a, job.id, bundle('a1'));
    a.send(first.frame);
    const ack = await a.next('submit.ack');
    expect(ack).toMatchObject({
      jobId: job.id,
      artifactSha256: first.sha,
      uploadUrl: `/v1/artifacts/${first.sha}`,
    });
    const second = submitFrame(a, job.id, bundle('a2'), 'second try');
    a.send(second.frame);
    await a.next('submit.ack', (m) => m.artifactSha256 === second.sha);
    const upload = await fetch(`${s.validator.url}/v1/artifacts/${second.sha}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.sessionToken}` },
      body: bundle('a2'),
    });
    expect(upload.status).toBe(201);

    const result = await b.next('job.result');
    expect(result).toMatchObject({ jobId: job.id, status: 'missed' });
    const ended = (await s.operator.get(`/v1/jobs/${job.id}`)).body;
    expect(ended.status).toBe('submitted');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(start.deadline));
    expect(decodeBody(JobView, ended).ok).toBe(true);
    const submissions = (await s.operator.get(`/v1/jobs/${job.id}/submissions`)).body.submissions;
    expect(submissions.every((row: unknown) => decodeBody(SubmissionView, row).ok)).toBe(true);
    expect(submissions).toEqual([
      expect.objectContaining({
        minerId: a.id,
        artifactSha256: second.sha,
        strategyNote: 'second try',
        uploaded: true,
      }),
    ]);
    const commits = (await s.operator.get(`/v1/jobs/${job.id}/commits`)).body.commits;
    expect(commits.map((c: { artifactSha256: string }) => c.artifactSha256)).toEqual([first.sha, second.sha]);
  });

  it('offers again to the next miner after a reject and stores the reason', async () => {
    await using dirs = await createTempDirs();
    const s = await setup(dirs.root);
    await using _validator = s.validator;
    await using a = await registered(s, 'ann');
    const job = await createJob(s, { timeLimitSeconds: 30, minersWanted: 1 });
    await a.next('job.offer');
    await using b = await registered(s, 'bob');
    a.send({ type: 'offer.reject', jobId: job.id, reason: 'model too large for me' });
    await acceptJob(b, job.id);
    const view = (await s.operator.get(`/v1/jobs/${job.id}`)).body;
    expect(view.offers).toEqual([
      expect.objectContaining({ minerId: a.id, status: 'rejected', reason: 'model too large for me' }),
      expect.objectContaining({ minerId: b.id, status: 'accepted' }),
    ]);
    a.send({ type: 'offer.accept', jobId: job.id });
    expect((await a.next('error')).code).toBe('offer_not_pending');
  });

  it('expires an unanswered offer, answers a late accept with offer_expired and closes a job nobody took', async () => {
    await using dirs = await createTempDirs();
    const s = await setup(dirs.root);
    await using _validator = s.validator;
    await using a = await registered(s, 'ann');
    const job = await createJob(s, { timeLimitSeconds: 30, minersWanted: 1, offerTtlSeconds: 1 });
    await a.next('job.offer');
    await a.next('job.cancel');
    a.send({ type: 'offer.accept', jobId: job.id });
    expect((await a.next('error')).code).toBe('offer_expired');
    await expect
      .poll(async () => (await s.operator.get(`/v1/jobs/${job.id}`)).body.status, POLL)
      .toBe('closed');
    expect(a.closeCode).toBeUndefined();
  });

  it('re-sends pending offers and running jobs to a reconnecting miner', async () => {
    await using dirs = await createTempDirs();
    const s = await setup(dirs.root);
    await using _validator = s.validator;
    const a = await registered(s, 'ann', 2);
    const create = async () => await createJob(s, { timeLimitSeconds: 60, minersWanted: 1 });
    const running = await create();
    await a.next('job.offer', (m) => m.jobId === running.id);
    a.send({ type: 'offer.accept', jobId: running.id });
    await a.next('job.start');
    const pending = await create();
    await a.next('job.offer', (m) => m.jobId === pending.id);
    a.ws.close();
    await a.closed();
    await expect
      .poll(async () => (await s.operator.get(`/v1/miners/${a.id}`)).body.connected, POLL)
      .toBe(false);

    await using again = await connectMiner(s.validator.wsUrl, a.keys);
    await again.authenticate(2);
    expect((await again.next('job.start')).jobId).toBe(running.id);
    expect((await again.next('job.offer')).jobId).toBe(pending.id);
    expect((await s.operator.get(`/v1/miners/${a.id}`)).body).toMatchObject({
      connected: true,
      activeJobs: 1,
    });
  });

  it('sends job.cancel to every miner of a cancelled job', async () => {
    await using dirs = await createTempDirs();
    const s = await setup(dirs.root);
    await using _validator = s.validator;
    await using a = await registered(s, 'ann');
    await using b = await registered(s, 'bob');
    const job = await createJob(s, { timeLimitSeconds: 60, minersWanted: 2 });
    await a.next('job.offer');
    await b.next('job.offer');
    a.send({ type: 'offer.accept', jobId: job.id });
    await expect
      .poll(
        async () =>
          (await s.operator.get(`/v1/jobs/${job.id}`)).body.offers.map((o: { status: string }) => o.status),
        POLL,
      )
      .toContain('accepted');
    const cancelled = await s.operator.post(`/v1/jobs/${job.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await a.next('job.cancel')).jobId).toBe(job.id);
    expect((await b.next('job.cancel')).jobId).toBe(job.id);
  });

  it('runs several jobs at once within each miner capacity', async () => {
    await using dirs = await createTempDirs();
    const s = await setup(dirs.root);
    await using _validator = s.validator;
    await using a = await registered(s, 'ann', 1);
    await using b = await registered(s, 'bob', 1);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push((await createJob(s, { timeLimitSeconds: 60, minersWanted: 1 })).id);
    }
    const offerA = await a.next('job.offer');
    const offerB = await b.next('job.offer');
    expect(new Set([offerA.jobId, offerB.jobId])).toEqual(new Set(ids));
    a.send({ type: 'offer.accept', jobId: offerA.jobId });
    b.send({ type: 'offer.accept', jobId: offerB.jobId });
    await a.next('job.start');
    await b.next('job.start');
    for (const id of ids) expect((await s.operator.get(`/v1/jobs/${id}`)).body.status).toBe('running');
  });

  it('hands a submitted job to the evaluator once, after the deadline plus the upload grace', async () => {
    await using dirs = await createTempDirs();
    const handedOff: { jobId: string; at: number }[] = [];
    const evaluator = { submitJob: async (jobId: string) => void handedOff.push({ jobId, at: Date.now() }) };
    const s = await setup(dirs.root, { evaluator, uploadGraceSeconds: 1 });
    await using _validator = s.validator;
    await using a = await registered(s, 'ann');
    const job = await createJob(s, { timeLimitSeconds: 1, minersWanted: 1 });
    await a.next('job.offer');
    a.send({ type: 'offer.accept', jobId: job.id });
    const start = await a.next('job.start');
    const commit = submitFrame(a, job.id, bundle('x'));
    a.send(commit.frame);
    await a.next('submit.ack');
    await expect.poll(() => handedOff.map((h) => h.jobId), POLL).toEqual([job.id]);
    expect(handedOff[0]!.at).toBeGreaterThanOrEqual(Date.parse(start.deadline) + 1000);
    const view = (await s.operator.get(`/v1/jobs/${job.id}`)).body;
    expect(view).toMatchObject({ status: 'submitted', evaluationRequestedAt: expect.any(String) });
    const late = await fetch(`${s.validator.url}/v1/artifacts/${commit.sha}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.sessionToken}` },
      body: bundle('x'),
    });
    expect(late.status).toBe(403);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('deadline_passed');
  });
});
