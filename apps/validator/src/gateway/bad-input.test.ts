import { createHash } from 'node:crypto';
import {
  challengePayload,
  encodeBundle,
  generateMinerKeyPair,
  PROTOCOL_VERSION,
  signPayload,
} from '@tuning-arena/protocol';
import { invalidMinerFrames } from '@tuning-arena/protocol/fixtures';
import { describe, expect, it } from 'vitest';
import {
  acceptJob,
  connectMiner,
  createJob,
  createTempDirs,
  registerMiner,
  signedSubmit,
  startCompetition,
} from '../test-fixtures.js';

/** A validator with one competition, a running job and a healthy bystander miner that accepted it. */
async function arena(root: string, overrides = {}) {
  const base = await startCompetition(root, overrides);
  const { validator, operator, competition } = base;
  const bystander = await registerMiner(base, 'bystander');
  const job = await createJob(base, { timeLimitSeconds: 60, minersWanted: 1 });
  await acceptJob(bystander, job.id);
  /** Everything stored that bad input must not change. */
  const snapshot = async () => ({
    competitions: (await operator.get('/v1/competitions')).body,
    miners: (await operator.get(`/v1/competitions/${competition.id}/miners`)).body.miners.map(
      ({ lastSeenAt: _l, connected: _c, ...rest }: Record<string, unknown>) => rest,
    ),
    jobs: (await operator.get(`/v1/competitions/${competition.id}/jobs`)).body,
  });
  /** The bystander is still connected and served: a ping-like request gets its answer. */
  const bystanderStillServed = async () => {
    const before = bystander.received.length;
    bystander.send({ type: 'offer.accept', jobId: 'job_none' });
    const answer = await bystander.next('error', (m) => bystander.received.indexOf(m) >= before);
    expect(answer.code).toBe('offer_not_pending');
    expect(bystander.closeCode).toBeUndefined();
  };
  const newMiner = (owner: string, authenticate = true) => registerMiner(base, owner, { authenticate });
  return {
    validator,
    operator,
    competition,
    job,
    bystander,
    snapshot,
    bystanderStillServed,
    newMiner,
    [Symbol.asyncDispose]: async () => {
      await bystander[Symbol.asyncDispose]();
      await validator.close();
    },
  };
}

