// The one-command local competition: makes sure the base models are pretrained (the base and an impostor
// of its architecture), starts a real validator on 127.0.0.1 with its own data directory, registers real
// miners of several owners (honest strategies and the whole red team) over real WebSockets, hands the
// schedule to the competition program and follows it until every job is scored. It judges nothing itself:
// losses, qualities, flags and the leaderboard are what the validator's API says.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createArenaClient } from '@tuning-arena/client';
import { type BaseModelInfo, type BaseModelSpec, pretrainBaseModel } from '@tuning-arena/models';
import type { LeaderboardView } from '@tuning-arena/protocol';
import { createValidator, silentLogger } from '@tuning-arena/validator';
import { DEFAULT_PARTICIPANTS, type Participant } from './participants.js';
import { DEFAULT_SCHEDULE, type DemoSchedule, demoProgram } from './program.js';
import { demoPlaces, startMiners } from './start-miners.js';
import { buildSummary, type DemoSummary, type JobOutcome } from './summary.js';
import { watchProgram } from './watch.js';

/** What `--serve` keeps running: the validator's URL, its operator token, a console sign-in link, the competition. */
export interface ServedValidator {
  url: string;
  token: string;
  /** A one-time sign-in link of the web console. */
  consoleUrl: string;
  competitionId: string;
}

/** Everything the demo can be told; `workDir` and `modelsDir` are the only things without a default. */
export interface DemoOptions {
  workDir: string;
  modelsDir: string;
  /** The base every job fine-tunes (default arena-nano) and the impostor's (default arena-nano-moby). */
  models?: { base: string | BaseModelSpec; impostor: string | BaseModelSpec };
  schedule?: DemoSchedule;
  participants?: readonly Participant[];
  /** Progress lines for a person watching (default: stderr). */
  write?: (line: string) => void;
  /** Keep the validator open: called with its URL and token once the competition is over. */
  /** Called with the finished run while the validator still serves; the validator closes when it resolves. */
  serve?: (served: ServedValidator, run: DemoRun) => Promise<void>;
}

/** What the demo saw. */
export interface DemoRun {
  summary: DemoSummary;
  leaderboard: LeaderboardView;
  outcomes: JobOutcome[];
  base: BaseModelInfo;
  participants: readonly Participant[];
  seconds: number;
}

async function pretrain(spec: string | BaseModelSpec, modelsDir: string, write: (line: string) => void) {
  let shown = -1;
  const name = typeof spec === 'string' ? spec : spec.name;
  const info = await pretrainBaseModel(spec, {
    modelsDir,
    onProgress: (p) => {
      const tenth = Math.floor((10 * p.step) / p.plannedSteps);
      if (tenth === shown) return;
      shown = tenth;
      const bar = '#'.repeat(tenth).padEnd(10, '.');
      write(`  pretraining ${name} [${bar}] ${p.step}/${p.plannedSteps} loss ${p.loss.toFixed(3)}`);
    },
  });
  write(
    `  ${info.name}: ${info.params} parameters, held-out loss ${info.heldOutLoss.toFixed(3)}, sha256 ${info.sha256.slice(0, 12)}`,
  );
  return info;
}

/** Runs a local competition end to end and returns what the operator API showed. */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const started = Date.now();
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const models = options.models ?? { base: 'arena-nano', impostor: 'arena-nano-moby' };
  const schedule = options.schedule ?? DEFAULT_SCHEDULE;
  const participants = options.participants ?? DEFAULT_PARTICIPANTS;
  write('base models (built once, then reused from the cache):');
  const base = await pretrain(models.base, options.modelsDir, write);
  const impostor = await pretrain(models.impostor, options.modelsDir, write);

  const token = randomBytes(24).toString('base64url');
  const validatorDir = join(options.workDir, 'validator');
  const validator = createValidator({
    dataDir: validatorDir,
    operatorToken: token,
    modelsDir: options.modelsDir,
    offerTtlSeconds: 10,
    heartbeatIntervalMs: 2000,
    uploadGraceSeconds: 3,
    evaluation: { poolSize: 1 },
    logger: silentLogger,
  });
  const { url, consoleUrl } = await validator.start();
  write(`validator listening on ${url}`);
  const op = createArenaClient({ baseUrl: url, token });
  const miners = [];
  try {
    const competition = await op.competitions.create({ name: 'Local demo cup' });
    const places = demoPlaces(options.workDir, impostor.dir, validatorDir);
    miners.push(...(await startMiners(op, competition.id, url, participants, places)));
    const names = new Map(miners.map((m) => [m.minerId, m.participant.name]));
    for (;;) {
      const views = await op.miners.list(competition.id);
      if (views.filter((view) => view.connected).length === miners.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    write(
      `${miners.length} miners connected: ${participants.map((p) => `${p.name} (${p.honest ? '' : 'red:'}${p.strategy})`).join(', ')}`,
    );
    await op.programs.put(competition.id, demoProgram(schedule, base.name, miners.length));
    const longest = schedule.warmUp.jobs * (schedule.warmUp.seconds + 20) + schedule.main.seconds + 120;
    const outcomes = await watchProgram(op, competition.id, names, {
      write,
      timeoutMs: (schedule.main.startOffsetSeconds + longest) * 1000,
    });
    const leaderboard = await op.competitions.leaderboard(competition.id);
    const strategyOf = new Map(participants.map((p) => [p.name, p.strategy]));
    const summary = buildSummary(leaderboard, outcomes, (miner) => strategyOf.get(miner) ?? 'unknown');
    const run: DemoRun = {
      summary,
      leaderboard,
      outcomes,
      base,
      participants,
      seconds: (Date.now() - started) / 1000,
    };
    if (options.serve) {
      await Promise.allSettled(miners.map((m) => m.miner.stop()));
      miners.length = 0;
      await options.serve({ url, token, consoleUrl, competitionId: competition.id }, run);
    }
    return run;
  } finally {
    await Promise.allSettled(miners.map((m) => m.miner.stop()));
    await validator.close();
  }
}
