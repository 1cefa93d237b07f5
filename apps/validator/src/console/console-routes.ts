// The operator's console pages and actions under /console: every route needs the session cookie (pages
// redirect to the sign-in page without one), every POST also the same origin and the session's CSRF token.
// Pages render the current state from the services; `x-console-fragment` asks for `#console-main` alone.
// Sign-in, assets and the public board are in public-routes.ts.

import { type Context, Hono } from 'hono';
import type { ConsoleSettingsRepo } from '../db/console-settings-repo.js';
import type { ScoresRepo } from '../db/scores-repo.js';
import { ValidatorError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CompetitionService } from '../services/competition-service.js';
import type { JobService } from '../services/job-service.js';
import type { JudgeService } from '../services/judge-service.js';
import type { ProgramService } from '../services/program-service.js';
import { intervalChart, lossCurves, scoreHistory } from './charts-data.js';
import { type ConsoleEnv, type FormLimits, requireCsrf, requireSession } from './console-guard.js';
import type { EventHub } from './event-hub.js';
import { auditBody, minerBody, rulesBody } from './pages/admin-pages.js';
import { leaderboardBody } from './pages/board-pages.js';
import { homeBody, jobsBody, overviewBody } from './pages/competition-pages.js';
import { type Fragment, mainSection, type PageFrame, page } from './pages/layout.js';
import { reportBody } from './pages/report-page.js';
import type { ProgressHistory } from './progress-history.js';
import { decodeRuleForm } from './rule-form.js';
import type { ConsoleSessions } from './sessions.js';
import { openEventStream, type StreamLimits } from './sse-stream.js';

/** The validator's services the console pages read and change. */
export interface ConsolePageServices {
  competitions: CompetitionService;
  jobs: JobService;
  judge: JudgeService;
  programs: ProgramService;
  scores: ScoresRepo;
  settings: ConsoleSettingsRepo;
}

/** What the console routes need: those services and the console's own parts. */
export interface ConsoleRoutesDeps extends ConsolePageServices {
  sessions: ConsoleSessions;
  hub: EventHub;
  history: ProgressHistory;
  logger: Logger;
  now: () => number;
  limits: { form: FormLimits; stream: StreamLimits };
}

const ACTOR = 'console';

/** Renders a page, or only its main section for a live re-fetch. */
function render(c: Context<ConsoleEnv>, frame: Omit<PageFrame, 'csrf'>, body: Fragment) {
  c.header('cache-control', 'no-store');
  const full = { ...frame, csrf: c.get('session').csrf };
  return c.html(
    c.req.header('x-console-fragment') !== undefined ? mainSection(full, body) : page(full, body),
  );
}

