import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';

/** AES-256 takes 32 bytes; the key is written as their standard base64 (what `openssl rand -base64 32` prints). */
export const SECRET_KEY_BYTES = 32;
/** The file a server without ENVDESK_SECRET_KEY keeps its key in, inside the data folder. */
export const SECRET_KEY_FILE = 'secret.key';

/** The key, or why the text is not one (without echoing the text: it is a secret). */
export function parseSecretKey(text: string): { key: Buffer } | { problem: string } {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from skips characters outside the alphabet; comparing back catches them and a short key.
  if (key.length !== SECRET_KEY_BYTES || key.toString('base64') !== trimmed) {
    return { problem: `must be ${SECRET_KEY_BYTES} random bytes in base64, 44 characters ending in "=" (make one with: openssl rand -base64 32)` };
  }
  return { key };
}

/** A short name for a key, stored beside each value so a wrong key is told apart from damaged data. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update('envdesk secret key id\0').update(key).digest('hex').slice(0, 16);
}

export interface LoadedSecretKey {
  readonly key: Buffer;
  /** Where it came from: the setting, a key file read, or a key file written by this start. */
  readonly source: 'ENVDESK_SECRET_KEY' | 'file' | 'new file';
  readonly file: string | null;
}

/**
 * The key that seals content environment variables: ENVDESK_SECRET_KEY when set, else the key file
 * in the data folder, created on the first start. An unreadable key file stops the start instead of
 * being replaced, since a new key would leave every stored value unreadable for good.
 */
export async function loadSecretKey({ configured, dataDir }: { configured: Buffer | undefined; dataDir: string }): Promise<LoadedSecretKey> {
  if (configured) return { key: configured, source: 'ENVDESK_SECRET_KEY', file: null };
  const file = path.join(dataDir, SECRET_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) return { key: existing, source: 'file', file };

  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  // Written whole to a private temporary file, then linked into place: a crash never leaves a
  // half-written key, and link (unlike rename) fails if another process got there first.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The mode given to open is narrowed by the umask only; chmod makes it exactly owner-only.
  await chmod(temporary, 0o600);
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another replica on the same data folder wrote its key first: that one is the key.
    const theirs = await readKeyFile(file);
    if (!theirs) throw new Error(`The key file ${file} appeared while this start was creating it but cannot be read.`, { cause: error });
    return { key: theirs, source: 'file', file };
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return { key, source: 'new file', file };
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`The key file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseSecretKey(text);
  if ('problem' in parsed) {
    throw new Error(
      `The key file ${file} is damaged: it ${parsed.problem}. envdesk will not replace it, because content environment variables ` +
        'were encrypted with it; restore it from the backup taken with the database (or remove it only if no variables are stored).',
    );
  }
  return parsed.key;
}