describe('gateway bad input', () => {
  it('refuses every invalid shared-fixture frame with its code, closes 1008 and leaves others alone', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const before = await a.snapshot();
    for (const [index, fixture] of invalidMinerFrames.entries()) {
      await using miner = await a.newMiner(`owner${index % 4}-${index}`);
      miner.sendRaw(fixture.raw);
      const error = await miner.next('error');
      expect(error.code, fixture.name).toBe(fixture.code);
      expect(await miner.closed(), fixture.name).toBe(1008);
      await a.bystanderStillServed();
    }
    const after = await a.snapshot();
    expect(after.jobs).toEqual(before.jobs);
    expect(after.competitions).toEqual(before.competitions);
  });

  it('refuses invalid frames sent before authentication too', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    for (const fixture of invalidMinerFrames) {
      await using miner = await connectMiner(a.validator.wsUrl);
      miner.sendRaw(fixture.raw);
      expect((await miner.next('error')).code, fixture.name).toBe(fixture.code);
      expect(await miner.closed()).toBe(1008);
    }
    await a.bystanderStillServed();
  });

  it('refuses a wrong protocol version, an unregistered key and a frame before authentication', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const before = await a.snapshot();
    const registeredMiner = await a.newMiner('ann', false);
    const hello = (key: string, version = PROTOCOL_VERSION) => ({
      type: 'hello',
      protocolVersion: version,
      minerKey: key,
      software: 't',
      capacity: 1,
    });

    registeredMiner.send(hello(registeredMiner.keys.publicKey, PROTOCOL_VERSION + 1));
    expect((await registeredMiner.next('error')).code).toBe('protocol_version_mismatch');
    expect(await registeredMiner.closed()).toBe(1008);

    await using stranger = await connectMiner(a.validator.wsUrl);
    stranger.send(hello(generateMinerKeyPair().publicKey));
    expect((await stranger.next('error')).code).toBe('unknown_key');
    expect(await stranger.closed()).toBe(1008);

    await using early = await connectMiner(a.validator.wsUrl);
    early.send({ type: 'offer.accept', jobId: a.job.id });
    expect((await early.next('error')).code).toBe('not_authenticated');
    expect(await early.closed()).toBe(1008);

    await a.bystanderStillServed();
    expect((await a.snapshot()).jobs).toEqual(before.jobs);
  });

  it('refuses a bad challenge signature and a replayed challenge answer', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const first = await a.newMiner('ann', false);
    const { keys } = first;
    const hello = {
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      minerKey: keys.publicKey,
      software: 't',
      capacity: 1,
    };
    first.send(hello);
    const { nonce } = await first.next('challenge');
    const answer = signPayload(keys.privateKeyPem, challengePayload(nonce, keys.publicKey));
    first.send({ type: 'auth', signature: answer });
    await first.next('welcome');

    await using replay = await connectMiner(a.validator.wsUrl, keys);
    replay.send(hello);
    await replay.next('challenge');
    replay.send({ type: 'auth', signature: answer });
    expect((await replay.next('error')).code).toBe('challenge_replayed');
    expect(await replay.closed()).toBe(1008);

    await using forger = await connectMiner(a.validator.wsUrl, keys);
    forger.send(hello);
    const challenge = await forger.next('challenge');
    const wrongKey = generateMinerKeyPair();
    forger.send({
      type: 'auth',
      signature: signPayload(wrongKey.privateKeyPem, challengePayload(challenge.nonce, keys.publicKey)),
    });
    expect((await forger.next('error')).code).toBe('bad_signature');
    expect(await forger.closed()).toBe(1008);

    expect(first.closeCode).toBeUndefined();
    await first[Symbol.asyncDispose]();
    await a.bystanderStillServed();
  });

  it('replaces an older connection of the same key with session_replaced', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using first = await a.newMiner('ann');
    await using second = await connectMiner(a.validator.wsUrl, first.keys);
    await second.authenticate();
    expect((await first.next('error')).code).toBe('session_replaced');
    await first.closed();
    const miner = (await a.operator.get(`/v1/miners/${first.id}`)).body;
    expect(miner.connected).toBe(true);
  });

  it('refuses a submission after the deadline and one with a bad signature, keeping the connection', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using miner = await a.newMiner('ann');
    const job = await createJob(a, { timeLimitSeconds: 1, minersWanted: 1 });
    await miner.next('job.offer', (m) => m.jobId === job.id);
    miner.send({ type: 'offer.accept', jobId: job.id });
    await miner.next('job.start', (m) => m.jobId === job.id);
    const sha = 'ab'.repeat(32);
    const frame = (signer = miner.keys) => signedSubmit(miner, job.id, sha, { kind: 'full', signer });
    miner.send(frame(generateMinerKeyPair()));
    expect((await miner.next('error')).code).toBe('bad_signature');
    await miner.next('job.result', (m) => m.jobId === job.id);
    miner.send(frame());
    const late = await miner.next('error', (m) => m.code !== 'bad_signature');
    expect(late).toMatchObject({ code: 'deadline_passed', ref: job.id });
    miner.send({ ...frame(), jobId: 'job_unknown' });
    expect((await miner.next('error', (m) => m.code === 'unknown_job')).ref).toBe('job_unknown');
    miner.send({ ...frame(), jobId: a.job.id });
    expect((await miner.next('error', (m) => m.code === 'not_accepted')).ref).toBe(a.job.id);
    expect(miner.closeCode).toBeUndefined();
    expect((await a.operator.get(`/v1/jobs/${job.id}/commits`)).body.commits).toEqual([]);
    expect((await a.operator.get(`/v1/jobs/${job.id}`)).body.status).toBe('submitted');
  });

  it('refuses uploads that are not committed, do not match the hash, are too large or have a path-like name', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root, { maxArtifactBytes: 4096 });
    const { bystander, job } = a;
    const bytes = encodeBundle([{ name: 'adapter_model.safetensors', data: new Uint8Array([1, 2, 3]) }]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const put = (name: string, body: Uint8Array, token = bystander.sessionToken) =>
      fetch(`${a.validator.url}/v1/artifacts/${name}`, {
        method: 'PUT',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body,
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { error?: { code: string } },
      }));

    expect((await put(sha, bytes, '')).body.error?.code).toBe('unauthorized');
    expect((await put(sha, bytes)).body.error?.code).toBe('artifact_not_committed');
    bystander.send(signedSubmit(bystander, job.id, sha));
    await bystander.next('submit.ack');
    const tampered = Uint8Array.from(bytes);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
    const mismatch = await put(sha, tampered);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error?.code).toBe('hash_mismatch');
    for (const name of [
      '..%2F..%2Fvalidator.sqlite',
      '..%5Cvalidator.sqlite',
      'jobs/x/test.jsonl',
      'ABCDEF',
      `${sha}.bundle`,
    ]) {
      const response = await put(name, bytes);
      expect(response.body.error?.code, name).toBe('invalid_artifact_name');
    }
    const large = await put(sha, new Uint8Array(5000));
    expect(large.status).toBe(413);
    expect(large.body.error?.code).toBe('artifact_too_large');
    const good = await put(sha, bytes);
    expect(good.status).toBe(201);
    const submissions = (await a.operator.get(`/v1/jobs/${job.id}/submissions`)).body.submissions;
    expect(submissions).toEqual([
      expect.objectContaining({ artifactSha256: sha, uploaded: true, artifactBytes: bytes.length }),
    ]);
  });

  it('serves train data and the pinned base model only to miners that accepted the job, and refuses operator calls without the token', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using other = await a.newMiner('ann');
    const get = (path: string, token?: string) =>
      fetch(`${a.validator.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(
        async (response) => ({
          status: response.status,
          body: (await response.json().catch(() => null)) as { error: { code: string } },
        }),
      );
    for (const file of ['train', 'base-model']) {
      const path = `/v1/jobs/${a.job.id}/${file}`;
      expect((await get(path)).body.error.code).toBe('unauthorized');
      expect((await get(path, other.sessionToken)).body.error.code).toBe('not_accepted');
      expect((await get(`/v1/jobs/job_nope/${file}`, other.sessionToken)).body.error.code).toBe(
        'unknown_job',
      );
      expect((await get(path, a.bystander.sessionToken)).status).toBe(200);
    }
    for (const path of ['/v1/competitions', `/v1/jobs/${a.job.id}`, `/v1/jobs/${a.job.id}/submissions`]) {
      const response = await get(path, other.sessionToken);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
  });

  it('drops a connection that stays silent for three heartbeat intervals', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root, { heartbeatIntervalMs: 200 });
    await using silent = await connectMiner(a.validator.wsUrl);
    expect(await silent.closed()).toBe(1006);
  });
});
