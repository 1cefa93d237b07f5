// The console's access rules through the composed app: nothing answers without a session, forged and
// expired cookies and cross-site or token-less POSTs are refused, sign-in links work once, and the public
// leaderboard exists only once the operator turns it on.

import { describe, expect, it } from 'vitest';
import { createTempDirs, createTestApp, TEST_TOKEN } from '../test-fixtures.js';

const ORIGIN = 'http://localhost';

type App = Awaited<ReturnType<typeof createTestApp>>;

// biome-ignore lint/suspicious/noExplicitAny: loosely inspected test bodies
const json = async (response: Response): Promise<any> => response.json();

/** Signs in with the token; returns the cookie header and the page's CSRF token. */
async function signIn(t: App, form: string) {
  const response = await t.app.request('/console/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: form,
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const home = await t.app.request('/console', { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '';
  return { response, setCookie, cookie, csrf };
}

const post = (t: App, path: string, cookie: string, body: string, origin = ORIGIN) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
    body,
  });

describe('console access', () => {
  it('answers no page, stream or action without a session, and refuses a forged cookie', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const { id } = await json(await t.request('POST', '/v1/competitions', { name: 'cup' }));
    const pages = [
      '/console',
      `/console/c/${id}`,
      `/console/c/${id}/leaderboard`,
      `/console/c/${id}/jobs`,
      `/console/c/${id}/rules`,
      `/console/c/${id}/audit`,
      '/console/jobs/job_x',
      '/console/miners/mnr_x',
    ];
    for (const cookie of ['', 'arena_console=forged-session-id']) {
      for (const path of pages) {
        const response = await t.app.request(path, { headers: { cookie } });
        expect(response.status, path).toBe(303);
        expect(response.headers.get('location')).toBe('/console/sign-in');
      }
      const events = await t.app.request('/console/events', { headers: { cookie } });
      expect(events.status).toBe(401);
      expect((await json(events)).error.code).toBe('unauthorized');
      for (const path of [
        `/console/c/${id}/rescore`,
        `/console/c/${id}/rules/not-base`,
        `/console/c/${id}/public`,
      ]) {
        const response = await post(t, path, cookie, 'public=on');
        expect(response.status, path).toBe(401);
      }
    }
  });

  it('exchanges a one-time link or the token for an httpOnly SameSite=Strict cookie that expires', async () => {
    await using dirs = await createTempDirs();
    let clock = Date.parse('2026-12-01T12:00:00Z');
    await using t = await createTestApp(dirs.root, { now: () => clock });
    const code = new URL(t.consoleSignInUrl('http://localhost')).searchParams.get('code') ?? '';
    const first = await signIn(t, `code=${code}`);
    expect(first.response.status).toBe(303);
    expect(first.response.headers.get('location')).toBe('/console');
    expect(first.setCookie).toMatch(/HttpOnly/);
    expect(first.setCookie).toMatch(/SameSite=Strict/);
    expect((await t.app.request('/console', { headers: { cookie: first.cookie } })).status).toBe(200);
    const again = await signIn(t, `code=${code}`);
    expect(again.response.headers.get('location')).toBe('/console/sign-in?refused=1');
    expect(again.setCookie).toBe('');
    expect((await signIn(t, 'token=wrong-token')).setCookie).toBe('');
    const byToken = await signIn(t, `token=${TEST_TOKEN}`);
    expect(byToken.setCookie).toMatch(/^arena_console=/);
    clock += 13 * 3600_000;
    expect((await t.app.request('/console', { headers: { cookie: byToken.cookie } })).status).toBe(303);
  });

  it('refuses a cross-site POST and a POST without the CSRF token, and takes one with it', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const { id } = await json(await t.request('POST', '/v1/competitions', { name: 'cup' }));
    const { cookie, csrf } = await signIn(t, `token=${TEST_TOKEN}`);
    expect(csrf.length).toBeGreaterThan(20);
    const path = `/console/c/${id}/public`;
    const crossSite = await post(t, path, cookie, `_csrf=${csrf}&public=on`, 'http://evil.example');
    expect(crossSite.status).toBe(403);
    expect((await json(crossSite)).error.code).toBe('csrf_failed');
    const noToken = await post(t, path, cookie, 'public=on');
    expect((await json(noToken)).error.code).toBe('csrf_failed');
    expect((await t.app.request(`/public/c/${id}`)).status).toBe(404);
    const ok = await post(t, path, cookie, `_csrf=${csrf}&public=on`);
    expect(ok.status).toBe(303);
    const board = await t.app.request(`/public/c/${id}`);
    expect(board.status).toBe(200);
    expect(board.headers.get('content-security-policy')).toContain("default-src 'none'");
    const audit = await json(await t.request('GET', `/v1/competitions/${id}/audit`));
    expect(audit.entries[0]).toMatchObject({ actor: 'console', action: 'public_leaderboard.set' });
  });
});
