/**
 * A Linux memory cgroup for the benchmark's backup process.
 *
 * Forge runs a function in a small VM with `memoryMB` of memory, and Node sizes its V8 heap from the memory it is
 * given (`process.constrainedMemory()`). On a 24 GB build machine Node instead allows a 4 GB heap and lets garbage pile
 * up far past what the backup really keeps alive, so the RSS measured there says little about the function. Starting
 * the backup process inside a cgroup with the memory limit makes Node size its heap as it would in that VM, and makes
 * the kernel kill the process (OOM) if it ever needs more: finishing inside the cgroup is the proof it fits.
 *
 * Needs root and a writable cgroup file system (v2, or v1's memory controller); without them the caller runs the
 * process unlimited and says so.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemoryCgroup {
  limitMb: number;
  /** Write a pid here to move that process into the cgroup (children it starts afterwards stay in it). */
  procsFile: string;
  /** How many processes the kernel killed in this cgroup for going over the limit. */
  oomKills(): number;
  /** Removes the cgroup; call once no process is left in it. */
  remove(): void;
}

interface Layout {
  dir: string;
  limitFile: string;
  eventsFile: string;
}

const ROOTS: ((name: string) => Layout)[] = [
  // cgroup v2 (unified hierarchy mounted on /sys/fs/cgroup)
  (name) => ({ dir: join('/sys/fs/cgroup', name), limitFile: 'memory.max', eventsFile: 'memory.events' }),
  // cgroup v1, memory controller
  (name) => ({ dir: join('/sys/fs/cgroup/memory', name), limitFile: 'memory.limit_in_bytes', eventsFile: 'memory.oom_control' }),
];

export function createMemoryCgroup(limitMb: number): MemoryCgroup | { unavailable: string } {
  if (process.platform !== 'linux') return { unavailable: 'memory cgroups exist only on Linux' };
  const name = `backup-bench-${process.pid}`;
  const reasons: string[] = [];
  for (const root of ROOTS) {
    const layout = root(name);
    try {
      mkdirSync(layout.dir);
    } catch (error) {
      reasons.push(`${layout.dir}: ${(error as Error).message}`);
      continue;
    }
    try {
      if (!existsSync(join(layout.dir, layout.limitFile))) throw new Error(`no ${layout.limitFile} (memory controller not enabled there)`);
      writeFileSync(join(layout.dir, layout.limitFile), String(limitMb * 1024 * 1024));
      return {
        limitMb,
        procsFile: join(layout.dir, 'cgroup.procs'),
        oomKills: () => Number(/oom_kill (\d+)/.exec(readFileSync(join(layout.dir, layout.eventsFile), 'utf8'))?.[1] ?? 0),
        remove: () => rmdirSync(layout.dir),
      };
    } catch (error) {
      reasons.push(`${layout.dir}: ${(error as Error).message}`);
      rmdirSync(layout.dir);
    }
  }
  return { unavailable: reasons.join('; ') };
}
