import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBundle } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import {
  changedAdapter,
  entriesOf,
  fullFiles,
  loraFiles,
  tempDir,
  tinyModel,
  withFile,
  writeBundle,
} from './test-artifacts.js';
import { unpackArtifact } from './unpack-artifact.js';

describe('unpackArtifact', () => {
  it('streams a LoRA bundle into a private directory and removes it on dispose', async () => {
    await using tmp = await tempDir();
    const files = loraFiles(changedAdapter());
    const artifactPath = await writeBundle(tmp.path, files);
    const workDir = join(tmp.path, 'work');
    const unpacked = await unpackArtifact({ artifactPath, kind: 'lora', workDir });
    if (!unpacked.ok) throw new Error(unpacked.error.code);
    {
      await using artifact = unpacked.value;
      expect(artifact.files).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
      expect((await stat(artifact.dir)).mode & 0o777).toBe(0o700);
      for (const file of files) {
        expect(new Uint8Array(await readFile(join(artifact.dir, file.name)))).toEqual(file.data);
      }
      expect(artifact.bytes).toBe((await stat(artifactPath)).size);
    }
    expect(await entriesOf(workDir)).toEqual([]);
  });

  it('unpacks a full-weights bundle with its optional tokenizer', async () => {
    await using tmp = await tempDir();
    const artifactPath = await writeBundle(tmp.path, fullFiles(tinyModel()));
    const unpacked = await unpackArtifact({ artifactPath, kind: 'full', workDir: join(tmp.path, 'work') });
    expect(unpacked.ok && unpacked.value.files).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer.json',
    ]);
    if (unpacked.ok) await unpacked.value.remove();
  });

  const refusals: [string, (dir: string) => Promise<string>, 'lora' | 'full', string, object?][] = [
    ['the other kind’s files', (dir) => writeBundle(dir, fullFiles(tinyModel())), 'lora', 'unexpected_file'],
    [
      'an extra file',
      (dir) => writeBundle(dir, withFile(loraFiles(changedAdapter()), 'README.md', new Uint8Array(3))),
      'lora',
      'unexpected_file',
    ],
    [
      'too many files',
      (dir) => writeBundle(dir, withFile(fullFiles(tinyModel()), 'extra.bin', new Uint8Array(1))),
      'full',
      'too_many_files',
    ],
    [
      'a missing weights file',
      (dir) => writeBundle(dir, loraFiles(changedAdapter()).slice(0, 1)),
      'lora',
      'missing_file',
    ],
    [
      'a weights file above the limit',
      (dir) => writeBundle(dir, loraFiles(changedAdapter())),
      'lora',
      'file_too_large',
      { maxWeightsBytes: 100 },
    ],
    [
      'a config file above the limit',
      (dir) => writeBundle(dir, loraFiles(changedAdapter())),
      'lora',
      'file_too_large',
      { maxJsonBytes: 10 },
    ],
    [
      'a bundle above the limit',
      (dir) => writeBundle(dir, loraFiles(changedAdapter())),
      'lora',
      'bundle_too_large',
      { maxBundleBytes: 1000 },
    ],
    [
      'a file that is not a bundle',
      async (dir) => {
        await writeFile(join(dir, 'x'), 'not a bundle at all');
        return join(dir, 'x');
      },
      'lora',
      'bundle_invalid',
    ],
    [
      'a path in a file name',
      async (dir) => {
        const bytes = Buffer.from(
          encodeBundle([{ name: 'aaaaaaaaaaaaaaaaaaaaaaaaa.json', data: new Uint8Array(2) }]),
        );
        const path = join(dir, 'evil');
        await writeFile(
          path,
          Buffer.from(
            bytes
              .toString('latin1')
              .replace('aaaaaaaaaaaaaaaaaaaaaaaaa.json', '../../../../../../etc/xyz.json'),
            'latin1',
          ),
        );
        return path;
      },
      'lora',
      'unsafe_file_name',
    ],
    ['a missing artifact', async (dir) => join(dir, 'absent'), 'lora', 'bundle_invalid'],
  ];

  for (const [what, make, kind, code, limits] of refusals) {
    it(`refuses ${what} (${code}) and leaves nothing behind`, async () => {
      await using tmp = await tempDir();
      const artifactPath = await make(tmp.path);
      const workDir = join(tmp.path, 'work');
      const unpacked = await unpackArtifact({ artifactPath, kind, workDir, ...(limits && { limits }) });
      expect(unpacked.ok ? 'ok' : unpacked.error.code).toBe(code);
      expect(await entriesOf(workDir)).toEqual([]);
    });
  }
});
