import { EventEmitter } from 'node:events';
import { proto, type BaileysEventEmitter, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import type { SocketLike } from '../../src/channels/whatsapp/connection.js';

export const BOT_JID = '5511900000000@s.whatsapp.net';
export const BOT_LID = '99990000000001@lid';

export interface Sent {
  jid: string;
  text: string;
  messageId?: string;
}

/** A socket that records what the channel does with it; `ev` is a plain EventEmitter. */
export class FakeSocket implements SocketLike {
  readonly ev: BaileysEventEmitter & EventEmitter = new EventEmitter() as BaileysEventEmitter & EventEmitter;
  user = { id: BOT_JID, lid: BOT_LID };
  sent: Sent[] = [];
  reads: WAMessageKey[] = [];
  presences: Array<{ type: string; jid?: string }> = [];
  ended = 0;
  /** Make the next sendMessage calls fail (or hang) this way. */
  failNext: Array<Error | 'hang'> = [];
  lidMap = new Map<string, string>();
  signalRepository = {
    lidMapping: {
      getPNForLID: async (lid: string) => this.lidMap.get(lid) ?? null,
    },
  };
  pairingCodes: string[] = [];

  async sendMessage(jid: string, content: { text: string }, options?: { messageId?: string }) {
    const f = this.failNext.shift();
    if (f === 'hang') return new Promise<never>(() => undefined);
    if (f) throw f;
    this.sent.push({ jid, text: content.text, messageId: options?.messageId });
    return { key: { id: options?.messageId ?? `SENT${this.sent.length}`, remoteJid: jid, fromMe: true } };
  }
  async readMessages(keys: WAMessageKey[]) {
    this.reads.push(...keys);
  }
  async sendPresenceUpdate(type: 'composing' | 'paused' | 'available' | 'unavailable' | 'recording', jid?: string) {
    this.presences.push({ type, jid });
  }
  async requestPairingCode(phone: string) {
    this.pairingCodes.push(phone);
    return 'ABCD1234';
  }
  end(error: Error | undefined) {
    this.ended++;
    if (this.ended === 1) this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
  /** Open the connection (as Baileys does after the handshake). */
  open() {
    this.ev.emit('connection.update', { connection: 'open' });
  }
  /** Close as Baileys does with a Boom of this status code. */
  close(code?: number, message = 'closed') {
    const error = Object.assign(new Error(message), code === undefined ? {} : { output: { statusCode: code } });
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
  totalListeners(): number {
    return this.ev.eventNames().reduce((n, e) => n + this.ev.listenerCount(e), 0);
  }
}

let seq = 0;
/** A WAMessage built through Baileys' proto (encoded and decoded, as it comes off the wire). */
export function waMessage(o: {
  from: string;
  alt?: string;
  id?: string;
  message?: proto.IMessage | null;
  ts?: number;
  fromMe?: boolean;
  participant?: string;
  pushName?: string;
  stub?: proto.WebMessageInfo.StubType;
  stubParams?: string[];
}): WAMessage {
  const info = proto.WebMessageInfo.fromObject({
    key: { remoteJid: o.from, fromMe: !!o.fromMe, id: o.id ?? `3EB0${(++seq).toString(16).toUpperCase().padStart(16, '0')}`, participant: o.participant },
    message: o.message ?? undefined,
    messageTimestamp: o.ts ?? Math.floor(Date.now() / 1000),
    pushName: o.pushName ?? 'Cliente',
    messageStubType: o.stub,
    messageStubParameters: o.stubParams,
  });
  const decoded = proto.WebMessageInfo.decode(proto.WebMessageInfo.encode(info).finish()) as unknown as WAMessage;
  // Alt fields are not proto fields (encode drops them): Baileys sets them on the key from stanza attributes.
  if (o.alt) (decoded.key as WAMessageKey).remoteJidAlt = o.alt;
  return decoded;
}

export const text = (t: string): proto.IMessage => ({ conversation: t });
