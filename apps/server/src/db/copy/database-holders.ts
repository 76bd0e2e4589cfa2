import { readdir, readlink, realpath } from 'node:fs/promises';

/**
 * The other processes that have `file` open (its WAL and shared-memory files count too), found in
 * /proc. Node cannot take the file lock SQLite would need for this question, and a copy made while
 * a server still writes would lose what it writes afterwards. `null` where /proc does not exist
 * (not Linux): the caller then cannot know, and says so.
 */
export async function processesHolding(file: string, proc = '/proc'): Promise<number[] | null> {
  let entries: string[];
  try {
    entries = await readdir(proc);
  } catch {
    return null;
  }
  const target = await realpath(file).catch(() => file);
  const wanted = new Set([target, `${target}-wal`, `${target}-shm`]);
  const holders: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const descriptors = await readdir(`${proc}/${entry}/fd`).catch(() => [] as string[]);
    for (const descriptor of descriptors) {
      const opened = await readlink(`${proc}/${entry}/fd/${descriptor}`).catch(() => null);
      if (opened !== null && wanted.has(opened)) {
        holders.push(pid);
        break;
      }
    }
  }
  return holders;
}
