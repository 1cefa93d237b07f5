// Operator actions on competitions and miners: create and list competitions (with their window and, if
// given, their program), register miners (canonical keys only) under the competition's owner and size
// limits, and show miners with their live connection state.
// Owners are limited by their normalised key (owner-key.ts); the spelling given is stored and shown.

import {
  type CompetitionView,
  type CreateCompetitionBody,
  type MinerView,
  parseMinerKey,
  type RegisterMinerBody,
} from '@tuning-arena/protocol';
import type { CompetitionRow, CompetitionsRepo } from '../db/competitions-repo.js';
import type { MinerRow, MinersRepo } from '../db/miners-repo.js';
import type { OffersRepo } from '../db/offers-repo.js';
import type { ProgramsRepo } from '../db/programs-repo.js';
import { ValidatorError } from '../errors.js';
import type { SessionRegistry } from '../gateway/session-registry.js';
import { newId } from '../ids.js';
import { ownerKey } from '../owner-key.js';
import { newProgramRow } from '../program/new-program.js';
import type { ProgramValidator } from '../program/validate-program.js';
import { windowOf } from '../scheduler/windows.js';
import { competitionView, minerView } from './views.js';

/** Defaults of a new competition (the rules of DESIGN.md). */
const COMPETITION_DEFAULTS = {
  maxMiners: 20,
  maxMinersPerOwner: 5,
  weightTest: 0.5,
  tau: 0.1,
  missFactor: 0.5,
} as const;

/** What the competition service needs. */
interface CompetitionServiceDeps {
  competitions: CompetitionsRepo;
  miners: MinersRepo;
  offers: OffersRepo;
  programs: Pick<ProgramsRepo, 'get' | 'statuses'>;
  registry: SessionRegistry;
  validateProgram: ProgramValidator;
  /** Told about a stored competition: arms its window and steps its program. */
  created(row: CompetitionRow, program: boolean): Promise<void>;
  now: () => number;
}

/** The window of a new competition, or the issue with it. */
function windowRows(body: CreateCompetitionBody, now: number): Pick<CompetitionRow, 'starts_at' | 'ends_at'> {
  const startsAt = body.startsAt === undefined ? now : Date.parse(body.startsAt);
  const endsAt = body.endsAt === undefined ? null : Date.parse(body.endsAt);
  const refuse = (message: string) =>
    new ValidatorError('invalid_body', message, { issues: [{ path: '/endsAt', message }] });
  if (endsAt !== null && endsAt <= startsAt) throw refuse('endsAt must be after startsAt');
  if (endsAt !== null && endsAt <= now) throw refuse('endsAt is already past');
  return {
    starts_at: new Date(startsAt).toISOString(),
    ends_at: endsAt === null ? null : new Date(endsAt).toISOString(),
  };
}

/** Competitions and miner registration. */
export interface CompetitionService {
  create(body: CreateCompetitionBody): Promise<CompetitionView>;
  list(): Promise<CompetitionView[]>;
  /** One competition; throws `not_found`. */
  get(id: string): Promise<CompetitionView>;
  /** The competition row; throws `not_found`. */
  require(id: string): Promise<CompetitionRow>;
  registerMiner(competitionId: string, body: RegisterMinerBody): Promise<MinerView>;
  listMiners(competitionId: string): Promise<MinerView[]>;
  getMiner(minerId: string): Promise<MinerView>;
}

/** Creates the competition service. */
export function createCompetitionService(deps: CompetitionServiceDeps): CompetitionService {
  const { competitions, miners, offers, registry } = deps;

  const require = async (id: string) => {
    const row = await competitions.get(id);
    if (!row) throw new ValidatorError('not_found', `competition ${id} not found`, { status: 404 });
    return row;
  };
  const views = async (competitionId: string, rows: MinerRow[]) => {
    const load = await offers.loadByMiner(competitionId);
    return rows.map((row) =>
      minerView(row, {
        connected: registry.get(row.id) !== undefined,
        activeJobs: load.get(row.id)?.active ?? 0,
      }),
    );
  };

  return {
    create: async (body) => {
      const window = windowRows(body, deps.now());
      const row: CompetitionRow = {
        id: newId('cmp'),
        name: body.name,
        max_miners: body.maxMiners ?? COMPETITION_DEFAULTS.maxMiners,
        max_miners_per_owner: body.maxMinersPerOwner ?? COMPETITION_DEFAULTS.maxMinersPerOwner,
        weight_test: body.weightTest ?? COMPETITION_DEFAULTS.weightTest,
        tau: body.tau ?? COMPETITION_DEFAULTS.tau,
        miss_factor: body.missFactor ?? COMPETITION_DEFAULTS.missFactor,
        ...window,
        created_at: new Date(deps.now()).toISOString(),
      };
      const { program } = body;
      if (program) await deps.validateProgram(program, windowOf(row), '/program');
      // The competition and its program are stored together: a crash leaves both or neither.
      await competitions.insert(row, program && newProgramRow(row.id, program, deps.now()));
      await deps.created(row, program !== undefined);
      return competitionView(row, program ? 'active' : null);
    },
    list: async () => {
      const statuses = await deps.programs.statuses();
      return (await competitions.list()).map((row) => competitionView(row, statuses.get(row.id) ?? null));
    },
    get: async (id) => {
      const row = await require(id);
      return competitionView(row, (await deps.programs.get(id))?.status ?? null);
    },
    require,
    registerMiner: async (competitionId, body) => {
      // One key, one spelling: non-canonical encodings and non-points would let one private key register
      // several times (and nothing is stored for a key that fails).
      const key = parseMinerKey(body.publicKey);
      if (!key.ok) {
        throw new ValidatorError('invalid_key', key.error.message, {
          issues: [{ path: '/publicKey', message: key.error.message }],
        });
      }
      const owner = ownerKey(body.owner);
      if (owner === '') {
        throw new ValidatorError('invalid_body', 'owner has no visible characters', {
          issues: [{ path: '/owner', message: 'owner has no visible characters' }],
        });
      }
      const competition = await require(competitionId);
      const row: MinerRow = {
        id: newId('mnr'),
        competition_id: competitionId,
        public_key: body.publicKey,
        owner: body.owner,
        owner_key: owner,
        display_name: body.displayName,
        capacity: 1,
        software: null,
        last_seen_at: null,
        created_at: new Date(deps.now()).toISOString(),
      };
      const outcome = await miners.register(row, {
        maxMiners: competition.max_miners,
        maxPerOwner: competition.max_miners_per_owner,
      });
      if (outcome === 'conflict') {
        throw new ValidatorError('conflict', 'this public key is already registered', { status: 409 });
      }
      if (outcome === 'owner_limit') {
        throw new ValidatorError(
          'owner_limit',
          `owner already has ${competition.max_miners_per_owner} miners`,
          {
            status: 409,
          },
        );
      }
      if (outcome === 'competition_full') {
        throw new ValidatorError(
          'competition_full',
          `competition already has ${competition.max_miners} miners`,
          {
            status: 409,
          },
        );
      }
      // A new miner has no offers yet; skip the competition-wide load query (it matters at 10,000 miners).
      return minerView(row, { connected: registry.get(row.id) !== undefined, activeJobs: 0 });
    },
    listMiners: async (competitionId) => {
      await require(competitionId);
      return views(competitionId, await miners.listByCompetition(competitionId));
    },
    getMiner: async (minerId) => {
      const row = await miners.get(minerId);
      const [view] = row ? await views(row.competition_id, [row]) : [];
      if (!view) throw new ValidatorError('not_found', `miner ${minerId} not found`, { status: 404 });
      return view;
    },
  };
}
