// The miner's bulk-data HTTP endpoints, authorised by the session token of a live connection: the train
// split and the pinned base model bundle of an accepted running job, and content-addressed artifact upload.
// Test data has no route at all.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import type { JobResult } from '@tuning-arena/protocol';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { ValidatorError } from '../errors.js';
import type { MinerSession, SessionRegistry } from '../gateway/session-registry.js';
import { sha256Hex } from '../ids.js';
import type { ArtifactService } from '../services/artifact-service.js';
import type { JobFile, JobFilesService } from '../services/job-files-service.js';
import { bearerToken } from './http-helpers.js';

/** What the miner routes need. */
export interface MinerRoutesDeps {
  registry: SessionRegistry;
  files: JobFilesService;
  artifacts: ArtifactService;
  /** The miner's own scored results. */
  results(minerId: string): Promise<JobResult[]>;
}

type Env = { Variables: { session: MinerSession }; Bindings: Partial<HttpBindings> };

/** Refuses requests without the session token of a connected miner (401 `unauthorized`). */
function minerAuth(registry: SessionRegistry): MiddlewareHandler<Env> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const session = token === undefined ? undefined : registry.byTokenSha256(sha256Hex(token));
    if (!session)
      throw new ValidatorError('unauthorized', 'session token missing, wrong or expired', { status: 401 });
    c.set('session', session);
    await next();
  };
}

// A refused upload may leave body bytes unread (or a client that stopped sending): answer, then close the
// connection, so the socket is not kept alive by the rest of the body; destroy it if the answer is not read.
function closeAfterResponse(env: Partial<HttpBindings> | undefined): void {
  const { incoming, outgoing } = env ?? {};
  if (!incoming || !outgoing || incoming.readableEnded) return;
  if (!outgoing.headersSent) outgoing.setHeader('connection', 'close');
  const socket = incoming.socket;
  const timer = setTimeout(() => socket?.destroy(), 2_000);
  timer.unref();
  socket?.once('close', () => clearTimeout(timer));
}

function fileBody(path: string): ReadableStream {
  return Readable.toWeb(createReadStream(path)) as ReadableStream;
}

/** Builds the miner routes. */
export function minerRoutes(deps: MinerRoutesDeps): Hono<Env> {
  const app = new Hono<Env>();
  const auth = minerAuth(deps.registry);

  app.get('/v1/me/results', auth, async (c) =>
    c.json({ results: await deps.results(c.get('session').minerId) }),
  );

  // Job files go only to miners that accepted the job, and only while it runs (the service decides).
  const serve = (file: JobFile) => (c: Context<Env>) =>
    c.body(fileBody(file.path), 200, {
      'content-type': file.contentType,
      'content-length': String(file.bytes),
      'x-content-sha256': file.sha256,
    });
  app.get('/v1/jobs/:jobId/train', auth, async (c) =>
    serve(await deps.files.trainSplit(c.req.param('jobId'), c.get('session').minerId))(c),
  );
  app.get('/v1/jobs/:jobId/base-model', auth, async (c) =>
    serve(await deps.files.baseModel(c.req.param('jobId'), c.get('session').minerId))(c),
  );

  // The upload body is streamed to disk by the artifact service, under its own size, quota and stall
  // limits; it must not go through a JSON body limit or be buffered here.
  app.put('/v1/artifacts/:sha256', auth, async (c) => {
    const length = c.req.header('content-length');
    try {
      const receipt = await deps.artifacts.upload({
        minerId: c.get('session').minerId,
        name: c.req.param('sha256'),
        body: c.req.raw.body,
        contentLength: length === undefined ? undefined : Number(length),
        remoteAddress: c.env?.incoming?.socket?.remoteAddress,
      });
      return c.json(receipt, 201);
    } catch (error) {
      closeAfterResponse(c.env);
      throw error;
    }
  });
  // Names with path separators never reach the single-segment route above; refuse them by name, not 404.
  app.put('/v1/artifacts/*', auth, () => {
    throw new ValidatorError('invalid_artifact_name', 'an artifact name is its lower-case hex sha256');
  });
  return app;
}
