// Registers and starts the demo's miners: a key pair per miner, registration under its owner, and a real
// miner daemon over a real WebSocket with the honest engine trainer or its red-team trainer. Every miner
// accepts every job it has a slot for, so all strategies meet in every job.

import { join } from 'node:path';
import type { ArenaClient } from '@tuning-arena/client';
import {
  createDefaultAcceptPolicy,
  createEngineTrainer,
  createMiner,
  createRedTeamTrainer,
  generateKeyFiles,
  type Miner,
  silentLogger,
  type Trainer,
} from '@tuning-arena/miner';
import { DemoError } from './errors.js';
import type { DemoPlaces, Participant } from './participants.js';

/** A started demo miner. */
export interface DemoMiner {
  participant: Participant;
  minerId: string;
  miner: Miner;
}

/** The demo's folders for red-team options, under `workDir`. */
export function demoPlaces(workDir: string, impostorModelDir: string, validatorDataDir: string): DemoPlaces {
  return {
    impostorModelDir,
    validatorDataDir,
    minerDir: (name) => join(workDir, 'miners', name),
    sharedDir: (owner) => join(workDir, 'shared', owner),
  };
}

function trainerOf(participant: Participant, places: DemoPlaces): Trainer {
  if (participant.honest) return createEngineTrainer(participant.engine);
  const made = createRedTeamTrainer(participant.strategy, participant.red(places));
  if (!made.ok) throw new DemoError('invalid_participant', `${participant.name}: ${made.error.message}`);
  return made.value;
}

/** Registers every participant with the competition and starts its miner. */
export async function startMiners(
  op: ArenaClient,
  competitionId: string,
  url: string,
  participants: readonly Participant[],
  places: DemoPlaces,
): Promise<DemoMiner[]> {
  const started: DemoMiner[] = [];
  for (const participant of participants) {
    const dataDir = places.minerDir(participant.name);
    const identity = await generateKeyFiles(dataDir);
    const view = await op.miners.register(competitionId, {
      publicKey: identity.publicKey,
      owner: participant.owner,
      displayName: participant.name,
    });
    const capacity = participant.capacity ?? 3;
    const miner = createMiner({
      validatorUrl: url,
      dataDir,
      trainer: trainerOf(participant, places),
      capacity,
      acceptPolicy: createDefaultAcceptPolicy({ minTimeLimitSeconds: 5 }),
      log: silentLogger,
    });
    await miner.start();
    started.push({ participant, minerId: view.id, miner });
  }
  return started;
}
