// `pnpm bench:load`: starts the compiled validator in its own process on a temp data dir, registers N miner
// keys, connects them over real WebSockets from several miner processes (load-miners.ts, sources spread over
// 127.0.0.x), then creates a job every --job-interval-ms while the miners accept every offer, and prints the
// connect time, the validator's RSS and the offer.accept -> job.start latency (p50/p99) for each N. It stops
// by itself (each run is bounded by --timeout-s) and sends traffic only on 127.0.0.0/8. It asserts nothing.

import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeDataset, writeTinyModel } from '../fixture-files.js';
import type { FromMiners, MinerProcessOptions, ToMiners } from './load-miners.js';

const TOKEN = 'load-bench-operator-token-0123456789';
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** Error lines of the validator's log, printed when a run fails. */
const errors: string[] = [];
/** What the current run is doing (named in a timeout). */
let phase = 'starting';
/** Every process started, killed on the way out whatever happens. */
const started = new Set<ChildProcess>();
const killAll = () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};
process.on('exit', killAll);

/** Benchmark settings from the command line. */
interface BenchOptions {
  miners: number[];
  processes: number;
  addresses: number;
  concurrency: number;
  jobIntervalMs: number;
  measureS: number;
  timeoutS: number;
  datasetRows: number;
  waitingJobs: number;
}

/** The numbers of one run. */
interface RunResult {
  miners: number;
  connected: number;
  connectS: number;
  rssMiB: number;
  peakRssMiB: number;
  jobs: number;
  jobCreateP50: number;
  jobCreateP99: number;
  starts: number;
  p50: number;
  p99: number;
  max: number;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      miners: { type: 'string', default: '1000,10000' },
      processes: { type: 'string', default: '4' },
      addresses: { type: 'string', default: '32' },
      concurrency: { type: 'string', default: '48' },
      'job-interval-ms': { type: 'string', default: '200' },
      'measure-s': { type: 'string', default: '10' },
      'timeout-s': { type: 'string', default: '300' },
      'dataset-rows': { type: 'string', default: '2000' },
      'waiting-jobs': { type: 'string', default: '0' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values) => {
    const value = Number(values[name]);
    if (!Number.isSafeInteger(value) || value < (name === 'waiting-jobs' ? 0 : 1)) {
      throw new Error(`--${name} must be a positive integer`);
    }
    return value;
  };
  return {
    miners: String(values.miners)
      .split(',')
      .map((n) => Number(n.trim()))
      .filter((n) => Number.isSafeInteger(n) && n > 0),
    processes: int('processes'),
    addresses: Math.min(int('addresses'), 250),
    concurrency: int('concurrency'),
    jobIntervalMs: int('job-interval-ms'),
    measureS: int('measure-s'),
    timeoutS: int('timeout-s'),
    datasetRows: int('dataset-rows'),
    waitingJobs: int('waiting-jobs'),
  };
}

