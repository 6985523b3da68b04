import type { BaileysEventEmitter, BaileysEventMap, ConnectionState, WAVersion } from '@whiskeysockets/baileys';
import type { Logger } from '../../logger.js';
import { backoffDelay, closeAction, statusCodeOf, type CloseAction } from './policy.js';

/** What the channel needs from a Baileys socket: a real WASocket fits, and so does a test fake. */
export interface SocketLike {
  ev: BaileysEventEmitter;
  user?: { id: string; lid?: string; name?: string } | undefined;
  end(error: Error | undefined): unknown;
  sendMessage(jid: string, content: { text: string }, options?: { messageId?: string }): Promise<{ key: { id?: string | null } } | undefined>;
  readMessages(keys: Array<{ remoteJid?: string | null; id?: string | null; participant?: string | null; fromMe?: boolean | null }>): Promise<unknown>;
  sendPresenceUpdate(type: 'composing' | 'paused' | 'available' | 'unavailable' | 'recording', jid?: string): Promise<unknown>;
  requestPairingCode?(phoneNumber: string): Promise<string>;
  signalRepository?: { lidMapping?: { getPNForLID(lid: string): Promise<string | null> } };
}

export interface SocketFactoryOptions {
  version: WAVersion;
}
export type SocketFactory = (o: SocketFactoryOptions) => SocketLike;

export type ConnectionStateName =
  | 'stopped'
  | 'connecting'
  | 'waiting_qr'
  | 'open'
  | 'reconnecting'
  | 'logged_out'
  | 'replaced'
  | 'forbidden'
  | 'multidevice_mismatch'
  | 'qr_expired'
  | 'lock_lost';

export interface ConnectionStatus {
  state: ConnectionStateName;
  since: string;
  /** Reconnect attempt number (0 when open). */
  attempt: number;
  /** Seconds until the next attempt, when reconnecting. */
  nextInS?: number;
  nextAt?: string;
  qr?: string;
  pairingCode?: string;
  linked: boolean;
  me?: string;
  /** `offline`: the socket could not reach WhatsApp at all (no network, DNS, refused). */
  lastDisconnect?: { code: number | null; reason: string; at: string; offline?: boolean };
  reconnects: number;
  version: string;
}

export interface SupervisorOptions {
  factory: SocketFactory;
  logger: Logger;
  version: WAVersion;
  reconnect: { baseMs: number; maxMs: number };
  watchdogMs: number;
  pairingNumber?: string;
  isLinked(): boolean;
  saveCreds(): void;
  /** Wipes the session after a logout (401). */
  clearSession(): void;
  /** Background lookup of the current WhatsApp Web version (405); undefined when it failed. */
  refreshVersion?(): Promise<WAVersion | undefined>;
  /** Also look the version up every this many ms while running (0 or unset: only after a 405). */
  versionRefreshMs?: number;
  /** Binds the app's handlers to a new socket; returns the [event, listener] pairs to remove later. */
  bind(sock: SocketLike): Array<[keyof BaileysEventMap, (arg: never) => void]>;
  onOpen?(sock: SocketLike): void;
  onClose?(sock: SocketLike): void;
  random?: () => number;
  clock?: () => number;
}

type Listener = (arg: never) => void;

// Network errors that mean WhatsApp was never reached: no connection, no DNS, nothing listening.
const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ENETDOWN)\b/;

/** Baileys wraps the socket's error in a Boom (408 "WebSocket Error (getaddrinfo ENOTFOUND ...)"), the original in `data`. */
export function isOffline(error: unknown): boolean {
  const e = error as { message?: unknown; code?: unknown; data?: { code?: unknown; message?: unknown } } | undefined;
  return [e?.code, e?.message, e?.data?.code, e?.data?.message].some((v) => typeof v === 'string' && OFFLINE.test(v));
}

/**
 * Owns the Baileys socket: creates one, watches connection.update, and on close applies the
 * close-code policy (reconnect now, back off with jitter, stop and alert, or wipe and re-pair).
 * Every replaced socket is ended and every listener put on it removed, so hundreds of
 * reconnects leave nothing behind. A watchdog ends a socket that hangs in "connecting".
 */
