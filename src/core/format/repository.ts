/**
 * The repository's self-description: `config.json` (format, version, hash) and `README.txt`. Written once, on
 * the first backup; checked before every write so the app never writes into a folder it cannot read back.
 */
import type { BackupStore } from '../../ports/backup-store';
import { canonicalJson } from './canonical-json';
import { DEFAULT_CHUNK_BYTES, FORMAT_NAME, FORMAT_VERSION, HASH_ALGORITHM } from './constants';
import { FormatError } from './errors';
import { fromUtf8, utf8 } from './gzip';
import { sha256Hex } from './hashing';
import { CONFIG_PATH, README_PATH } from './layout';
import { getExisting } from './object-io';
import { REPOSITORY_README } from './readme-text';
import type { RepositoryConfig } from './types';

export function defaultRepositoryConfig(): RepositoryConfig {
  return { format: FORMAT_NAME, formatVersion: FORMAT_VERSION, hashAlgorithm: HASH_ALGORITHM, compression: 'gzip', chunkBytes: DEFAULT_CHUNK_BYTES };
}

/** Creates config.json and README.txt when absent; otherwise checks the existing config. Safe to call every run. */
export async function initRepository(store: BackupStore): Promise<RepositoryConfig> {
  if (await store.stat(CONFIG_PATH)) return readRepositoryConfig(store);
  if (!(await store.stat(README_PATH))) {
    const readme = utf8(REPOSITORY_README);
    await store.put(README_PATH, readme, sha256Hex(readme));
  }
  const config = defaultRepositoryConfig();
  // Pretty-printed for people; nothing hashes config.json, it is the one file that is never content-addressed.
  const bytes = utf8(`${JSON.stringify(JSON.parse(canonicalJson(config)), null, 2)}\n`);
  await store.put(CONFIG_PATH, bytes, sha256Hex(bytes));
  return config;
}

/** The repository's config, or a clear error when the folder is not (or not yet readable as) a repository. */
export async function readRepositoryConfig(store: BackupStore): Promise<RepositoryConfig> {
  const text = fromUtf8(await getExisting(store, CONFIG_PATH, 'repository configuration'));
  let config: RepositoryConfig;
  try {
    config = JSON.parse(text) as RepositoryConfig;
  } catch {
    throw new FormatError('corrupt', `${CONFIG_PATH} in ${store.properties.description} is not JSON.`, CONFIG_PATH);
  }
  if (config?.format !== FORMAT_NAME) {
    throw new FormatError(
      'incompatible',
      `${store.properties.description} holds a ${CONFIG_PATH} of "${String(config?.format)}", not a ${FORMAT_NAME} repository. Choose an empty folder for backups.`,
      CONFIG_PATH,
    );
  }
  if (!Number.isInteger(config.formatVersion) || config.formatVersion > FORMAT_VERSION) {
    throw new FormatError(
      'incompatible',
      `The repository in ${store.properties.description} uses format version ${config.formatVersion}; this app reads up to ${FORMAT_VERSION}. Update the app.`,
      CONFIG_PATH,
    );
  }
  if (config.hashAlgorithm !== HASH_ALGORITHM) {
    throw new FormatError('incompatible', `The repository uses hash "${config.hashAlgorithm}"; this app supports ${HASH_ALGORITHM}.`, CONFIG_PATH);
  }
  return config;
}
