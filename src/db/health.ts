import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { Db } from './database.js';
import { storageProblem, type StorageProblem } from './errors.js';
import { metrics } from '../metrics.js';

export type StorageState = 'ok' | StorageProblem | 'missing';

/** What the operator reads in the log when the database stops taking writes (pt-BR). */
const HINT: Record<Exclude<StorageState, 'ok'>, string> = {
  full: 'o disco está cheio: libere espaço (o bot volta a gravar sozinho, sem reiniciar)',
  readonly: 'o arquivo ou a pasta ficou somente leitura: corrija as permissões (o bot volta a gravar sozinho)',
  io: 'erro de disco: verifique o disco e os logs do sistema',
  busy: 'outro processo segura o banco há mais de 5 s: verifique se há uma importação ou backup longo',
  missing: 'o arquivo do banco (ou a pasta dele) foi apagado ou trocado enquanto o bot rodava: o que for gravado agora se perde ao reiniciar; restaure o arquivo ou um backup e reinicie',
};

/**
 * Whether the database can take writes, proved by writing: /readyz asks it (cached for a moment),
 * and the running bot asks it periodically so a problem is logged even without probes. Besides
 * the write, it checks that the file on disk is still the one it opened (a deleted folder goes
 * unnoticed by SQLite, which keeps writing to the unlinked file).
 */
export class StorageHealth {
  private readonly identity: { dev: number; ino: number } | undefined;
  private last: { state: StorageState; at: number } | undefined;
  private reported: StorageState = 'ok';

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
    private readonly cacheMs = 1000,
  ) {
    this.identity = db.file === ':memory:' ? undefined : statOf(db.file);
  }

  /** The current state; `fresh` skips the cache. */
  check(fresh = false): StorageState {
    const now = this.clock();
    if (!fresh && this.last && now - this.last.at < this.cacheMs) return this.last.state;
    const state = this.probe(now);
    this.last = { state, at: now };
    if (state !== this.reported) {
      if (state === 'ok') this.logger.warn({ database: this.db.file }, 'banco de dados gravando de novo');
      else {
        this.logger.error({ database: path.resolve(this.db.file), problem: state }, `banco de dados ${path.resolve(this.db.file)} não aceita gravações: ${HINT[state]}`);
        metrics.storageErrors.inc({ problem: state });
      }
      this.reported = state;
    }
    return state;
  }

  private probe(now: number): StorageState {
    if (this.identity) {
      const current = statOf(this.db.file);
      if (!current || current.ino !== this.identity.ino || current.dev !== this.identity.dev) return 'missing';
    }
    try {
      const at = new Date(now).toISOString();
      this.db.transaction(() => {
        this.db.run(this.db.kysely.insertInto('health_checks').values({ id: 1, at }).onConflict((oc) => oc.column('id').doUpdateSet({ at })));
      });
      return 'ok';
    } catch (err) {
      return storageProblem(err) ?? 'io';
    }
  }
}

function statOf(file: string): { dev: number; ino: number } | undefined {
  try {
    const s = fs.statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}
