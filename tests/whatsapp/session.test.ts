import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { makeCacheableSignalKeyStore, proto } from '@whiskeysockets/baileys';
import { storedPnForLid, useSqliteAuthState } from '../../src/channels/whatsapp/auth-state.js';
import { InstanceLock, LockHeldError } from '../../src/channels/whatsapp/lock.js';
import { Db } from '../../src/db/database.js';
import { tempDir } from '../support/harness.js';

describe('auth state in SQLite', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = tempDir('wa-auth-');
    db = await Db.open(path.join(dir, 'bot.db'));
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates creds once and reloads the same ones (buffers included) after a restart', async () => {
    const a = useSqliteAuthState(db, 'default');
    expect(a.isLinked()).toBe(false);
    a.state.creds.me = { id: '5511900000000:3@s.whatsapp.net', name: 'Bot' };
    a.state.creds.account = { details: Buffer.from([1, 2, 3]) };
    a.saveCreds();
    await db.close();
    db = await Db.open(path.join(dir, 'bot.db'));
    const b = useSqliteAuthState(db, 'default');
    expect(b.isLinked()).toBe(true);
    expect(b.state.creds.me?.id).toBe('5511900000000:3@s.whatsapp.net');
    expect(Buffer.from(b.state.creds.noiseKey.private)).toEqual(Buffer.from(a.state.creds.noiseKey.private));
    expect(Buffer.isBuffer(b.state.creds.noiseKey.public)).toBe(true);
    expect(Buffer.from(b.state.creds.account!.details as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('stores every key type, null deletes, get returns only what exists', async () => {
    const { state } = useSqliteAuthState(db, 'default');
    await state.keys.set({
      'pre-key': { '1': { public: Buffer.from('pub'), private: Buffer.from('priv') } },
      session: { 'abc.0': Buffer.from('session-bytes') },
      'lid-mapping': { '5511988887777': '123456789012345', '123456789012345_reverse': '5511988887777' },
      'device-list': { '5511988887777': ['0', '12'] },
      tctoken: { '5511988887777@s.whatsapp.net': { token: Buffer.from('tok'), timestamp: '1700000000' } },
      'app-state-sync-key': { AAAA: { keyData: Buffer.from('kd'), timestamp: 5 } },
    });
    const pre = await state.keys.get('pre-key', ['1', '2']);
    expect(Object.keys(pre)).toEqual(['1']);
    expect(Buffer.from(pre['1']!.private)).toEqual(Buffer.from('priv'));
    expect(await state.keys.get('device-list', ['5511988887777'])).toEqual({ '5511988887777': ['0', '12'] });
    const tc = await state.keys.get('tctoken', ['5511988887777@s.whatsapp.net']);
    expect(Buffer.from(tc['5511988887777@s.whatsapp.net']!.token)).toEqual(Buffer.from('tok'));
    const appKey = (await state.keys.get('app-state-sync-key', ['AAAA'])).AAAA!;
    expect(appKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(storedPnForLid(db, 'default', '123456789012345')).toBe('5511988887777');

    await state.keys.set({ 'pre-key': { '1': null }, session: { 'abc.0': null } });
    expect(await state.keys.get('pre-key', ['1'])).toEqual({});
    expect(await state.keys.get('session', ['abc.0'])).toEqual({});
  });

  it('a set is one transaction: a failure leaves nothing half-written', async () => {
    const { state } = useSqliteAuthState(db, 'default');
    const bad = { toJSON() { throw new Error('boom'); } };
    await expect(async () =>
      state.keys.set({ 'pre-key': { '7': { public: Buffer.from('a'), private: Buffer.from('b') } }, session: { x: bad as never } }),
    ).rejects.toThrow('boom');
    expect(await state.keys.get('pre-key', ['7'])).toEqual({});
  });

  it('works behind Baileys\' cacheable key store, and clear() wipes the session for a new QR', async () => {
    const auth = useSqliteAuthState(db, 'default');
    const keys = makeCacheableSignalKeyStore(auth.state.keys);
    await keys.set({ session: { s1: Buffer.from('x') } });
    expect(Object.keys(await auth.state.keys.get('session', ['s1']))).toEqual(['s1']);
    auth.state.creds.account = { details: Buffer.from([1]) };
    auth.saveCreds();
    const oldNoise = Buffer.from(auth.state.creds.noiseKey.public);
    auth.clear();
    expect(auth.isLinked()).toBe(false);
    expect(Buffer.from(auth.state.creds.noiseKey.public)).not.toEqual(oldNoise);
    expect(await auth.state.keys.get('session', ['s1'])).toEqual({});
    expect(useSqliteAuthState(db, 'default').isLinked()).toBe(false);
  });

  it('keeps accounts apart', async () => {
    const a = useSqliteAuthState(db, 'a');
    const b = useSqliteAuthState(db, 'b');
    await a.state.keys.set({ session: { s: Buffer.from('a') } });
    expect(await b.state.keys.get('session', ['s'])).toEqual({});
  });
});

describe('one instance per number', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = tempDir('wa-lock-');
    db = await Db.open(path.join(dir, 'bot.db'));
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second holder with a clear message, and lets it in after release', () => {
    const first = new InstanceLock(db, 'default', { heartbeatMs: 1000, staleMs: 5000, isAlive: () => true });
    const second = new InstanceLock(db, 'default', { heartbeatMs: 1000, staleMs: 5000, isAlive: () => true });
    first.acquire();
    expect(() => second.acquire()).toThrow(LockHeldError);
    expect(() => second.acquire()).toThrow(/Outra instância do bot já usa a sessão do WhatsApp "default"/);
    expect(new InstanceLock(db, 'other', { heartbeatMs: 1000, staleMs: 5000 }).acquire()).toBeUndefined();
    first.release();
    second.acquire();
    expect(first.beat()).toBe(false);
    expect(second.beat()).toBe(true);
  });

  it('takes a stale lock over after the heartbeat timeout; the old holder learns it lost it', () => {
    let now = Date.parse('2026-11-28T12:00:00Z');
    const clock = () => now;
    const first = new InstanceLock(db, 'default', { heartbeatMs: 1000, staleMs: 5000, clock, isAlive: () => true });
    const second = new InstanceLock(db, 'default', { heartbeatMs: 1000, staleMs: 5000, clock, isAlive: () => true });
    first.acquire();
    now += 4000;
    expect(() => second.acquire()).toThrow(LockHeldError);
    expect(first.beat()).toBe(true);
    now += 6000; // first stopped beating (crash, kill -9)
    second.acquire();
    expect(first.beat()).toBe(false);
  });

  it('takes over at once when the holder pid on this host is gone', () => {
    const first = new InstanceLock(db, 'default', { heartbeatMs: 1000, staleMs: 60_000 });
    first.acquire();
    db.run(db.kysely.updateTable('whatsapp_locks').set({ pid: 999_999_999 }));
    const second = new InstanceLock(db, 'default', { heartbeatMs: 1000, staleMs: 60_000 });
    expect(() => second.acquire()).not.toThrow();
  });
});
