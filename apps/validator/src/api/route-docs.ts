// The description table of the machine API: every `/v1` route and `/metrics`, with who may call it, its
// body and response schemas (the protocol's TypeBox schemas the routes validate with) and the error codes it
// answers beyond the common ones. The OpenAPI document and the reference page are built from it, and a test
// checks it against `app.routes`. The console's HTML pages (paths outside `/v1/` and `/metrics`) are not in it.

import {
  ArtifactReceipt,
  AuditList,
  CommitList,
  CompetitionList,
  CompetitionProgram,
  CompetitionView,
  CreateCompetitionBody,
  CreateJobBody,
  EndProgramBody,
  ErrorBody,
  type ErrorCode,
  HealthView,
  JobList,
  JobResultsView,
  JobView,
  LeaderboardView,
  MinerList,
  MinerResultList,
  MinerView,
  ModelList,
  PatchRuleBody,
  ProgramView,
  RegisterMinerBody,
  RescoredJobs,
  RuleList,
  RuleView,
  SubmissionList,
} from '@tuning-arena/protocol';

/** The schemas the table names, by the name they get under the document's `components.schemas`. */
export const API_SCHEMAS = {
  ArtifactReceipt,
  AuditList,
  CommitList,
  CompetitionList,
  CompetitionProgram,
  CompetitionView,
  CreateCompetitionBody,
  CreateJobBody,
  EndProgramBody,
  ErrorBody,
  HealthView,
  JobList,
  JobResultsView,
  JobView,
  LeaderboardView,
  MinerList,
  MinerResultList,
  MinerView,
  ModelList,
  PatchRuleBody,
  ProgramView,
  RegisterMinerBody,
  RescoredJobs,
  RuleList,
  RuleView,
  SubmissionList,
} as const;

/** A schema of the table. */
export type SchemaName = keyof typeof API_SCHEMAS;

/** The HTTP status each error code answers with (`ValidatorError` statuses; 400 is the default). */
export const HTTP_ERROR_STATUS = {
  invalid_body: 400,
  bad_request: 400,
  invalid_key: 400,
  unknown_model: 400,
  unknown_dataset: 400,
  invalid_artifact_name: 400,
  hash_mismatch: 400,
  invalid_message: 400,
  unauthorized: 401,
  not_accepted: 403,
  artifact_not_committed: 403,
  deadline_passed: 403,
  not_found: 404,
  unknown_job: 404,
  upload_stalled: 408,
  conflict: 409,
  owner_limit: 409,
  competition_full: 409,
  outside_window: 409,
  program_ended: 409,
  body_too_large: 413,
  artifact_too_large: 413,
  upload_quota_exceeded: 413,
  too_many_uploads: 429,
  internal_error: 500,
} as const satisfies Partial<Record<ErrorCode, number>>;

/** An error code an HTTP route can answer with. */
export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/** Who may call a route: anyone, the operator's bearer token, or a connected miner's session token. */
export type RouteAccess = 'anyone' | 'operator' | 'miner';

/** What a route answers on success: a JSON schema of the table, or another media type. */
type RouteResponse =
  | { status: number; schema: SchemaName }
  | { status: number; media: string; about: string };

/** One documented route. */
export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path as Hono spells it (`/v1/jobs/:id`). */
  path: string;
  access: RouteAccess;
  summary: string;
  /** The JSON body it validates; `yaml`: also taken as YAML; `optional`: an empty body is allowed. */
  body?: { schema: SchemaName; yaml?: true; optional?: true };
  response: RouteResponse;
  /** Codes beyond the common ones (unauthorized, the body codes, not_found on `:params`, internal_error). */
  errors: readonly HttpErrorCode[];
  /** Other Hono paths this entry covers (a catch-all that only refuses). */
  covers?: readonly string[];
  /** Served outside the Hono app (the WebSocket upgrade), so `app.routes` does not list it. */
  outsideApp?: true;
}

const json = (schema: SchemaName, status = 200): RouteResponse => ({ status, schema });

