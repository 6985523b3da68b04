import {
  Browsers,
  downloadMediaMessage,
  fetchLatestWaWebVersion,
  isJidBroadcast,
  isJidNewsletter,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type BaileysEventMap,
  type WASocket,
  type WAVersion,
} from '@whiskeysockets/baileys';
import QRCode from 'qrcode';
import type { Engine } from '../../conversation/engine.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { useSqliteAuthState, type SqliteAuthState } from './auth-state.js';
import { BUNDLED_VERSION, parseVersion, type WhatsAppConfig } from './config.js';
import { ConnectionSupervisor, type ConnectionStatus, type SocketFactory, type SocketLike } from './connection.js';
import { learnMapping } from './identity.js';
import { InboundHandler, type MediaDownloader } from './inbound.js';
import { InstanceLock } from './lock.js';
import { OutboxSender } from './outbox.js';
import { metrics, setWhatsappState } from '../../metrics.js';

export interface WhatsAppChannelDeps {
  db: Db;
  engine: Engine;
  logger: Logger;
  config: WhatsAppConfig;
  /** Tests pass a fake socket factory; default: Baileys' makeWASocket. */
  socketFactory?: (o: { version: WAVersion; auth: SqliteAuthState; getMessage: (id: string) => string | undefined }) => SocketLike;
  download?: MediaDownloader;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Print the QR in the terminal (default: when stderr is a TTY). */
  printQr?: boolean;
  refreshVersion?: () => Promise<WAVersion | undefined>;
}

/** Baileys is chatty at info: its child logger logs warnings and up, never below the app's level. */
function baileysLogger(logger: Logger): Logger {
  const level = logger.levelVal > 40 ? logger.level : 'warn';
  return logger.child({ module: 'baileys' }, { level });
}

const defaultDownload: MediaDownloader = async (msg, sock) =>
  downloadMediaMessage(msg, 'buffer', {}, {
    logger: undefined as never,
    reuploadRequest: (sock as unknown as WASocket).updateMediaMessage,
  });

/**
 * The WhatsApp channel: session in SQLite, one instance per number, a supervised connection,
 * inbound messages into the engine and the outbox out to WhatsApp. It holds no conversation logic.
 */
export class WhatsAppChannel {
  readonly auth: SqliteAuthState;
  readonly lock: InstanceLock;
  readonly supervisor: ConnectionSupervisor;
  readonly inbound: InboundHandler;
  readonly outbox: OutboxSender;
  private readonly logger: Logger;
  private lastPrintedQr: string | undefined;

  constructor(private readonly d: WhatsAppChannelDeps) {
    const { db, config } = d;
    this.logger = d.logger.child({ module: 'whatsapp' });
    this.auth = useSqliteAuthState(db, config.account);
    this.lock = new InstanceLock(db, config.account, { ...config.lock, clock: d.clock });
    this.outbox = new OutboxSender({
      db,
      logger: this.logger,
      rate: config.rate,
      send: config.send,
      typing: config.typing,
      clock: d.clock,
      sleep: d.sleep,
      random: d.random,
    });
    this.inbound = new InboundHandler({
      db,
      engine: d.engine,
      logger: this.logger,
      account: config.account,
      backlogMaxAgeMs: config.backlogMaxAgeMs,
      attachmentMaxBytes: config.attachmentMaxBytes,
      download: d.download ?? defaultDownload,
      clock: d.clock,
      onReplies: () => this.outbox.kick(),
    });

    const getMessage = (id: string) => this.outbox.textOf(id);
    const blog = baileysLogger(this.logger);
    const keys = makeCacheableSignalKeyStore(this.auth.state.keys, blog);
    const factory: SocketFactory = d.socketFactory
      ? ({ version }) => d.socketFactory!({ version, auth: this.auth, getMessage })
      : ({ version }) =>
          makeWASocket({
            auth: { creds: this.auth.state.creds, keys },
            version,
            waWebSocketUrl: config.wsUrl,
            logger: blog,
            browser: Browsers.ubuntu('Chrome'),
            markOnlineOnConnect: false,
            syncFullHistory: false,
            connectTimeoutMs: config.connectTimeoutMs,
            shouldIgnoreJid: (jid) => !!(isJidBroadcast(jid) || isJidNewsletter(jid)),
            getMessage: async (key) => {
              const text = key.id ? getMessage(key.id) : undefined;
              return text ? { conversation: text } : undefined;
            },
          }) as unknown as SocketLike;

    this.supervisor = new ConnectionSupervisor({
      factory,
      logger: this.logger,
      version: this.initialVersion(),
      reconnect: config.reconnect,
      watchdogMs: config.watchdogMs,
      pairingNumber: config.pairingNumber,
      isLinked: () => this.auth.isLinked(),
      saveCreds: () => this.auth.saveCreds(),
      clearSession: () => {
        void Promise.resolve(keys.clear?.()).catch(() => undefined);
        this.auth.clear();
      },
      refreshVersion: d.refreshVersion ?? (() => this.refreshVersion()),
      versionRefreshMs: config.versionRefreshMs,
      bind: (sock) => this.bind(sock),
      onOpen: (sock) => this.outbox.attach(sock),
      onClose: () => this.outbox.detach(),
      random: d.random,
      clock: d.clock,
    });
    const printQr = d.printQr ?? process.stderr.isTTY === true;
    let reconnects = 0;
    this.supervisor.subscribe((s) => {
      setWhatsappState(s.state);
      if (s.reconnects > reconnects) metrics.whatsappReconnects.inc(s.reconnects - reconnects);
      reconnects = s.reconnects;
      if (printQr && s.qr && s.qr !== this.lastPrintedQr) {
        this.lastPrintedQr = s.qr;
        QRCode.toString(s.qr, { type: 'terminal', small: true })
          .then((art) => process.stderr.write(`\nEscaneie com o WhatsApp (Aparelhos conectados > Conectar um aparelho):\n${art}\n`))
          .catch(() => undefined);
      }
    });
  }

