// The on-disk cache of base models: one HF-style directory per model plus an `arena-base.json` manifest
// recording its sha256 (of model.safetensors), corpus and held-out loss. Reading verifies the pin.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES } from '@tuning-arena/engine';
import { sha256Hex } from '@tuning-arena/protocol';
import { ModelError } from './errors.js';
import { defaultModelsDir } from './models-dir.js';

/** Manifest file written beside each base model's HF files. */
export const BASE_MANIFEST = 'arena-base.json';

/** What is known about a pretrained base model. */
export interface BaseModelInfo {
  readonly name: string;
  readonly params: number;
  /** Hex sha256 of model.safetensors: the model's pin. */
  readonly sha256: string;
  /** Corpora it was pretrained on, joined with '+'. */
  readonly corpus: string;
  /** Mean nats per byte on the held-out corpus text. */
  readonly heldOutLoss: number;
  /** The same for the untrained (random-init) model, for comparison. */
  readonly randomInitLoss: number;
  readonly preset: string;
  readonly seed: number;
  readonly steps: number;
  readonly tokensSeen: number;
  readonly trainSeconds: number;
  /** Absolute directory holding config.json, model.safetensors, tokenizer.json. */
  readonly dir: string;
}

/** Hex sha256 of a model directory's weights file. */
export async function hashWeights(dir: string): Promise<string> {
  return sha256Hex(await readFile(join(dir, MODEL_FILES.weights)));
}

async function readManifest(dir: string): Promise<Omit<BaseModelInfo, 'dir'> | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, BASE_MANIFEST), 'utf8')) as Omit<BaseModelInfo, 'dir'>;
  } catch {
    return undefined;
  }
}

/** Finds a cached base model; undefined when absent; ModelError('invalid_model') when its weights changed. */
export async function locateBaseModel(
  name: string,
  modelsDir = defaultModelsDir(),
): Promise<BaseModelInfo | undefined> {
  const dir = join(modelsDir, name);
  const manifest = await readManifest(dir);
  if (manifest === undefined) return undefined;
  const actual = await hashWeights(dir).catch(() => undefined);
  if (actual !== manifest.sha256) {
    throw new ModelError(
      'invalid_model',
      `${dir}: weights do not match the pinned sha256 ${manifest.sha256}`,
    );
  }
  return { ...manifest, dir };
}

/** Lists every cached base model (verified), sorted by name. */
export async function listBaseModels(modelsDir = defaultModelsDir()): Promise<BaseModelInfo[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const found: BaseModelInfo[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const info = await locateBaseModel(entry.name, modelsDir);
    if (info !== undefined) found.push(info);
  }
  return found;
}
