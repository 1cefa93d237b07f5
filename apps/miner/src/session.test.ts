import {
  challengePayload,
  generateMinerKeyPair,
  type MinerMessage,
  PROTOCOL_VERSION,
  verifyPayload,
} from '@tuning-arena/protocol';
import { invalidValidatorFrames, validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { describe, expect, it, vi } from 'vitest';
import { createSession, type SessionHandlers } from './session.js';

const pair = generateMinerKeyPair();
const identity = { publicKey: pair.publicKey, privateKeyPem: pair.privateKeyPem };
const frame = (name: string, patch: Record<string, unknown> = {}) =>
  JSON.stringify({ ...(validValidatorFrames[name] as object), ...patch });

function setup() {
  const sent: MinerMessage[] = [];
  const handlers = {
    send: (message: MinerMessage) => sent.push(message),
    onWelcome: vi.fn(),
    onFrame: vi.fn(),
    onAuthError: vi.fn(),
  } satisfies SessionHandlers;
  const session = createSession({ identity, capacity: 2, software: 'test/1' }, handlers);
  return { session, sent, handlers };
}

function authenticated() {
  const ctx = setup();
  ctx.session.start();
  ctx.session.receive(frame('challenge'));
  ctx.session.receive(frame('welcome'));
  return ctx;
}

describe('gateway session', () => {
  it('says hello, signs the challenge for its own key and becomes ready on welcome', () => {
    const { session, sent, handlers } = setup();
    session.start();
    expect(sent[0]).toMatchObject({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      minerKey: pair.publicKey,
    });
    const nonce = (validValidatorFrames.challenge as { nonce: string }).nonce;
    expect(session.receive(frame('challenge')).ok).toBe(true);
    const auth = sent[1] as { type: 'auth'; signature: string };
    expect(auth.type).toBe('auth');
    expect(verifyPayload(pair.publicKey, challengePayload(nonce, pair.publicKey), auth.signature)).toBe(true);
    session.receive(frame('welcome'));
    expect(session.phase).toBe('ready');
    expect(handlers.onWelcome).toHaveBeenCalledOnce();
  });

  it('hands job frames on once authenticated', () => {
    const { session, handlers } = authenticated();
    for (const name of ['job.offer', 'job.start', 'job.cancel', 'submit.ack', 'job.result', 'error']) {
      expect(session.receive(frame(name)).ok).toBe(true);
    }
    expect(handlers.onFrame).toHaveBeenCalledTimes(6);
  });

  it.each(invalidValidatorFrames)('refuses $name with $code and does not act on it', ({ raw, code }) => {
    const { session, handlers } = authenticated();
    const outcome = session.receive(raw);
    expect(outcome.ok ? 'accepted' : outcome.error.code).toBe(code);
    expect(handlers.onFrame).not.toHaveBeenCalled();
  });

  it('does not act on job frames before welcome', () => {
    const { session, handlers } = setup();
    session.start();
    const outcome = session.receive(frame('job.offer'));
    expect(outcome.ok ? 'accepted' : outcome.error.code).toBe('not_authenticated');
    expect(handlers.onFrame).not.toHaveBeenCalled();
  });

  it('refuses a welcome that was not earned and a second challenge', () => {
    const { session, sent, handlers } = setup();
    session.start();
    expect(session.receive(frame('welcome')).ok).toBe(false);
    expect(handlers.onWelcome).not.toHaveBeenCalled();
    session.receive(frame('challenge'));
    expect(session.receive(frame('challenge')).ok).toBe(false);
    expect(sent.filter((m) => m.type === 'auth')).toHaveLength(1);
  });

  it('reports an error frame before welcome as an authentication failure', () => {
    const { session, handlers } = setup();
    session.start();
    session.receive(frame('error', { code: 'unknown_key' }));
    expect(handlers.onAuthError).toHaveBeenCalledWith(expect.objectContaining({ code: 'unknown_key' }));
    expect(handlers.onFrame).not.toHaveBeenCalled();
  });
});
