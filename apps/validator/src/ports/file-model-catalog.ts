// A ModelCatalog over a directory of Hugging Face-style model dirs (`<modelsDir>/<id>/config.json`,
// `model.safetensors`, `tokenizer.json`). Bundles are built with `encodeBundle` and cached as files under
// `cacheDir`, keyed by the source files' size and mtime; concurrent resolves of one model share one build,
// and every cache write goes through its own temp file. It does not train, convert or download models.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countTensorElements, readSafetensorsHeader } from '@tuning-arena/engine';
import { encodeBundle, isSafeFileName } from '@tuning-arena/protocol';
import { ValidatorError } from '../errors.js';
import { newToken } from '../ids.js';
import type { ModelCatalog, ModelInfo, ResolvedModel } from './model-catalog.js';

/** The files of a model directory that make up its bundle. */
export const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

/** Options of the file-backed model catalog. */
interface FileModelCatalogOptions {
  modelsDir: string;
  cacheDir: string;
}

async function fingerprint(dir: string): Promise<string | undefined> {
  try {
    const stats = await Promise.all(MODEL_FILES.map((name) => stat(join(dir, name))));
    return stats.map((s) => `${s.size}:${s.mtimeMs}`).join('|');
  } catch {
    return undefined;
  }
}

function modelError(id: string, message: string, cause?: unknown): ValidatorError {
  return new ValidatorError('unknown_model', `model ${id}: ${message}`, { status: 400, cause });
}

async function build(id: string, dir: string, cacheDir: string): Promise<ResolvedModel> {
  const files = await Promise.all(
    MODEL_FILES.map(async (name) => ({ name, data: new Uint8Array(await readFile(join(dir, name))) })),
  );
  const [configFile, weightsFile] = files;
  if (!configFile || !weightsFile) throw modelError(id, 'lacks config.json or model.safetensors');
  let config: unknown;
  try {
    config = JSON.parse(Buffer.from(configFile.data).toString('utf8'));
  } catch (cause) {
    throw modelError(id, 'config.json is not valid JSON', cause);
  }
  const family = (config as { model_type?: unknown } | null)?.model_type;
  if (typeof family !== 'string' || family.length === 0) throw modelError(id, 'config.json lacks model_type');
  const header = await readSafetensorsHeader(join(dir, 'model.safetensors'));
  if (!header.ok)
    throw modelError(id, `model.safetensors: ${header.error.code} ${header.error.issues.join('; ')}`);
  const bundle = encodeBundle(files);
  const bundleSha256 = createHash('sha256').update(bundle).digest('hex');
  const path = join(cacheDir, `${bundleSha256}.bundle`);
  await mkdir(cacheDir, { recursive: true });
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    // A unique temp name: two builds (here or in another process) never rename each other's file.
    const temp = `${path}.${newToken()}.tmp`;
    try {
      await writeFile(temp, bundle);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  return {
    id,
    family,
    parameterCount: countTensorElements(header.value),
    weightsSha256: createHash('sha256').update(weightsFile.data).digest('hex'),
    bundleSha256,
    bundleBytes: bundle.byteLength,
    bundle: { kind: 'file', path },
  };
}

/** Creates a catalog that reads model directories from disk. */
export function createFileModelCatalog(options: FileModelCatalogOptions): ModelCatalog {
  const cache = new Map<string, { fingerprint: string; model: ResolvedModel }>();
  // Single flight: concurrent resolves of the same model and fingerprint wait for one build.
  const building = new Map<string, Promise<ResolvedModel>>();
  const resolve = async (id: string): Promise<ResolvedModel | undefined> => {
    if (!isSafeFileName(id)) return undefined;
    const dir = join(options.modelsDir, id);
    const print = await fingerprint(dir);
    if (print === undefined) return undefined;
    const hit = cache.get(id);
    if (hit?.fingerprint === print) return hit.model;
    const key = `${id}\u0000${print}`;
    let pending = building.get(key);
    if (!pending) {
      pending = build(id, dir, options.cacheDir).finally(() => building.delete(key));
      building.set(key, pending);
    }
    const model = await pending;
    cache.set(id, { fingerprint: print, model });
    return model;
  };
  return {
    resolve,
    list: async () => {
      const entries = await readdir(options.modelsDir, { withFileTypes: true }).catch(() => []);
      const models: ModelInfo[] = [];
      for (const entry of entries
        .filter((e) => e.isDirectory())
        .sort((a, b) => a.name.localeCompare(b.name))) {
        const model = await resolve(entry.name).catch(() => undefined);
        if (model) {
          const { bundle: _bundle, ...info } = model;
          models.push(info);
        }
      }
      return models;
    },
  };
}
