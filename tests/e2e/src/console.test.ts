// The web console in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, no
// browser download) against a real validator, a real miner and a scored job: sign-in and its refusal, the
// leaderboard updating live when the job is scored and matching the API, the job report with its flag, a
// rule switched off and a re-score from the page, and the public board hiding what it must. Screenshots of
// the leaderboard and the report are kept under artifacts/console/ (git-ignored).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorClient, startMiner } from './fixtures.js';
import { createTempRoot, startJudgeValidator } from './judge-fixtures.js';
import { createCopyBaseTrainer } from './test-trainers.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(repo, 'artifacts', 'console');
const poll = { timeout: 90_000, interval: 250 };

/** Every console error and uncaught exception of a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

describe.skipIf(!existsSync(CHROMIUM))('web console in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // The bundle the validator serves, built as `pnpm build` builds it.
    execFileSync(process.execPath, [join(repo, 'packages/console-ui/scripts/bundle.mjs')], { stdio: 'pipe' });
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in, shows the scored job live, its report and flags, re-scores after a rule change, and publishes a board', async () => {
    await using root = await createTempRoot();
    await using validator = await startJudgeValidator(root.root);
    const operator = operatorClient(validator.url);
    const competition = await operator.competitions.create({ name: 'browser cup' });
    const cid = competition.id;
    await using miner = await startMiner({
      name: 'ada',
      root: root.root,
      validatorUrl: validator.url,
      operator,
      competitionId: cid,
      trainer: createCopyBaseTrainer({ salt: 'console' }),
    });
    await expect.poll(async () => (await operator.miners.get(miner.id)).connected, poll).toBe(true);

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    page.on('dialog', (dialog) => void dialog.accept());

    // Refused without a session: the console sends the browser to the sign-in page.
    await page.goto(`${validator.url}/console/c/${cid}/leaderboard`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.fill('input[name=token]', 'not-the-operator-token');
    await page.click('button');
    await page.waitForSelector('#refused');
    // The printed one-time link signs in by itself and leaves no secret in the address bar.
    await page.goto(validator.consoleUrl);
    await page.waitForURL(`${validator.url}/console`);
    const cookies = await context.cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'arena_console', httpOnly: true, sameSite: 'Strict' }),
    ]);

    // Opened before the job exists; the score arrives over server-sent events, without a reload.
    await page.goto(`${validator.url}/console/c/${cid}/leaderboard`);
    await page.waitForSelector('#live-status[data-state="live"]');
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    const job = await operator.jobs.create(cid, {
      model: 'judge-gpt2',
      dataset: 'country-facts',
      timeLimitSeconds: 20,
      minersWanted: 1,
      maxRows: 60,
    });
    await expect.poll(async () => (await operator.jobs.get(job.id)).status, poll).toBe('scored');
    const board = await operator.competitions.leaderboard(cid);
    expect(board.miners).toMatchObject([{ minerId: miner.id, score: 0, jobs: 1 }]);
    await page.waitForSelector('#score-history[data-drawn]', { timeout: 30_000 });
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    const scores = await page.$$eval('#miners-board tr[data-miner]', (rows) =>
      rows.map((row) => [row.getAttribute('data-miner'), row.querySelector('.score')?.textContent]),
    );
    expect(scores).toEqual(board.miners.map((m) => [m.minerId, m.score.toFixed(4)]));
    await page.screenshot({ path: join(ARTIFACTS, 'leaderboard.png'), fullPage: true });

    // The report: base and submission numbers as the API has them, the not-base flag with its evidence.
    const results = await operator.jobs.results(job.id);
    await page.goto(`${validator.url}/console/jobs/${job.id}`);
    const submission = page.locator(`section.submission[data-miner="${miner.id}"]`);
    await expect.poll(() => submission.locator('[data-flag="not-base"]').count()).toBe(1);
    expect(await submission.locator('.quality').textContent()).toBe(
      results.submissions[0]?.quality.toFixed(4),
    );
    expect(await page.locator('#base').textContent()).toContain(results.base?.test.toFixed(4));
    expect(await submission.locator('tr[data-rule="not-base"] .fail').textContent()).toBe('FLAG');
    expect(await submission.textContent()).toContain('copy-base test trainer (console)');
    await page.screenshot({ path: join(ARTIFACTS, 'job-report.png'), fullPage: true });

    // Switch not-base off on the rules page, re-score from it (both confirmed), and the board moves to 1.
    await page.goto(`${validator.url}/console/c/${cid}/rules`);
    await page.click('tr[data-rule="not-base"] button.toggle');
    await page.waitForSelector('tr[data-rule="not-base"] td.muted');
    expect((await operator.rules.list(cid)).find((r) => r.id === 'not-base')?.enabled).toBe(false);
    await page.click('#rescore-all');
    await page.waitForURL(`${validator.url}/console/c/${cid}/leaderboard`);
    expect(await page.locator(`tr[data-miner="${miner.id}"] .score`).textContent()).toBe('1.0000');
    expect((await operator.competitions.leaderboard(cid)).miners[0]?.score).toBe(1);

    // The public board: off until turned on; then standings without notes, evidence, links or script.
    const visitor = await browser.newPage();
    const visitorErrors = watchErrors(visitor);
    expect((await visitor.goto(`${validator.url}/public/c/${cid}`))?.status()).toBe(404);
    await page.goto(`${validator.url}/console/c/${cid}`);
    await page.click('#public-toggle');
    await page.waitForSelector('#public-link');
    expect((await visitor.goto(`${validator.url}/public/c/${cid}`))?.status()).toBe(200);
    const publicHtml = await visitor.content();
    expect(await visitor.locator(`tr[data-miner="${miner.id}"] .score`).textContent()).toBe('1.0000');
    for (const hidden of ['copy-base', 'evidence', 'not-base', 'console.js', '/console/miners', job.id])
      expect(publicHtml).not.toContain(hidden);
    expect((await visitor.goto(`${validator.url}/console/c/${cid}`))?.url()).toContain('/console/sign-in');

    expect(errors).toEqual([]);
    expect(visitorErrors.filter((e) => !e.includes('404'))).toEqual([]);
    await visitor.close();
    await context.close();
  }, 240_000);
});
