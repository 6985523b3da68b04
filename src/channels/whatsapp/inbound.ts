import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidNormalizedUser,
  toNumber,
  type BaileysEventMap,
  type WAMessage,
} from '@whiskeysockets/baileys';
import { messageTime, type Engine, type InboundMedia } from '../../conversation/engine.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { SocketLike } from './connection.js';
import { classifyContent, isStorable } from './content.js';
import { rememberChat, resolveIdentity } from './identity.js';
import { STORAGE_CUSTOMER_TEXT, storageProblem } from '../../db/errors.js';

/** A person told "não consigo registrar" is not told again within this time. */
const UNRECORDED_NOTICE_MS = 10 * 60_000;

export const WHATSAPP_CHANNEL = 'whatsapp';

export type MediaDownloader = (msg: WAMessage, sock: SocketLike) => Promise<Buffer>;

export interface InboundOptions {
  db: Db;
  engine: Engine;
  logger: Logger;
  account: string;
  backlogMaxAgeMs: number;
  attachmentMaxBytes: number;
  download?: MediaDownloader;
  clock?: () => number;
  /** Called after a message produced replies (the outbox sender wakes up). */
  onReplies?(): void;
}

export interface InboundStats {
  handled: number;
  duplicates: number;
  ignored: number;
  tooOld: number;
  stubs: number;
}

/** The outcome of one upserted message (for tests and logs). */
export type InboundOutcome =
  | { id: string; outcome: 'handled'; chatId: string; replies: number }
  | { id: string; outcome: 'duplicate' | 'stub' | 'too_old' | 'ignored'; reason?: string };

/**
 * messages.upsert → engine. Both `notify` (live) and `append` (the backlog replayed after a
 * reconnect) are handled, up to an age cut-off; the engine's journal dedupes redeliveries.
 * Messages are processed one at a time in arrival order.
 */
export class InboundHandler {
  readonly stats: InboundStats = { handled: 0, duplicates: 0, ignored: 0, tooOld: 0, stubs: 0 };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clock: () => number;
  private readonly toldUnrecorded = new Map<string, number>();

  constructor(private readonly o: InboundOptions) {
    this.clock = o.clock ?? Date.now;
  }

