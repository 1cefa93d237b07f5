// The miner's ed25519 identity on disk: `miner-key.pem` (PKCS#8, mode 0600) and `miner-key.pub` (the wire
// public key the operator registers) in the data directory. It never sends or prints the private key.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateMinerKeyPair, publicKeyFromPrivatePem } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';

/** File name of the private key inside the data directory. */
export const PRIVATE_KEY_FILE = 'miner-key.pem';
/** File name of the public key inside the data directory. */
const PUBLIC_KEY_FILE = 'miner-key.pub';

/** A loaded identity: the wire public key and the PEM private key. */
export interface MinerIdentity {
  publicKey: string;
  privateKeyPem: string;
}

/** Generates a key pair into `dataDir`; refuses (code `key_exists`) to overwrite an existing key. */
export async function generateKeyFiles(dataDir: string): Promise<MinerIdentity> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pair = generateMinerKeyPair();
  try {
    await writeFile(join(dataDir, PRIVATE_KEY_FILE), pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new MinerError(
        'key_exists',
        `a key already exists in ${dataDir}; refusing to overwrite it`,
        cause,
      );
    }
    throw cause;
  }
  // The umask may have narrowed or the file may pre-date us; make the mode explicit.
  await chmod(join(dataDir, PRIVATE_KEY_FILE), 0o600);
  await writeFile(join(dataDir, PUBLIC_KEY_FILE), `${pair.publicKey}\n`);
  return { publicKey: pair.publicKey, privateKeyPem: pair.privateKeyPem };
}

/** Loads the identity from `dataDir`; throws MinerError `key_missing` when there is none. */
export async function loadIdentity(dataDir: string): Promise<MinerIdentity> {
  let privateKeyPem: string;
  try {
    privateKeyPem = await readFile(join(dataDir, PRIVATE_KEY_FILE), 'utf8');
  } catch (cause) {
    throw new MinerError(
      'key_missing',
      `no key in ${dataDir}: run \`tuning-arena-miner keygen\` first`,
      cause,
    );
  }
  try {
    return { publicKey: publicKeyFromPrivatePem(privateKeyPem), privateKeyPem };
  } catch (cause) {
    throw new MinerError('key_missing', `${PRIVATE_KEY_FILE} in ${dataDir} is not an ed25519 key`, cause);
  }
}