/** Every route of the machine API. */
export const ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/v1/health',
    access: 'anyone',
    summary: 'liveness',
    response: json('HealthView'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    access: 'anyone',
    summary: 'this API as an OpenAPI 3.1 document',
    response: { status: 200, media: 'application/json', about: 'an OpenAPI 3.1 document' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/docs',
    access: 'anyone',
    summary: 'this API as a readable page (no scripts, works offline)',
    response: { status: 200, media: 'text/html', about: 'the reference page' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/metrics',
    access: 'operator',
    summary: 'Prometheus metrics (also on --metrics-port without a token, when set)',
    response: { status: 200, media: 'text/plain; version=0.0.4', about: 'Prometheus text format' },
    errors: [],
  },
  {
    method: 'POST',
    path: '/v1/competitions',
    access: 'operator',
    summary: 'create a competition (window, scoring settings, program)',
    body: { schema: 'CreateCompetitionBody' },
    response: json('CompetitionView', 201),
    errors: ['unknown_model', 'unknown_dataset'],
  },
  {
    method: 'GET',
    path: '/v1/competitions',
    access: 'operator',
    summary: 'list competitions',
    response: json('CompetitionList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id',
    access: 'operator',
    summary: 'one competition',
    response: json('CompetitionView'),
    errors: [],
  },
  {
    method: 'PUT',
    path: '/v1/competitions/:id/program',
    access: 'operator',
    summary: 'store the program (JSON or YAML)',
    body: { schema: 'CompetitionProgram', yaml: true },
    response: json('ProgramView'),
    errors: ['program_ended', 'unknown_model', 'unknown_dataset'],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id/program',
    access: 'operator',
    summary: 'the program: phases, jobs made, what comes next',
    response: json('ProgramView'),
    errors: [],
  },
  {
    method: 'POST',
    path: '/v1/competitions/:id/program/pause',
    access: 'operator',
    summary: 'pause the program',
    response: json('ProgramView'),
    errors: ['program_ended'],
  },
  {
    method: 'POST',
    path: '/v1/competitions/:id/program/resume',
    access: 'operator',
    summary: 'resume the program',
    response: json('ProgramView'),
    errors: ['program_ended'],
  },
  {
    method: 'POST',
    path: '/v1/competitions/:id/program/end',
    access: 'operator',
    summary: 'end the program early',
    body: { schema: 'EndProgramBody', optional: true },
    response: json('ProgramView'),
    errors: ['program_ended'],
  },
  {
    method: 'POST',
    path: '/v1/competitions/:id/miners',
    access: 'operator',
    summary: "register a miner's public key for an owner",
    body: { schema: 'RegisterMinerBody' },
    response: json('MinerView', 201),
    errors: ['invalid_key', 'owner_limit', 'competition_full', 'conflict'],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id/miners',
    access: 'operator',
    summary: "a competition's miners",
    response: json('MinerList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/miners/:id',
    access: 'operator',
    summary: 'one miner',
    response: json('MinerView'),
    errors: [],
  },
  {
    method: 'POST',
    path: '/v1/competitions/:id/jobs',
    access: 'operator',
    summary: 'create a job and offer it',
    body: { schema: 'CreateJobBody' },
    response: json('JobView', 201),
    errors: ['unknown_model', 'unknown_dataset', 'outside_window'],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id/jobs',
    access: 'operator',
    summary: "a competition's jobs with their offers",
    response: json('JobList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/jobs/:id',
    access: 'operator',
    summary: 'one job with its offers',
    response: json('JobView'),
    errors: [],
  },
  {
    method: 'POST',
    path: '/v1/jobs/:id/cancel',
    access: 'operator',
    summary: 'cancel an offering or running job',
    response: json('JobView'),
    errors: ['conflict'],
  },
  {
    method: 'GET',
    path: '/v1/jobs/:id/submissions',
    access: 'operator',
    summary: 'the latest commit per miner',
    response: json('SubmissionList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/jobs/:id/commits',
    access: 'operator',
    summary: 'every commit, in order',
    response: json('CommitList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/models',
    access: 'operator',
    summary: 'base models the validator can offer',
    response: json('ModelList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/jobs/:id/results',
    access: 'operator',
    summary: "a job's evaluation, base losses, every submission's scores and verdicts",
    response: json('JobResultsView'),
    errors: [],
  },
  {
    method: 'POST',
    path: '/v1/jobs/:id/rescore',
    access: 'operator',
    summary: 're-score a job from stored facts (audited)',
    response: json('JobResultsView'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id/leaderboard',
    access: 'operator',
    summary: 'miners and owners ranked by the product of their qualities',
    response: json('LeaderboardView'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id/rules',
    access: 'operator',
    summary: 'every integrity rule with its setting and defaults',
    response: json('RuleList'),
    errors: [],
  },
  {
    method: 'PATCH',
    path: '/v1/competitions/:id/rules/:rule',
    access: 'operator',
    summary: 'switch a rule, change its action or parameters (audited)',
    body: { schema: 'PatchRuleBody' },
    response: json('RuleView'),
    errors: [],
  },
  {
    method: 'POST',
    path: '/v1/competitions/:id/rescore',
    access: 'operator',
    summary: 're-score every scored job of a competition (audited)',
    response: json('RescoredJobs'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/competitions/:id/audit',
    access: 'operator',
    summary: 'rule changes and re-scores: who, when, what',
    response: json('AuditList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/ws',
    access: 'anyone',
    summary: 'the miner WebSocket gateway (hello, challenge, auth, welcome; see docs/protocol-flow.md)',
    response: { status: 101, media: 'websocket', about: 'switching protocols' },
    errors: ['bad_request'],
    outsideApp: true,
  },
  {
    method: 'GET',
    path: '/v1/me/results',
    access: 'miner',
    summary: "the miner's own scored results",
    response: json('MinerResultList'),
    errors: [],
  },
  {
    method: 'GET',
    path: '/v1/jobs/:jobId/train',
    access: 'miner',
    summary: 'the train split, to miners that accepted the job, while it runs',
    response: {
      status: 200,
      media: 'application/x-ndjson',
      about: 'JSONL rows {prompt, answer}; x-content-sha256 names their hash',
    },
    errors: ['unknown_job', 'not_accepted', 'deadline_passed'],
  },
  {
    method: 'GET',
    path: '/v1/jobs/:jobId/base-model',
    access: 'miner',
    summary: 'the pinned base model as one bundle; same access rule as the train split',
    response: {
      status: 200,
      media: 'application/octet-stream',
      about: 'a bundle; x-content-sha256 names its hash',
    },
    errors: ['unknown_job', 'not_accepted', 'deadline_passed'],
  },
  {
    method: 'PUT',
    path: '/v1/artifacts/:sha256',
    access: 'miner',
    summary: 'upload a committed artifact (a bundle); the bytes must hash to the name',
    response: json('ArtifactReceipt', 201),
    errors: [
      'invalid_artifact_name',
      'artifact_not_committed',
      'deadline_passed',
      'artifact_too_large',
      'upload_quota_exceeded',
      'too_many_uploads',
      'upload_stalled',
      'hash_mismatch',
      'invalid_message',
    ],
    covers: ['/v1/artifacts/*'],
  },
];
