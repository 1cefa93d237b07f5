// Bundles the console's browser script (TypeScript + uPlot) and stylesheet (ours + uPlot's) with esbuild
// into dist/console.js and dist/console.css, minified, with no CDN or network at run time, and writes
// dist/bundle-report.json with each file's size raw and gzipped. `pnpm build` runs it after `tsc -b`.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

async function bundle(entry, outName, extra = {}) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    minify: true,
    write: false,
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'warning',
    ...extra,
  });
  const file = result.outputFiles[0];
  // Written beside and renamed, so a validator reading the bundle never sees half a file.
  const temp = join(dist, `.${outName}.${process.pid}.tmp`);
  await writeFile(temp, file.contents);
  await rename(temp, join(dist, outName));
  return { file: outName, bytes: file.contents.byteLength, gzipBytes: gzipSync(file.contents).byteLength };
}

await mkdir(dist, { recursive: true });
const uplotCss = await readFile(join(root, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8');
const ownCss = await readFile(join(root, 'client/console.css'), 'utf8');
const report = [
  await bundle('client/console.ts', 'console.js', { format: 'iife' }),
  await bundle('client/console.css', 'console.css', {
    stdin: { contents: `${uplotCss}\n${ownCss}`, loader: 'css', resolveDir: root },
    entryPoints: undefined,
  }),
];
await writeFile(join(dist, 'bundle-report.json'), `${JSON.stringify(report, null, 2)}\n`);
for (const { file, bytes, gzipBytes } of report) console.log(`${file}: ${bytes} bytes, ${gzipBytes} gzipped`);