/** Builds the console routes. */
export function consoleRoutes(deps: ConsoleRoutesDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { competitions, jobs, judge } = deps;
  const guard = (c: Context<ConsoleEnv>, next: () => Promise<void>) => {
    if (c.req.path.startsWith('/console/assets/') || c.req.path === '/console/sign-in') return next();
    const isPage = c.req.method === 'GET' && c.req.path !== '/console/events';
    return requireSession(deps.sessions, isPage ? 'page' : 'api')(c, next);
  };
  app.use('/console', guard);
  app.use('/console/*', guard);
  app.on('POST', '/console/*', async (c, next) => {
    if (c.req.path === '/console/sign-in') return next();
    return requireCsrf(deps.sessions, deps.limits.form)(c, next);
  });
  const back = (c: Context<ConsoleEnv>, to: string) => c.redirect(to, 303);

  app.get('/console', async (c) => render(c, { title: 'Competitions' }, homeBody(await competitions.list())));

  app.get('/console/c/:id', async (c) => {
    const id = c.req.param('id');
    const competition = await competitions.get(id);
    const [program, miners, on] = await Promise.all([
      deps.programs.get(id).catch(() => undefined),
      competitions.listMiners(id),
      deps.settings.publicLeaderboard(id),
    ]);
    const watch = { topics: ['miner', 'program', 'competition', 'job'], competitionId: id };
    return render(
      c,
      { title: competition.name, competitionId: id, watch },
      overviewBody(competition, program, miners, on, c.get('session').csrf),
    );
  });

  app.get('/console/c/:id/leaderboard', async (c) => {
    const id = c.req.param('id');
    const competition = await competitions.get(id);
    const [board, scores] = await Promise.all([judge.leaderboard(id), deps.scores.listByCompetition(id)]);
    const history = scoreHistory(
      scores.map((s) => ({
        jobId: s.job_id,
        minerId: s.miner_id,
        quality: s.quality,
        scoredAt: s.scored_at,
      })),
      board.miners,
    );
    const watch = { topics: ['score', 'miner'], competitionId: id };
    return render(
      c,
      { title: `${competition.name}: leaderboard`, competitionId: id, watch },
      leaderboardBody(board, history),
    );
  });

  app.get('/console/c/:id/jobs', async (c) => {
    const id = c.req.param('id');
    const competition = await competitions.get(id);
    const list = await jobs.list(id);
    const watch = { topics: ['job', 'offer', 'progress', 'submission', 'score'], competitionId: id };
    const eta = (jobId: string, minerId: string) => deps.history.eta(jobId, minerId);
    return render(c, { title: `${competition.name}: jobs`, competitionId: id, watch }, jobsBody(list, eta));
  });

  app.get('/console/jobs/:id', async (c) => {
    const job = await jobs.get(c.req.param('id'));
    const results = await judge.results(job.id);
    const names = new Map(results.submissions.map((s) => [s.minerId, s.displayName]));
    const losses = lossCurves(
      job.offers
        .filter((o) => o.status === 'accepted')
        .map((o) => ({
          label: names.get(o.minerId) || o.minerId,
          points: deps.history.points(job.id, o.minerId),
        }))
        .filter((curve) => curve.points.length > 0),
    );
    const watch = { topics: ['job', 'offer', 'progress', 'submission', 'score'], jobId: job.id };
    const frame = { title: `Job ${job.id}`, competitionId: job.competitionId, watch };
    return render(
      c,
      frame,
      reportBody(job, results, { intervals: intervalChart(results), losses }, c.get('session').csrf),
    );
  });

  app.get('/console/miners/:id', async (c) => {
    const miner = await competitions.getMiner(c.req.param('id'));
    const watch = { topics: ['score', 'miner'], minerId: miner.id };
    const frame = {
      title: `Miner ${miner.displayName || miner.id}`,
      competitionId: miner.competitionId,
      watch,
    };
    return render(c, frame, minerBody(miner, await judge.minerResults(miner.id)));
  });

  app.get('/console/c/:id/rules', async (c) => {
    const id = c.req.param('id');
    const competition = await competitions.get(id);
    const watch = { topics: ['rule'], competitionId: id };
    return render(
      c,
      { title: `${competition.name}: rules`, competitionId: id, watch },
      rulesBody(id, await judge.rules(id), c.get('session').csrf),
    );
  });

  app.get('/console/c/:id/audit', async (c) => {
    const id = c.req.param('id');
    const competition = await competitions.get(id);
    const watch = { topics: ['rule', 'score'], competitionId: id };
    return render(
      c,
      { title: `${competition.name}: audit log`, competitionId: id, watch },
      auditBody(await judge.audit(id)),
    );
  });

  app.get('/console/events', () => {
    const stream = openEventStream(deps.hub, deps.limits.stream, () =>
      deps.logger.warn('limit.console_slow_client', { max: deps.limits.stream.maxQueued }),
    );
    if (!stream) {
      deps.logger.warn('limit.console_streams', { open: deps.hub.size() });
      throw new ValidatorError('rate_limited', 'too many console streams open', { status: 429 });
    }
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    });
  });

  app.post('/console/c/:id/rules/:rule', async (c) => {
    const id = c.req.param('id');
    const ruleId = c.req.param('rule');
    const current = (await judge.rules(id)).find((r) => r.id === ruleId);
    if (!current) throw new ValidatorError('not_found', `no rule ${ruleId}`, { status: 404 });
    await judge.setRule(id, ruleId, decodeRuleForm(c.get('form'), current), ACTOR);
    return back(c, `/console/c/${id}/rules`);
  });
  app.post('/console/c/:id/rescore', async (c) => {
    await judge.rescoreCompetition(c.req.param('id'), ACTOR);
    return back(c, `/console/c/${c.req.param('id')}/leaderboard`);
  });
  app.post('/console/jobs/:id/rescore', async (c) => {
    await judge.rescoreJob(c.req.param('id'), ACTOR);
    return back(c, `/console/jobs/${c.req.param('id')}`);
  });
  app.post('/console/c/:id/public', async (c) => {
    const id = c.req.param('id');
    await competitions.require(id);
    const on = c.get('form').get('public') === 'on';
    const at = new Date(deps.now()).toISOString();
    const detail = JSON.stringify({ publicLeaderboard: on });
    await deps.settings.setPublicLeaderboard(id, on, {
      competition_id: id,
      at,
      actor: ACTOR,
      action: 'public_leaderboard.set',
      detail_json: detail,
    });
    deps.logger.info('console.public_leaderboard', { competitionId: id, on });
    return back(c, `/console/c/${id}`);
  });
  return app;
}
