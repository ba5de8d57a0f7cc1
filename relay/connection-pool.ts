/**
 * Reuses a connection for the next request with the very same settings for a few seconds, because an
 * SSH or TLS login costs far more than a small object's transfer (about 1 s per SFTP login here). The
 * key is a hash of the complete settings, secret included, so a changed password never reuses a
 * session. Idle connections close after `idleMs`; 0 turns reuse off (every request logs in afresh).
 * Nothing but the open session is kept; no object data outlives its request.
 */
import { createHash } from 'node:crypto';
import type { RelayConnection } from './protocol';
import type { OpenedRemote, RemoteFileSystem } from './remote-fs';

interface Idle {
  fs: RemoteFileSystem;
  timer: NodeJS.Timeout;
}

export interface Lease {
  fs: RemoteFileSystem;
  /** Give the connection back: `reusable` false (after a broken transfer, a timeout…) closes it. */
  release(reusable: boolean): Promise<void>;
}

export class ConnectionPool {
  private readonly idle = new Map<string, Idle[]>();

  constructor(
    private readonly open: (connection: RelayConnection) => Promise<OpenedRemote>,
    private readonly idleMs: number,
    private readonly maxIdlePerKey = 4,
  ) {}

  async acquire(connection: RelayConnection): Promise<Lease> {
    const key = createHash('sha256').update(JSON.stringify(connection)).digest('hex');
    const list = this.idle.get(key) ?? [];
    while (list.length > 0) {
      const candidate = list.pop() as Idle;
      clearTimeout(candidate.timer);
      if (candidate.fs.isAlive()) return this.lease(key, candidate.fs);
      await candidate.fs.close().catch(() => undefined);
    }
    const { fs } = await this.open(connection);
    return this.lease(key, fs);
  }

  /** Closes every idle connection (shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    for (const entry of all) {
      clearTimeout(entry.timer);
      await entry.fs.close().catch(() => undefined);
    }
  }

  get idleCount(): number {
    return [...this.idle.values()].reduce((sum, list) => sum + list.length, 0);
  }

  private lease(key: string, fs: RemoteFileSystem): Lease {
    let released = false;
    return {
      fs,
      release: async (reusable) => {
        if (released) return;
        released = true;
        const list = this.idle.get(key) ?? [];
        if (!reusable || this.idleMs <= 0 || !fs.isAlive() || list.length >= this.maxIdlePerKey) {
          await fs.close().catch(() => undefined);
          return;
        }
        const entry: Idle = {
          fs,
          timer: setTimeout(() => {
            const current = this.idle.get(key) ?? [];
            const index = current.indexOf(entry);
            if (index >= 0) current.splice(index, 1);
            if (current.length === 0) this.idle.delete(key);
            void fs.close().catch(() => undefined);
          }, this.idleMs),
        };
        entry.timer.unref();
        list.push(entry);
        this.idle.set(key, list);
      },
    };
  }
}