  private initialVersion(): WAVersion {
    if (this.d.config.version) return this.d.config.version;
    const { db } = this.d;
    const stored = db.first(db.kysely.selectFrom('whatsapp_settings').select('value').where('account', '=', this.d.config.account).where('key', '=', 'version'));
    // A version fetched after a 405 wins over the bundled one until WHATSAPP_VERSION says otherwise.
    return stored ? parseVersion(stored.value) : BUNDLED_VERSION;
  }

  /** A timed lookup of the current WhatsApp Web version (after a 405); stored for the next start. */
  private async refreshVersion(): Promise<WAVersion | undefined> {
    const r = await fetchLatestWaWebVersion({ signal: AbortSignal.timeout(10_000) });
    if (!r.isLatest) return undefined;
    const { db } = this.d;
    const value = r.version.join(',');
    const now = new Date().toISOString();
    db.run(
      db.kysely
        .insertInto('whatsapp_settings')
        .values({ account: this.d.config.account, key: 'version', value, updated_at: now })
        .onConflict((oc) => oc.columns(['account', 'key']).doUpdateSet({ value, updated_at: now })),
    );
    return r.version;
  }

  private bind(sock: SocketLike): Array<[keyof BaileysEventMap, (arg: never) => void]> {
    const onUpsert = (batch: BaileysEventMap['messages.upsert']) => {
      void this.inbound.upsert(sock, batch);
    };
    const onUpdate = (updates: BaileysEventMap['messages.update']) => {
      try {
        this.outbox.onUpdates(updates);
      } catch (err) {
        this.logger.error({ err }, 'whatsapp: could not record message updates');
      }
    };
    const onMapping = (m: BaileysEventMap['lid-mapping.update']) => {
      try {
        learnMapping(this.d.db, m.pn, m.lid);
      } catch (err) {
        this.logger.error({ err }, 'whatsapp: could not record a LID mapping');
      }
    };
    sock.ev.on('messages.upsert', onUpsert);
    sock.ev.on('messages.update', onUpdate);
    sock.ev.on('lid-mapping.update', onMapping);
    return [
      ['messages.upsert', onUpsert as (arg: never) => void],
      ['messages.update', onUpdate as (arg: never) => void],
      ['lid-mapping.update', onMapping as (arg: never) => void],
    ];
  }

  /** Takes the instance lock (throws LockHeldError), settles interrupted sends, connects. */
  start(): void {
    this.lock.acquire();
    this.lock.startHeartbeat(() => {
      this.logger.error('whatsapp: another process took the instance lock over; disconnecting');
      this.supervisor.lockLost();
    });
    this.outbox.recoverInterrupted();
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor.stop();
    this.outbox.detach();
    await this.outbox.stopped();
    await this.inbound.idle();
    try {
      this.lock.release();
    } catch (err) {
      this.logger.warn({ err }, 'whatsapp: could not release the instance lock');
    }
  }

  status(): ConnectionStatus {
    return this.supervisor.status();
  }

  /** For /readyz: ready only while the connection is open. */
  readiness(): { ready: boolean; details: Record<string, unknown> } {
    const s = this.status();
    const details: Record<string, unknown> = { whatsapp: s.state };
    if (s.state === 'reconnecting') Object.assign(details, { attempt: s.attempt, nextInS: s.nextInS });
    if (s.lastDisconnect) details.lastDisconnect = { code: s.lastDisconnect.code, at: s.lastDisconnect.at };
    return { ready: s.state === 'open', details };
  }

  requestPairingCode(phone: string): Promise<string> {
    return this.supervisor.requestPairingCode(phone);
  }

  restart(): void {
    this.supervisor.restart();
  }
}