/** A tiny HF-style model dir and a prompt/answer dataset under `root`. */
async function writeFixtures(root: string, rows: number): Promise<void> {
  await writeTinyModel(join(root, 'models'), 'tiny');
  await writeDataset(join(root, 'datasets'), 'sums', rows);
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
const sortedOf = (values: number[]) => [...values].sort((a, b) => a - b);

async function rssMiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** Starts the compiled validator; resolves with its process and URL once it listens. */
async function startValidator(root: string, miners: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      here('../main.js'),
      ...['--port', '0', '--host', '127.0.0.1', '--data-dir', join(root, 'data')],
      ...['--models-dir', join(root, 'models'), '--dataset-dir', join(root, 'datasets')],
      ...['--operator-token', TOKEN, '--heartbeat-interval-ms', '20000', '--offer-ttl-seconds', '60'],
      ...['--max-http-connections', String(Math.max(16_000, miners + 2_000))],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  started.add(child);
  const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
  // The log keeps being drained (so the validator never blocks on a full pipe); errors are kept to print.
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`validator exited with ${code} before listening`)));
    lines.on('line', (line) => {
      if (line.includes('"level":"error"')) errors.push(line.slice(0, 2000));
      if (line.includes('"validator.listening"')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return { child, url };
}

/** One forked miner process with a request/reply helper. */
function forkMiners(options: MinerProcessOptions) {
  const child = fork(here('./load-miners.js'), [JSON.stringify(options)], { stdio: 'inherit' });
  started.add(child);
  const ask = <T extends FromMiners['type']>(message: ToMiners, type: T) =>
    new Promise<Extract<FromMiners, { type: T }>>((resolve, reject) => {
      const done = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (reply: FromMiners) => {
        if (reply.type === 'failed') reject(new Error(`miner process: ${reply.message}`));
        else if (reply.type === type) resolve(reply as Extract<FromMiners, { type: T }>);
        else return;
        done();
      };
      const onExit = (code: number | null, signal: string | null) => {
        done();
        reject(new Error(`a miner process exited (${code ?? signal}) during ${message.type}`));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(message);
    });
  return { child, ask };
}

async function operatorPost(url: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { id?: string };
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function run(n: number, options: BenchOptions): Promise<RunResult> {
  const root = await mkdtemp(join(tmpdir(), 'arena-load-bench-'));
  const children: ChildProcess[] = [];
  try {
    await writeFixtures(root, options.datasetRows);
    const validator = await startValidator(root, n);
    children.push(validator.child);
    const { url } = validator;
    const competition = await operatorPost(url, '/v1/competitions', {
      name: `load ${n}`,
      maxMiners: n,
      maxMinersPerOwner: n,
    });
    const share = Math.ceil(n / options.processes);
    const localAddresses = Array.from({ length: options.addresses }, (_, i) => `127.0.0.${i + 2}`);
    const miners = [];
    for (let first = 0; first < n; first += share) {
      const forked = forkMiners({
        url,
        wsUrl: `${url.replace(/^http/, 'ws')}/v1/ws`,
        token: TOKEN,
        competitionId: competition.id as string,
        first,
        count: Math.min(share, n - first),
        localAddresses,
        concurrency: options.concurrency,
      });
      children.push(forked.child);
      miners.push(forked);
    }
    phase = 'registering keys';
    await Promise.all(miners.map((m) => m.ask({ type: 'register' }, 'registered')));
    phase = 'creating the waiting jobs';
    // Jobs created before anyone connects wait in `offering`; connecting miners are offered them.
    const createJob = (minersWanted: number) =>
      operatorPost(url, `/v1/competitions/${competition.id}/jobs`, {
        model: 'tiny',
        dataset: 'sums',
        timeLimitSeconds: 3600,
        minersWanted,
      });
    // The first job warms the model catalog and the preparation workers (it waits like the others).
    await createJob(1);
    let waiting = 1;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (waiting < options.waitingJobs) {
          waiting++;
          await createJob(1);
        }
      }),
    );

    phase = 'connecting';
    const connectStart = performance.now();
    const connects = await Promise.all(miners.map((m) => m.ask({ type: 'connect' }, 'connected')));
    const connectS = (performance.now() - connectStart) / 1000;
    const connected = connects.reduce((sum, c) => sum + c.connected, 0);
    const rss = await rssMiB(validator.child.pid ?? 0);
    // Only starts of jobs created during the measurement count.
    await Promise.all(miners.map((m) => m.ask({ type: 'report' }, 'report')));

    // Job creations run during the measurement: the latency includes whatever they cost the validator.
    phase = 'measuring';
    const createMs: number[] = [];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const creations: Promise<void>[] = [];
    const until = performance.now() + options.measureS * 1000;
    while (performance.now() < until) {
      const started = performance.now();
      creations.push(
        createJob(1 + Math.floor(random() * 5)).then(() => void createMs.push(performance.now() - started)),
      );
      await new Promise((resolve) => setTimeout(resolve, options.jobIntervalMs));
    }
    phase = `waiting for ${creations.length - createMs.length} job creations`;
    await Promise.all(creations);
    phase = 'collecting';
    // Let the last offers be answered and started.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const reports = await Promise.all(miners.map((m) => m.ask({ type: 'report' }, 'report')));
    const peak = await rssMiB(validator.child.pid ?? 0);
    const latencies = sortedOf(reports.flatMap((r) => r.latenciesMs));
    const creates = sortedOf(createMs);
    return {
      miners: n,
      connected,
      connectS,
      rssMiB: rss.rss,
      peakRssMiB: peak.peak,
      jobs: createMs.length,
      jobCreateP50: percentile(creates, 0.5),
      jobCreateP99: percentile(creates, 0.99),
      starts: latencies.length,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.NaN,
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took over ${seconds} s (while ${phase})`)),
      seconds * 1000,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const f = (value: number, digits = 1) => value.toFixed(digits);
  console.log(
    `load bench: ${options.processes} miner processes over ${options.addresses} loopback addresses; ` +
      `a job every ${options.jobIntervalMs} ms for ${options.measureS} s (minersWanted 1-5, ` +
      `${options.datasetRows}-row dataset, ${options.waitingJobs} jobs waiting before the miners connect); ` +
      `latency = a miner's offer.accept sent -> its job.start received`,
  );
  for (const n of options.miners) {
    const r = await withTimeout(run(n, options), options.timeoutS, `the run with ${n} miners`);
    console.log(
      `N=${r.miners}: connected ${r.connected} in ${f(r.connectS, 2)} s, validator RSS ${f(r.rssMiB, 0)} MiB ` +
        `(peak ${f(r.peakRssMiB, 0)} MiB); ${r.jobs} jobs (create p50 ${f(r.jobCreateP50)} ms, ` +
        `p99 ${f(r.jobCreateP99)} ms); offer.accept -> job.start over ${r.starts} starts: ` +
        `p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms, max ${f(r.max)} ms`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`load bench failed: ${error.message}`);
    for (const line of errors.slice(-5)) console.error(`validator: ${line}`);
    process.exit(1);
  },
);
