import type { SubmitAck } from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { describe, expect, it } from 'vitest';
import { createSubmitAcks } from './submit-acks.js';

const ack = validValidatorFrames['submit.ack'] as SubmitAck;

describe('submit acks', () => {
  it('resolves the outstanding commit of the acknowledged job', async () => {
    const acks = createSubmitAcks();
    const waiting = acks.wait(ack.jobId, 10_000, new AbortController().signal);
    expect(acks.acknowledge(ack)).toBe(true);
    await expect(waiting).resolves.toEqual(ack);
    expect(acks.acknowledge(ack)).toBe(false);
  });

  it('rejects with the validator code when the error frame names the job', async () => {
    const acks = createSubmitAcks();
    const waiting = acks.wait('job_1', 10_000, new AbortController().signal);
    acks.refuse('job_1', 'deadline_passed', 'too late');
    await expect(waiting).rejects.toMatchObject({ code: 'deadline_passed' });
  });

  it('gives an unnamed refusal to the only outstanding commit, and to none when several wait', async () => {
    const acks = createSubmitAcks();
    const one = acks.wait('job_1', 10_000, new AbortController().signal);
    expect(acks.refuse(undefined, 'not_accepted', 'no')).toBe(true);
    await expect(one).rejects.toMatchObject({ code: 'not_accepted' });
    const a = acks.wait('job_a', 10_000, new AbortController().signal);
    const b = acks.wait('job_b', 10_000, new AbortController().signal);
    expect(acks.refuse(undefined, 'not_accepted', 'no')).toBe(false);
    acks.disconnectAll();
    await expect(a).rejects.toMatchObject({ code: 'disconnected' });
    await expect(b).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('rejects as aborted when the job is cancelled while waiting', async () => {
    const acks = createSubmitAcks();
    const controller = new AbortController();
    const waiting = acks.wait('job_1', 10_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    expect(acks.pending('job_1')).toBe(false);
  });
});