  /** Queues an upsert batch; resolves when it has been processed. */
  upsert(sock: SocketLike, batch: BaileysEventMap['messages.upsert']): Promise<InboundOutcome[]> {
    if (batch.type !== 'notify' && batch.type !== 'append') return Promise.resolve([]);
    const run = this.queue.then(async () => {
      const out: InboundOutcome[] = [];
      for (const msg of batch.messages) {
        try {
          out.push(await this.one(sock, msg, batch.type));
        } catch (err) {
          // One error boundary per message: log and go on with the next one.
          this.o.logger.error({ err, id: msg.key?.id }, 'whatsapp: inbound message failed');
          out.push({ id: msg.key?.id ?? '', outcome: 'ignored', reason: 'error' });
        }
      }
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once everything queued so far has been processed. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private ignore(id: string, reason: string): InboundOutcome {
    this.stats.ignored++;
    this.o.logger.debug({ id, reason }, 'whatsapp: message ignored');
    return { id, outcome: 'ignored', reason };
  }

  private async one(sock: SocketLike, msg: WAMessage, type: 'notify' | 'append'): Promise<InboundOutcome> {
    const { key } = msg;
    const id = key?.id ?? '';
    const remote = key?.remoteJid ?? '';
    if (!id || !remote) return this.ignore(id, 'no key');
    if (key.fromMe) return this.ignore(id, 'own message');
    if (isJidGroup(remote)) return this.ignore(id, 'group');
    if (isJidStatusBroadcast(remote) || isJidBroadcast(remote)) return this.ignore(id, 'broadcast/status');
    if (isJidNewsletter(remote)) return this.ignore(id, 'newsletter');
    const normalized = jidNormalizedUser(remote);
    if (!isPnUser(normalized) && !isLidUser(normalized)) return this.ignore(id, 'not a person');

    // Seconds on the wire; any value may arrive (out of Date's range: taken as now).
    const tsSeconds = msg.messageTimestamp ? toNumber(msg.messageTimestamp) : 0;
    const at = messageTime(tsSeconds > 0 ? tsSeconds * 1000 : undefined, this.clock());
    if (this.clock() - at > this.o.backlogMaxAgeMs) {
      this.stats.tooOld++;
      this.o.logger.info({ id, type, ageH: Math.round((this.clock() - at) / 3_600_000) }, 'whatsapp: backlog message too old, not answered');
      return { id, outcome: 'too_old' };
    }

    const content = classifyContent(msg);
    if (content.kind === 'stub') {
      // Not journaled: the same id comes back with content after the retry or placeholder resend.
      this.stats.stubs++;
      this.o.logger.warn({ id, from: remote, stub: msg.messageStubParameters }, 'whatsapp: message could not be decrypted yet');
      return { id, outcome: 'stub' };
    }
    if (content.kind === 'ignore') return this.ignore(id, content.reason);

    try {
      return await this.record(sock, msg, content, at);
    } catch (err) {
      if (!storageProblem(err)) throw err;
      this.o.logger.error({ err, id }, 'whatsapp: message not recorded: the database does not take writes');
      await this.tellUnrecorded(sock, remote, STORAGE_CUSTOMER_TEXT);
      return this.ignore(id, 'storage');
    }
  }

  /**
   * The database cannot take the message (full disk...): the person hears so once in a while,
   * sent straight through the socket since the outbox cannot be written either.
   */
  private async tellUnrecorded(sock: SocketLike, jid: string, text: string): Promise<void> {
    const now = this.clock();
    const last = this.toldUnrecorded.get(jid);
    if (last !== undefined && now - last < UNRECORDED_NOTICE_MS) return;
    this.toldUnrecorded.set(jid, now);
    await sock.sendMessage(jid, { text }).catch((err) => this.o.logger.warn({ err }, 'whatsapp: could not send the "not recorded" notice'));
  }

  private async record(sock: SocketLike, msg: WAMessage, content: Extract<ReturnType<typeof classifyContent>, { kind: 'message' }>, at: number): Promise<InboundOutcome> {
    const { key } = msg;
    const id = key.id!;
    const { db } = this.o;
    const identity = await resolveIdentity(db, this.o.account, key, (lid) =>
      sock.signalRepository?.lidMapping ? sock.signalRepository.lidMapping.getPNForLID(lid) : Promise.resolve(null),
    );
    let media: InboundMedia | undefined;
    if (content.media) {
      const { fileLength: _len, ...rest } = content.media;
      media = rest;
      if (isStorable(content.media)) media.attachmentId = await this.store(sock, msg, identity.chatId, content.media);
    }
    rememberChat(db, identity, new Date(at).toISOString());
    const result = this.o.engine.handle({
      channel: WHATSAPP_CHANNEL,
      chatId: identity.chatId,
      participant: '',
      id,
      text: content.text,
      timestamp: at,
      name: msg.pushName ?? undefined,
      phone: identity.phone ?? undefined,
      lid: identity.lid ?? undefined,
      media,
    });
    if (result.unrecorded) {
      await this.tellUnrecorded(sock, key.remoteJid!, result.unrecorded);
      return this.ignore(id, 'storage');
    }
    if (result.duplicate) {
      this.stats.duplicates++;
      this.o.logger.debug({ id }, 'whatsapp: duplicate message ignored');
      return { id, outcome: 'duplicate' };
    }
    this.stats.handled++;
    sock.readMessages([key]).catch((err) => this.o.logger.debug({ err }, 'whatsapp: could not mark as read'));
    if (result.replies.length) this.o.onReplies?.();
    return { id, outcome: 'handled', chatId: identity.chatId, replies: result.replies.length };
  }

  /** Downloads an image/PDF and keeps it in `attachments` (size-capped); returns its id. */
  private async store(sock: SocketLike, msg: WAMessage, chatId: string, media: InboundMedia & { fileLength?: number }): Promise<number | undefined> {
    const { db, logger } = this.o;
    const id = msg.key.id!;
    const existing = db.first(
      db.kysely.selectFrom('attachments').select('id').where('channel', '=', WHATSAPP_CHANNEL).where('chat_id', '=', chatId).where('message_id', '=', id),
    );
    if (existing) return existing.id;
    if (media.fileLength !== undefined && media.fileLength > this.o.attachmentMaxBytes) {
      logger.info({ id, size: media.fileLength }, 'whatsapp: attachment over the size cap, not stored');
      return undefined;
    }
    if (!this.o.download) return undefined;
    try {
      const data = await this.o.download(msg, sock);
      if (data.length > this.o.attachmentMaxBytes) {
        logger.info({ id, size: data.length }, 'whatsapp: attachment over the size cap, not stored');
        return undefined;
      }
      return db.run(
        db.kysely.insertInto('attachments').values({
          channel: WHATSAPP_CHANNEL,
          chat_id: chatId,
          message_id: id,
          kind: media.kind,
          mimetype: media.mimetype ?? null,
          file_name: media.fileName ?? null,
          size: data.length,
          data,
          created_at: new Date(this.clock()).toISOString(),
        }),
      ).lastInsertRowid;
    } catch (err) {
      logger.warn({ err, id }, 'whatsapp: attachment download failed');
      return undefined;
    }
  }
}
