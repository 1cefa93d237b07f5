// The operator's JSON API under /v1: competitions, miner registration, jobs (create, list, inspect, cancel),
// submissions, commits, the model catalog, and the judge (results, leaderboard, rules, re-scores, audit). Every route requires the operator bearer token, checked before
// any body is read. Handlers only decode bodies (bounded by `body`) and call services; no queries here.

import {
  CompetitionProgram,
  CreateCompetitionBody,
  CreateJobBody,
  EndProgramBody,
  PatchRuleBody,
  RegisterMinerBody,
} from '@tuning-arena/protocol';
import { Hono, type MiddlewareHandler } from 'hono';
import { ValidatorError } from '../errors.js';
import { secretsEqual } from '../ids.js';
import type { ModelCatalog } from '../ports/model-catalog.js';
import type { CompetitionService } from '../services/competition-service.js';
import type { JobService } from '../services/job-service.js';
import type { JudgeService } from '../services/judge-service.js';
import type { ProgramService } from '../services/program-service.js';
import { type BodyRules, bearerToken, declaredLength, readBody } from './http-helpers.js';

/** What the operator routes need. */
export interface OperatorRoutesDeps {
  operatorToken: string;
  competitions: CompetitionService;
  jobs: JobService;
  judge: JudgeService;
  programs: ProgramService;
  catalog: ModelCatalog;
  /** How JSON bodies are bounded (read only after the operator token checked out). */
  body: BodyRules;
}

/** Refuses requests without the operator's bearer token (401 `unauthorized`). */
export function operatorAuth(operatorToken: string): MiddlewareHandler {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === undefined || !secretsEqual(token, operatorToken)) {
      throw new ValidatorError('unauthorized', 'operator bearer token missing or wrong', { status: 401 });
    }
    await next();
  };
}

/** Builds the operator routes. */
export function operatorRoutes(deps: OperatorRoutesDeps): Hono {
  const app = new Hono();
  const auth = operatorAuth(deps.operatorToken);
  const { competitions, jobs } = deps;

  app.post('/v1/competitions', auth, async (c) =>
    c.json(await competitions.create(await readBody(c, CreateCompetitionBody, deps.body)), 201),
  );
  app.get('/v1/competitions', auth, async (c) => c.json({ competitions: await competitions.list() }));
  app.get('/v1/competitions/:id', auth, async (c) => c.json(await competitions.get(c.req.param('id'))));

  const { programs } = deps;
  app.put('/v1/competitions/:id/program', auth, async (c) =>
    c.json(await programs.put(c.req.param('id'), await readBody(c, CompetitionProgram, deps.body))),
  );
  app.get('/v1/competitions/:id/program', auth, async (c) => c.json(await programs.get(c.req.param('id'))));
  app.post('/v1/competitions/:id/program/pause', auth, async (c) =>
    c.json(await programs.pause(c.req.param('id'))),
  );
  app.post('/v1/competitions/:id/program/resume', auth, async (c) =>
    c.json(await programs.resume(c.req.param('id'))),
  );
  app.post('/v1/competitions/:id/program/end', auth, async (c) => {
    // The reason is optional, and so is the body that carries it.
    const body = declaredLength(c) === 0 ? {} : await readBody(c, EndProgramBody, deps.body);
    return c.json(await programs.end(c.req.param('id'), body.reason ?? 'ended by the operator'));
  });

  app.post('/v1/competitions/:id/miners', auth, async (c) =>
    c.json(
      await competitions.registerMiner(c.req.param('id'), await readBody(c, RegisterMinerBody, deps.body)),
      201,
    ),
  );
  app.get('/v1/competitions/:id/miners', auth, async (c) =>
    c.json({ miners: await competitions.listMiners(c.req.param('id')) }),
  );
  app.get('/v1/miners/:id', auth, async (c) => c.json(await competitions.getMiner(c.req.param('id'))));

  app.post('/v1/competitions/:id/jobs', auth, async (c) =>
    c.json(await jobs.create(c.req.param('id'), await readBody(c, CreateJobBody, deps.body)), 201),
  );
  app.get('/v1/competitions/:id/jobs', auth, async (c) =>
    c.json({ jobs: await jobs.list(c.req.param('id')) }),
  );
  app.get('/v1/jobs/:id', auth, async (c) => c.json(await jobs.get(c.req.param('id'))));
  app.post('/v1/jobs/:id/cancel', auth, async (c) =>
    c.json(await jobs.cancel(c.req.param('id'), 'cancelled by the operator')),
  );
  app.get('/v1/jobs/:id/submissions', auth, async (c) =>
    c.json({ submissions: await jobs.submissions(c.req.param('id')) }),
  );
  app.get('/v1/jobs/:id/commits', auth, async (c) =>
    c.json({ commits: await jobs.commits(c.req.param('id')) }),
  );

  app.get('/v1/models', auth, async (c) => c.json({ models: await deps.catalog.list() }));

  const { judge } = deps;
  app.get('/v1/jobs/:id/results', auth, async (c) => c.json(await judge.results(c.req.param('id'))));
  app.post('/v1/jobs/:id/rescore', auth, async (c) =>
    c.json(await judge.rescoreJob(c.req.param('id'), 'operator')),
  );
  app.get('/v1/competitions/:id/leaderboard', auth, async (c) =>
    c.json(await judge.leaderboard(c.req.param('id'))),
  );
  app.get('/v1/competitions/:id/rules', auth, async (c) =>
    c.json({ rules: await judge.rules(c.req.param('id')) }),
  );
  app.patch('/v1/competitions/:id/rules/:rule', auth, async (c) =>
    c.json(
      await judge.setRule(
        c.req.param('id'),
        c.req.param('rule'),
        await readBody(c, PatchRuleBody, deps.body),
        'operator',
      ),
    ),
  );
  app.post('/v1/competitions/:id/rescore', auth, async (c) =>
    c.json(await judge.rescoreCompetition(c.req.param('id'), 'operator')),
  );
  app.get('/v1/competitions/:id/audit', auth, async (c) =>
    c.json({ entries: await judge.audit(c.req.param('id')) }),
  );
  return app;
}
