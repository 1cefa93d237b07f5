// `createArenaClient({ baseUrl, token })`: one method per operator route, typed by the protocol's schemas.
// Each response is checked against its schema (`invalid_response` when it does not fit); each error body
// becomes an ApiError with the API's code. `request()` is the raw escape hatch: status and body, no checks.

import type { Static, TSchema } from '@sinclair/typebox';
import {
  AuditList,
  CommitList,
  type CompetitionList,
  CompetitionList as CompetitionListSchema,
  type CompetitionProgram,
  CompetitionView,
  type CreateCompetitionBody,
  type CreateJobBody,
  decodeBody,
  ErrorBody,
  HealthView,
  JobList,
  JobResultsView,
  JobView,
  LeaderboardView,
  MinerList,
  MinerView,
  ModelList,
  type PatchRuleBody,
  ProgramView,
  type RegisterMinerBody,
  RescoredJobs,
  RuleList,
  RuleView,
  SubmissionList,
} from '@tuning-arena/protocol';
import { ApiError } from './api-error.js';

/** Where the validator is and how to authenticate. */
export interface ArenaClientOptions {
  /** The validator's base URL, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** The operator bearer token (`ARENA_OPERATOR_TOKEN`). */
  token?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** A raw answer: the HTTP status and the parsed JSON body (undefined when it was not JSON). */
export interface RawResponse {
  status: number;
  body: unknown;
}

/** The typed operator client. */
export type ArenaClient = ReturnType<typeof createArenaClient>;

const enc = encodeURIComponent;

/** Creates a client; no request is made until a method is called. */
export function createArenaClient(options: ArenaClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request(method: string, path: string, body?: unknown): Promise<RawResponse> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ApiError('network_error', `${method} ${path}: ${(cause as Error).message}`, { cause });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  }

  async function call<S extends TSchema>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Static<S>> {
    const answer = await request(method, path, body);
    if (answer.status < 200 || answer.status >= 300) {
      const error = decodeBody(ErrorBody, answer.body);
      if (!error.ok) {
        throw new ApiError(
          'invalid_response',
          `${method} ${path}: HTTP ${answer.status} without an error body`,
          {
            status: answer.status,
          },
        );
      }
      const { code, message, issues } = error.value.error;
      throw new ApiError(code, `${method} ${path}: ${code}: ${message}`, {
        status: answer.status,
        issues: issues ?? [],
      });
    }
    const decoded = decodeBody(schema, answer.body);
    if (!decoded.ok) {
      throw new ApiError('invalid_response', `${method} ${path}: the answer does not fit its schema`, {
        status: answer.status,
        issues: decoded.error.issues,
      });
    }
    return decoded.value;
  }

  return {
    /** `METHOD path` with a JSON body; status and parsed body, never throws on a non-2xx status. */
    request,
    /** `GET /v1/health`. */
    health: () => call(HealthView, 'GET', '/v1/health'),
    competitions: {
      create: (body: CreateCompetitionBody) => call(CompetitionView, 'POST', '/v1/competitions', body),
      list: async (): Promise<CompetitionList['competitions']> =>
        (await call(CompetitionListSchema, 'GET', '/v1/competitions')).competitions,
      get: (id: string) => call(CompetitionView, 'GET', `/v1/competitions/${enc(id)}`),
      /** Miners and owners ranked by the product of their qualities. */
      leaderboard: (id: string) => call(LeaderboardView, 'GET', `/v1/competitions/${enc(id)}/leaderboard`),
      /** Re-scores every evaluated job from stored facts; resolves with the ids of the jobs re-scored. */
      rescore: async (id: string) =>
        (await call(RescoredJobs, 'POST', `/v1/competitions/${enc(id)}/rescore`, {})).jobs,
      /** Rule changes and re-scores, newest first. */
      audit: async (id: string) =>
        (await call(AuditList, 'GET', `/v1/competitions/${enc(id)}/audit`)).entries,
    },
    programs: {
      /** Where a competition's program stands: phases, jobs made, what comes next (404 `not_found` without one). */
      get: (competitionId: string) =>
        call(ProgramView, 'GET', `/v1/competitions/${enc(competitionId)}/program`),
      /** Stores or replaces the program (its secret seed is kept); 409 `program_ended` once it ended. */
      put: (competitionId: string, program: CompetitionProgram) =>
        call(ProgramView, 'PUT', `/v1/competitions/${enc(competitionId)}/program`, program),
      /** Makes no new job until resumed; running jobs go on. */
      pause: (competitionId: string) =>
        call(ProgramView, 'POST', `/v1/competitions/${enc(competitionId)}/program/pause`, {}),
      resume: (competitionId: string) =>
        call(ProgramView, 'POST', `/v1/competitions/${enc(competitionId)}/program/resume`, {}),
      /** Ends the program for good; manual jobs still work. */
      end: (competitionId: string, reason?: string) =>
        call(
          ProgramView,
          'POST',
          `/v1/competitions/${enc(competitionId)}/program/end`,
          reason === undefined ? {} : { reason },
        ),
    },
    miners: {
      register: (competitionId: string, body: RegisterMinerBody) =>
        call(MinerView, 'POST', `/v1/competitions/${enc(competitionId)}/miners`, body),
      list: async (competitionId: string) =>
        (await call(MinerList, 'GET', `/v1/competitions/${enc(competitionId)}/miners`)).miners,
      get: (id: string) => call(MinerView, 'GET', `/v1/miners/${enc(id)}`),
    },
    jobs: {
      create: (competitionId: string, body: CreateJobBody) =>
        call(JobView, 'POST', `/v1/competitions/${enc(competitionId)}/jobs`, body),
      list: async (competitionId: string) =>
        (await call(JobList, 'GET', `/v1/competitions/${enc(competitionId)}/jobs`)).jobs,
      get: (id: string) => call(JobView, 'GET', `/v1/jobs/${enc(id)}`),
      cancel: (id: string) => call(JobView, 'POST', `/v1/jobs/${enc(id)}/cancel`, {}),
      submissions: async (id: string) =>
        (await call(SubmissionList, 'GET', `/v1/jobs/${enc(id)}/submissions`)).submissions,
      commits: async (id: string) => (await call(CommitList, 'GET', `/v1/jobs/${enc(id)}/commits`)).commits,
      /** Where the evaluation stands, the base losses, every submission's report and the misses. */
      results: (id: string) => call(JobResultsView, 'GET', `/v1/jobs/${enc(id)}/results`),
      /** Re-scores one evaluated job from stored facts (409 `conflict` before it is evaluated). */
      rescore: (id: string) => call(JobResultsView, 'POST', `/v1/jobs/${enc(id)}/rescore`, {}),
    },
    rules: {
      /** Every integrity rule of a competition with its setting and defaults. */
      list: async (competitionId: string) =>
        (await call(RuleList, 'GET', `/v1/competitions/${enc(competitionId)}/rules`)).rules,
      /** Changes one rule (parameters merged over its current ones); resolves with its new setting. */
      set: (competitionId: string, ruleId: string, patch: PatchRuleBody) =>
        call(RuleView, 'PATCH', `/v1/competitions/${enc(competitionId)}/rules/${enc(ruleId)}`, patch),
    },
    models: {
      list: async () => (await call(ModelList, 'GET', '/v1/models')).models,
    },
  };
}
