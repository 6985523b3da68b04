import { describe, expect, it } from '@jest/globals';
import { ConnectionSupervisor, type SupervisorOptions } from '../../src/channels/whatsapp/connection.js';
import { silentLogger } from '../../src/logger.js';
import { FakeSocket } from './fakes.js';
import { tick } from './setup.js';

function supervisor(over: Partial<SupervisorOptions> = {}) {
  const sockets: FakeSocket[] = [];
  let linked = true;
  let cleared = 0;
  const opens: FakeSocket[] = [];
  const sup = new ConnectionSupervisor({
    factory: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    logger: silentLogger,
    version: [2, 3000, 1043857760],
    reconnect: { baseMs: 1, maxMs: 4 },
    watchdogMs: 0,
    isLinked: () => linked,
    saveCreds: () => undefined,
    clearSession: () => {
      cleared++;
      linked = false;
    },
    bind: (sock) => {
      const fn = () => undefined;
      sock.ev.on('messages.upsert', fn);
      return [['messages.upsert', fn]];
    },
    onOpen: (s) => opens.push(s as FakeSocket),
    random: () => 0.5,
    ...over,
  });
  return { sup, sockets, opens, cleared: () => cleared, setLinked: (v: boolean) => (linked = v) };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('supervised connection', () => {
  it('connects, opens, and reconnects with growing, jittered delays on transient closes', async () => {
    const { sup, sockets } = supervisor({ reconnect: { baseMs: 10, maxMs: 1000 } });
    const states: string[] = [];
    sup.subscribe((s) => states.push(s.state));
    sup.start();
    sockets[0]!.open();
    expect(sup.status().state).toBe('open');
    sockets[0]!.close(428);
    expect(sup.status()).toMatchObject({ state: 'reconnecting', attempt: 1, lastDisconnect: { code: 428 } });
    await wait(15);
    expect(sockets).toHaveLength(2);
    sockets[1]!.close(408);
    expect(sup.status()).toMatchObject({ state: 'reconnecting', attempt: 2 });
    expect(Date.parse(sup.status().nextAt!) - Date.now()).toBeGreaterThan(12);
    await wait(25);
    sockets[2]!.close(undefined);
    expect(sup.status().attempt).toBe(3);
    await wait(45);
    sockets[3]!.open();
    expect(sup.status()).toMatchObject({ state: 'open', attempt: 0 });
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'reconnecting', 'open']);
    await sup.stop();
  });

  it('515 (restart required after pairing) reconnects at once', async () => {
    const { sup, sockets } = supervisor({ reconnect: { baseMs: 10_000, maxMs: 10_000 } });
    sup.start();
    sockets[0]!.close(515);
    await wait(2);
    expect(sockets).toHaveLength(2);
    await sup.stop();
  });

  it('440 (replaced) stops without a reconnect loop; an operator restart reconnects', async () => {
    const { sup, sockets } = supervisor();
    sup.start();
    sockets[0]!.open();
    sockets[0]!.close(440);
    await wait(10);
    expect(sockets).toHaveLength(1);
    expect(sup.status().state).toBe('replaced');
    sup.restart();
    expect(sockets).toHaveLength(2);
    await sup.stop();
  });

  it.each([
    [403, 'forbidden'],
    [411, 'multidevice_mismatch'],
  ])('%p stops (%s)', async (code, state) => {
    const { sup, sockets } = supervisor();
    sup.start();
    sockets[0]!.close(code);
    await wait(10);
    expect(sockets).toHaveLength(1);
    expect(sup.status().state).toBe(state);
  });

  it('401 (logged out) clears the session and shows a new QR', async () => {
    const { sup, sockets, cleared } = supervisor();
    sup.start();
    sockets[0]!.open();
    sockets[0]!.close(401);
    expect(cleared()).toBe(1);
    expect(sup.status().state).toBe('logged_out');
    await wait(2);
    sockets[1]!.ev.emit('connection.update', { qr: '2@abc,def' });
    expect(sup.status()).toMatchObject({ state: 'waiting_qr', qr: '2@abc,def', linked: false });
    await sup.stop();
  });

  it('405 refreshes the version in the background and reconnects with it', async () => {
    const { sup, sockets } = supervisor({ refreshVersion: async () => [2, 3000, 1099999999] });
    const versions: string[] = [];
    sup.start();
    sockets[0]!.close(405);
    await wait(10);
    versions.push(sup.status().version);
    expect(versions).toEqual(['2.3000.1099999999']);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    await sup.stop();
  });

  it('looks the version up in the background while running, and the next connection uses it', async () => {
    let lookups = 0;
    const { sup, sockets } = supervisor({
      refreshVersion: async () => {
        lookups++;
        return [2, 3000, 1100000000 + lookups];
      },
      versionRefreshMs: 20,
    });
    sup.start();
    // No look-up at start-up: the version comes from config.
    expect(lookups).toBe(0);
    sockets[0]!.open();
    await wait(50);
    expect(lookups).toBeGreaterThanOrEqual(1);
    expect(sup.status().version).toMatch(/^2\.3000\.11000000\d\d$/);
    await sup.stop();
    const after = lookups;
    await wait(50);
    expect(lookups).toBe(after); // stopped: no more look-ups
  });

  it('QR expired without a scan waits for an operator', async () => {
    const { sup, sockets, setLinked } = supervisor();
    setLinked(false);
    sup.start();
    sockets[0]!.ev.emit('connection.update', { qr: 'ref1' });
    sockets[0]!.close(408, 'QR refs attempts ended');
    await wait(10);
    expect(sup.status().state).toBe('qr_expired');
    expect(sockets).toHaveLength(1);
  });

  it('asks for a pairing code for WHATSAPP_PAIRING_NUMBER when the QR stage starts', async () => {
    const { sup, sockets, setLinked } = supervisor({ pairingNumber: '5511999990001' });
    setLinked(false);
    sup.start();
    sockets[0]!.ev.emit('connection.update', { qr: 'ref1' });
    await tick();
    expect(sockets[0]!.pairingCodes).toEqual(['5511999990001']);
    expect(sup.status().pairingCode).toBe('ABCD1234');
    await sup.stop();
  });

  it('the watchdog ends a socket stuck in "connecting"', async () => {
    const { sup, sockets } = supervisor({ watchdogMs: 20, reconnect: { baseMs: 1000, maxMs: 1000 } });
    sup.start();
    await wait(40);
    expect(sockets[0]!.ended).toBeGreaterThanOrEqual(1);
    expect(sup.status()).toMatchObject({ state: 'reconnecting', attempt: 1 });
    await sup.stop();
  });

  it('hundreds of reconnects: every old socket ended, its listeners removed, nothing accumulates', async () => {
    const { sup, sockets } = supervisor({ reconnect: { baseMs: 0, maxMs: 0 } });
    sup.start();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 400; i++) {
      const s = sockets.at(-1)!;
      if (i % 2) s.open();
      s.close(i % 3 ? 428 : 515);
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(sockets).toHaveLength(401);
    for (const old of sockets.slice(0, -1)) {
      expect(old.ended).toBeGreaterThanOrEqual(1);
      expect(old.totalListeners()).toBe(0);
    }
    expect(sockets.at(-1)!.totalListeners()).toBe(3); // connection.update, creds.update, messages.upsert
    expect(sup.listenerCount()).toBe(3);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 1024 * 1024);
    await sup.stop();
    expect(sockets.at(-1)!.totalListeners()).toBe(0);
  });
});