export class ConnectionSupervisor {
  private sock: SocketLike | undefined;
  private listeners: Array<[keyof BaileysEventMap, Listener]> = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopped = true;
  private pairingRequested = false;
  private current: ConnectionStatus;
  private readonly subscribers = new Set<(s: ConnectionStatus) => void>();
  private readonly clock: () => number;
  private version: WAVersion;
  private versionTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: SupervisorOptions) {
    this.clock = o.clock ?? Date.now;
    this.version = o.version;
    this.current = { state: 'stopped', since: this.iso(), attempt: 0, linked: o.isLinked(), reconnects: 0, version: o.version.join('.') };
  }

  private iso(): string {
    return new Date(this.clock()).toISOString();
  }

  status(): ConnectionStatus {
    const s = { ...this.current, linked: this.o.isLinked() };
    if (s.nextAt) s.nextInS = Math.max(0, Math.ceil((Date.parse(s.nextAt) - this.clock()) / 1000));
    return s;
  }

  get socket(): SocketLike | undefined {
    return this.current.state === 'open' ? this.sock : undefined;
  }

  subscribe(fn: (s: ConnectionStatus) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  private set(patch: Partial<ConnectionStatus> & { state: ConnectionStateName }): void {
    const changed = patch.state !== this.current.state;
    this.current = {
      ...this.current,
      qr: undefined,
      nextAt: undefined,
      nextInS: undefined,
      ...patch,
      since: changed ? this.iso() : this.current.since,
    };
    if (patch.state !== 'waiting_qr') this.current.pairingCode = patch.pairingCode;
    for (const fn of this.subscribers) fn(this.status());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.current.attempt = 0;
    this.connect();
    // Start-up makes no lookup (the version comes from config); a stale one is caught here
    // in the background, before WhatsApp refuses it with 405.
    if (this.o.refreshVersion && this.o.versionRefreshMs && !this.versionTimer) {
      this.versionTimer = setInterval(() => this.refreshVersion(), this.o.versionRefreshMs);
      this.versionTimer.unref();
    }
  }

  /** Looks the current WhatsApp Web version up; the next connection uses it. */
  private refreshVersion(): void {
    void this.o
      .refreshVersion?.()
      .then((v) => {
        if (v && v.join('.') !== this.version.join('.')) {
          this.version = v;
          this.current.version = v.join('.');
          this.o.logger.info({ version: v.join('.') }, 'whatsapp: using the refreshed version');
        }
      })
      .catch(() => undefined);
  }

  private stopVersionRefresh(): void {
    if (this.versionTimer) clearInterval(this.versionTimer);
    this.versionTimer = undefined;
  }

  /** Operator action (admin page): reconnect now, also from a stopped state (replaced, qr_expired...). */
  restart(): void {
    this.clearTimers();
    this.stopped = false;
    this.current.attempt = 0;
    if (this.sock) this.drop(this.sock, new Error('restart requested'));
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    this.stopVersionRefresh();
    const sock = this.sock;
    if (sock) this.drop(sock, undefined);
    this.set({ state: 'stopped' });
  }

  /** Stops for good because the instance lock was lost: never reconnect by itself. */
  lockLost(): void {
    this.stopped = true;
    this.clearTimers();
    this.stopVersionRefresh();
    if (this.sock) this.drop(this.sock, new Error('instance lock lost'));
    this.set({ state: 'lock_lost' });
  }

  listenerCount(): number {
    return this.listeners.length;
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.reconnectTimer = undefined;
    this.watchdog = undefined;
  }

  private connect(): void {
    if (this.stopped) return;
    this.clearTimers();
    this.pairingRequested = false;
    let sock: SocketLike;
    try {
      sock = this.o.factory({ version: this.version });
    } catch (err) {
      this.o.logger.error({ err }, 'whatsapp: could not create the socket');
      this.scheduleBackoff('socket creation failed', undefined);
      return;
    }
    this.sock = sock;
    if (this.current.state !== 'reconnecting') this.set({ state: 'connecting', attempt: this.current.attempt });
    const onUpdate = (u: Partial<ConnectionState>) => this.onUpdate(sock, u);
    const onCreds = () => {
      try {
        this.o.saveCreds();
      } catch (err) {
        this.o.logger.error({ err }, 'whatsapp: could not save creds');
      }
    };
    sock.ev.on('connection.update', onUpdate);
    sock.ev.on('creds.update', onCreds);
    this.listeners = [
      ['connection.update', onUpdate as Listener],
      ['creds.update', onCreds as Listener],
      ...(this.o.bind(sock) as Array<[keyof BaileysEventMap, Listener]>),
    ];
    this.armWatchdog(sock);
  }

  private armWatchdog(sock: SocketLike): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (!this.o.watchdogMs) return;
    this.watchdog = setTimeout(() => {
      if (sock !== this.sock) return;
      const err = new Error(`watchdog: not open within ${this.o.watchdogMs} ms`);
      this.o.logger.warn({ state: this.current.state }, 'whatsapp: connection hung, ending the socket');
      Promise.resolve()
        .then(() => sock.end(err))
        .catch(() => undefined)
        .finally(() => this.onClosed(sock, err));
    }, this.o.watchdogMs);
  }

  private onUpdate(sock: SocketLike, u: Partial<ConnectionState>): void {
    if (sock !== this.sock) return;
    if (u.qr) {
      if (this.watchdog) clearTimeout(this.watchdog); // Baileys' own QR timeout takes over
      this.watchdog = undefined;
      this.set({ state: 'waiting_qr', qr: u.qr, attempt: 0, pairingCode: this.current.pairingCode });
      this.o.logger.info('whatsapp: waiting for the QR code to be scanned (admin page /whatsapp)');
      if (this.o.pairingNumber && !this.pairingRequested && sock.requestPairingCode) {
        this.pairingRequested = true;
        void this.requestPairingCode(this.o.pairingNumber).catch((err) => this.o.logger.warn({ err }, 'whatsapp: pairing code request failed'));
      }
    }
    if (u.connection === 'open') {
      this.clearTimers();
      this.set({ state: 'open', attempt: 0, me: sock.user?.id });
      this.o.logger.info({ me: sock.user?.id }, 'whatsapp: connected');
      this.o.onOpen?.(sock);
    } else if (u.connection === 'close') {
      this.onClosed(sock, u.lastDisconnect?.error);
    }
  }

  /** Asks WhatsApp for an 8-character pairing code for `phone` (alternative to the QR). */
  async requestPairingCode(phone: string): Promise<string> {
    const sock = this.sock;
    if (!sock?.requestPairingCode) throw new Error('sem conexão com o WhatsApp no momento');
    if (this.o.isLinked()) throw new Error('este número já está conectado');
    const code = await sock.requestPairingCode(phone.replace(/\D/g, ''));
    if (sock === this.sock) {
      this.current.pairingCode = code;
      for (const fn of this.subscribers) fn(this.status());
    }
    this.o.logger.info({ code }, 'whatsapp: pairing code issued: WhatsApp > Aparelhos conectados > Conectar com número de telefone');
    return code;
  }

  /** Ends a socket and removes every listener we put on it. */
  private drop(sock: SocketLike, err: Error | undefined): void {
    if (sock === this.sock) {
      this.sock = undefined;
      for (const [event, fn] of this.listeners) sock.ev.off(event, fn as never);
      this.listeners = [];
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = undefined;
      this.o.onClose?.(sock);
    }
    try {
      void Promise.resolve(sock.end(err)).catch(() => undefined);
    } catch {
      // already ended
    }
  }

  private onClosed(sock: SocketLike, error: unknown): void {
    if (sock !== this.sock) return;
    const wasOpen = this.current.state === 'open';
    this.drop(sock, undefined);
    if (this.stopped) return;
    const code = statusCodeOf(error);
    const message = error instanceof Error ? error.message : undefined;
    const action: CloseAction = closeAction(code, { message, linked: this.o.isLinked() });
    const lastDisconnect = { code: code ?? null, reason: `${action.reason}${message ? `: ${message}` : ''}`, at: this.iso(), ...(isOffline(error) ? { offline: true } : {}) };
    this.current.lastDisconnect = lastDisconnect;
    this.current.reconnects++;
    const log = wasOpen ? this.o.logger.warn.bind(this.o.logger) : this.o.logger.info.bind(this.o.logger);
    switch (action.kind) {
      case 'reconnect':
        if (action.delay === 'immediate') {
          log({ code, reason: action.reason }, 'whatsapp: connection closed, reconnecting now');
          this.set({ state: 'connecting', attempt: 0 });
          this.reconnectTimer = setTimeout(() => this.connect(), 0);
        } else {
          this.scheduleBackoff(action.reason, code, log);
        }
        return;
      case 'refresh_version':
        this.o.logger.warn({ code, version: this.version.join('.') }, 'whatsapp: version refused as stale, refreshing it');
        this.scheduleBackoff(action.reason, code);
        this.refreshVersion();
        return;
      case 'logout':
        this.o.logger.warn('whatsapp: logged out from the phone: session cleared, scan a new QR on /whatsapp');
        try {
          this.o.clearSession();
        } catch (err) {
          this.o.logger.error({ err }, 'whatsapp: could not clear the session');
        }
        this.set({ state: 'logged_out', attempt: 0 });
        this.reconnectTimer = setTimeout(() => this.connect(), 0);
        return;
      case 'stop':
        this.stopped = true;
        this.o.logger.error({ code, reason: action.reason }, `whatsapp: stopped (${action.state}); an operator must act on /whatsapp`);
        this.set({ state: action.state, attempt: 0 });
        return;
    }
  }

  private scheduleBackoff(reason: string, code: number | undefined, log = this.o.logger.info.bind(this.o.logger)): void {
    const attempt = this.current.attempt + 1;
    const delay = backoffDelay(attempt, this.o.reconnect, this.o.random);
    log({ code, reason, attempt, delayMs: delay }, 'whatsapp: connection closed, reconnecting after a pause');
    this.set({ state: 'reconnecting', attempt, nextAt: new Date(this.clock() + delay).toISOString() });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }
}
