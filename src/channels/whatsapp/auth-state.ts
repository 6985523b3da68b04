import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Db } from '../../db/database.js';

const CREDS = 'creds';
const CHUNK = 500;

export interface SqliteAuthState {
  state: AuthenticationState;
  /** Persists the whole creds object (Baileys has already merged the partial update into it). */
  saveCreds(): void;
  /** Deletes the session (after a logout) and starts from fresh creds in memory. */
  clear(): void;
  /** True once the number is linked (creds.account is set on pair-success; `registered` is not reliable). */
  isLinked(): boolean;
}

const encode = (value: unknown) => JSON.stringify(value, BufferJSON.replacer);
const decode = (text: string): unknown => JSON.parse(text, BufferJSON.reviver);

/**
 * Baileys' auth state in SQLite: creds and every signal key (pre-key, session, sender-key,
 * app-state-sync-key/version, lid-mapping, device-list, tctoken, identity-key...) one row each,
 * BufferJSON text, written in one transaction per `set`, where `null` deletes.
 */
export function useSqliteAuthState(db: Db, account: string): SqliteAuthState {
  const readCreds = (): AuthenticationCreds | undefined => {
    const row = db.first(db.kysely.selectFrom('whatsapp_auth').select('value').where('account', '=', account).where('type', '=', CREDS).where('id', '=', ''));
    return row ? (decode(row.value) as AuthenticationCreds) : undefined;
  };
  const writeCreds = (creds: AuthenticationCreds) => {
    db.run(
      db.kysely
        .insertInto('whatsapp_auth')
        .values({ account, type: CREDS, id: '', value: encode(creds) })
        .onConflict((oc) => oc.columns(['account', 'type', 'id']).doUpdateSet({ value: encode(creds) })),
    );
  };

  const keys: SignalKeyStore = {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = db.all(
          db.kysely
            .selectFrom('whatsapp_auth')
            .select(['id', 'value'])
            .where('account', '=', account)
            .where('type', '=', type)
            .where('id', 'in', ids.slice(i, i + CHUNK)),
        );
        for (const row of rows) {
          let value = decode(row.value);
          if (type === 'app-state-sync-key' && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
          }
          out[row.id] = value as SignalDataTypeMap[T];
        }
      }
      return out;
    },
    set(data: SignalDataSet) {
      db.transaction(() => {
        for (const type of Object.keys(data) as Array<keyof SignalDataTypeMap>) {
          const entries = data[type];
          if (!entries) continue;
          for (const [id, value] of Object.entries(entries)) {
            if (value === null || value === undefined) {
              db.run(db.kysely.deleteFrom('whatsapp_auth').where('account', '=', account).where('type', '=', type).where('id', '=', id));
            } else {
              const text = encode(value);
              db.run(
                db.kysely
                  .insertInto('whatsapp_auth')
                  .values({ account, type, id, value: text })
                  .onConflict((oc) => oc.columns(['account', 'type', 'id']).doUpdateSet({ value: text })),
              );
            }
          }
        }
      });
    },
    clear() {
      db.run(db.kysely.deleteFrom('whatsapp_auth').where('account', '=', account).where('type', '!=', CREDS));
    },
  };

  let creds = readCreds();
  if (!creds) {
    creds = initAuthCreds();
    writeCreds(creds);
  }
  const state: AuthenticationState = { creds, keys };

  return {
    state,
    saveCreds: () => writeCreds(state.creds),
    clear: () => {
      db.run(db.kysely.deleteFrom('whatsapp_auth').where('account', '=', account));
      state.creds = initAuthCreds();
      writeCreds(state.creds);
    },
    isLinked: () => !!state.creds.account,
  };
}

/** Reads one stored `lid-mapping` row without a socket: "<lidUser>_reverse" → pn user. */
export function storedPnForLid(db: Db, account: string, lidUser: string): string | null {
  const row = db.first(
    db.kysely
      .selectFrom('whatsapp_auth')
      .select('value')
      .where('account', '=', account)
      .where('type', '=', 'lid-mapping')
      .where('id', '=', `${lidUser}_reverse`),
  );
  return row ? (decode(row.value) as string) : null;
}
