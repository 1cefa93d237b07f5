import { describe, expect, it } from 'vitest';
import { createProgramKit } from '../program/test-program-kit.js';

const iso = (ms: number) => new Date(ms).toISOString();
const phase = (overrides = {}) => ({
  name: 'p',
  models: ['m1'],
  datasets: ['d1', 'd2'],
  timeLimit: 60,
  minersWanted: 1,
  ...overrides,
});

/** A competition open from now for an hour, without a program. */
async function competition(kit: Awaited<ReturnType<typeof createProgramKit>>, body = {}) {
  const created = await kit.request('POST', '/v1/competitions', {
    name: 'cup',
    endsAt: iso(kit.clock.now() + 3_600_000),
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('program service', () => {
  it('pauses, resumes and ends a program; manual jobs still work beside it', async () => {
    await using kit = await createProgramKit();
    const id = await competition(kit);
    await kit.addMiners(id, 1);
    const put = await kit.request('PUT', `/v1/competitions/${id}/program`, { phases: [phase()] });
    expect(put.status).toBe(200);
    expect(put.body.jobs).toHaveLength(1);

    expect((await kit.request('POST', `/v1/competitions/${id}/program/pause`)).body.status).toBe('paused');
    await kit.advance(120);
    // The running job ended, but a paused program makes no new one.
    let view = (await kit.request('GET', `/v1/competitions/${id}/program`)).body;
    expect(view.jobs).toHaveLength(1);
    expect(view.next.wait).toBe('nothing');

    view = (await kit.request('POST', `/v1/competitions/${id}/program/resume`)).body;
    expect(view.status).toBe('active');
    expect(view.jobs).toHaveLength(2);

    const ended = await kit.request('POST', `/v1/competitions/${id}/program/end`, { reason: 'enough' });
    expect(ended.body).toMatchObject({ status: 'ended', endReason: 'enough' });
    await kit.advance(300);
    expect((await kit.request('GET', `/v1/competitions/${id}/program`)).body.jobs).toHaveLength(2);
    expect((await kit.request('POST', `/v1/competitions/${id}/program/resume`)).body.error.code).toBe(
      'program_ended',
    );
    const replaced = await kit.request('PUT', `/v1/competitions/${id}/program`, { phases: [phase()] });
    expect(replaced.status).toBe(409);
    expect(replaced.body.error.code).toBe('program_ended');
    const manual = await kit.request('POST', `/v1/competitions/${id}/jobs`, {
      model: 'm2',
      dataset: 'd1',
      timeLimitSeconds: 60,
      minersWanted: 1,
    });
    expect(manual.status).toBe(201);
    expect((await kit.request('GET', `/v1/competitions/${id}`)).body.program).toBe('ended');
  });

  it('accepts a program as YAML', async () => {
    await using kit = await createProgramKit();
    const id = await competition(kit);
    const yaml = [
      'phases:',
      '  - name: warm-up',
      '    models: [m1, m2]',
      '    datasets: [d1]',
      '    timeLimit: 60',
      '    minersWanted: 1',
      '  - name: main',
      '    startOffsetSeconds: 600',
      '    models: [m1]',
      '    datasets: [d1, d2]',
      '    timeLimit: { min: 60, max: 120 }',
      '    minersWanted: 2',
      '    concurrentJobs: 3',
    ].join('\n');
    const put = await kit.request('PUT', `/v1/competitions/${id}/program`, yaml);
    expect(put.status).toBe(200);
    expect(put.body.phases.map((p: { spec: { name: string } }) => p.spec.name)).toEqual(['warm-up', 'main']);
    expect(put.body.phases[1].startsAt).toBe(iso(Date.parse(put.body.phases[0].startsAt) + 600_000));
    const broken = await kit.request('PUT', `/v1/competitions/${id}/program`, 'phases: [\n');
    expect(broken.body.error.code).toBe('invalid_body');
  });

  it('refuses a bad program with the field that is wrong, and stores nothing', async () => {
    await using kit = await createProgramKit();
    const id = await competition(kit);
    const put = (program: unknown) => kit.request('PUT', `/v1/competitions/${id}/program`, program);
    const cases: [unknown, string, string][] = [
      [{ phases: [phase({ minersWanted: 0 })] }, 'invalid_body', '/phases/0/minersWanted'],
      [{ phases: [phase(), phase()] }, 'invalid_body', '/phases/1/startOffsetSeconds'],
      [
        { phases: [phase(), phase({ startOffsetSeconds: 0 })] },
        'invalid_body',
        '/phases/1/startOffsetSeconds',
      ],
      [{ phases: [phase({ timeLimit: { min: 90, max: 60 } })] }, 'invalid_body', '/phases/0/timeLimit/max'],
      [{ phases: [phase({ startOffsetSeconds: 3590 })] }, 'invalid_body', '/phases/0/timeLimit'],
      [{ phases: [phase({ models: ['m1', 'nope'] })] }, 'unknown_model', '/phases/0/models/1'],
      [{ phases: [phase({ datasets: ['d1', 'nope'] })] }, 'unknown_dataset', '/phases/0/datasets/1'],
      [{ phases: [phase({ extra: 1 })] }, 'invalid_body', '/phases/0/extra'],
    ];
    for (const [program, code, path] of cases) {
      const response = await put(program);
      expect(response.status, JSON.stringify(program)).toBe(400);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
    expect((await kit.request('GET', `/v1/competitions/${id}/program`)).body.error.code).toBe('not_found');
    // Inside a competition body the paths start at /program, and no competition is stored.
    const before = (await kit.request('GET', '/v1/competitions')).body.competitions.length;
    const created = await kit.request('POST', '/v1/competitions', {
      name: 'bad',
      program: { phases: [phase({ models: ['nope'] })] },
    });
    expect(created.body.error).toMatchObject({
      code: 'unknown_model',
      issues: [{ path: '/program/phases/0/models/0' }],
    });
    expect((await kit.request('GET', '/v1/competitions')).body.competitions.length).toBe(before);
  });

  it('scales time limits with the dataset size when the phase says so', async () => {
    await using kit = await createProgramKit({ datasets: { small: 40, large: 400 } });
    const id = await competition(kit);
    await kit.addMiners(id, 2);
    const timeLimit = { perThousandRows: 1000, min: 20, max: 600 };
    await kit.request('PUT', `/v1/competitions/${id}/program`, {
      phases: [phase({ datasets: ['small', 'large'], timeLimit, concurrentJobs: 2 })],
    });
    const jobs = await kit.jobs(id);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job.time_limit_seconds).toBe(Math.max(20, job.train_rows));
    const bySize = Object.fromEntries(jobs.map((job) => [job.dataset, job.time_limit_seconds]));
    expect(bySize.large).toBeGreaterThan(5 * (bySize.small ?? 0));
  });
});

describe('the competition window', () => {
  it('offers nothing before the start, refuses jobs that cannot finish before the end, closes what is left', async () => {
    await using kit = await createProgramKit();
    const startsAt = kit.clock.now() + 600_000;
    const endsAt = startsAt + 600_000;
    const id = await competition(kit, { startsAt: iso(startsAt), endsAt: iso(endsAt) });
    await kit.addMiners(id, 1);
    const job = (timeLimitSeconds: number) =>
      kit.request('POST', `/v1/competitions/${id}/jobs`, {
        model: 'm1',
        dataset: 'd1',
        timeLimitSeconds,
        minersWanted: 1,
      });

    const early = await job(550);
    expect(early.status).toBe(201);
    const tooLong = await job(601);
    expect(tooLong.status).toBe(409);
    expect(tooLong.body.error.code).toBe('outside_window');
    await kit.advance(590);
    expect((await kit.request('GET', `/v1/jobs/${early.body.id}`)).body.offers).toEqual([]);
    await kit.advance(10);
    expect((await kit.request('GET', `/v1/jobs/${early.body.id}`)).body.status).toBe('running');

    // The only miner is busy until 50 s before the end, too late for a 100 s job: it waits, then closes.
    const waiting = await job(100);
    await kit.advance(540);
    expect((await kit.request('GET', `/v1/jobs/${waiting.body.id}`)).body.status).toBe('offering');
    await kit.advance(60);
    const closed = (await kit.request('GET', `/v1/jobs/${waiting.body.id}`)).body;
    expect(closed.status).toBe('closed');
    expect(closed.offers.every((offer: { status: string }) => offer.status !== 'pending')).toBe(true);
    expect((await job(10)).body.error.code).toBe('outside_window');
    const refused = await kit.request('POST', '/v1/competitions', {
      name: 'x',
      startsAt: iso(endsAt),
      endsAt: iso(endsAt - 1000),
    });
    expect(refused.body.error).toMatchObject({ code: 'invalid_body', issues: [{ path: '/endsAt' }] });
  });
});
