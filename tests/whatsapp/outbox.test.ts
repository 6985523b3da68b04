import { afterEach, describe, expect, it } from '@jest/globals';
import { proto } from '@whiskeysockets/baileys';
import { OutboxSender, typingDelay, UNKNOWN_OUTCOME } from '../../src/channels/whatsapp/outbox.js';
import { silentLogger } from '../../src/logger.js';
import { text, waMessage } from './fakes.js';
import { startRig, tick, type Rig } from './setup.js';

const PN = '5511977776666@s.whatsapp.net';
const CHAT = '5511977776666';

describe('WhatsApp outbox', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  const queue = (r: Rig, chatId: string, t: string) => {
    const now = new Date().toISOString();
    return r.app.db.run(
      r.app.db.kysely.insertInto('outbound_messages').values({ channel: 'whatsapp', chat_id: chatId, text: t, in_reply_to: null, status: 'queued', attempts: 0, created_at: now }),
    ).lastInsertRowid;
  };
  const wroteFirst = async (r: Rig, from = PN) => {
    await r.channel.inbound.upsert(r.sock(), { type: 'notify', messages: [waMessage({ from, message: text('oi') })] });
    await r.settle();
    r.sock().sent = [];
  };

  it('sends staff messages in order per chat, saving the WhatsApp id', async () => {
    rig = await startRig();
    await wroteFirst(rig);
    for (const t of ['primeira', 'segunda', 'terceira']) queue(rig, CHAT, t);
    rig.channel.outbox.kick();
    await rig.settle();
    expect(rig.sock().sent.map((s) => s.text)).toEqual(['primeira', 'segunda', 'terceira']);
    const rows = rig.outbox().slice(-3);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.map((r) => r.channel_message_id)).toEqual(rig.sock().sent.map((s) => s.messageId));
  });

  it('refuses cold outbound: nobody who never wrote to us gets a message', async () => {
    rig = await startRig();
    queue(rig, '5511000000000', 'olá, temos uma oferta!');
    rig.channel.outbox.kick();
    await rig.settle();
    expect(rig.sock().sent).toEqual([]);
    expect(rig.outbox()[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/never wrote to us/) });
  });

  it('retries a failed send with backoff, a bounded number of times, keeping the chat in order', async () => {
    rig = await startRig({ env: { WHATSAPP_SEND_MAX_ATTEMPTS: '2' } });
    await wroteFirst(rig);
    rig.sock().failNext = [new Error('usync failed'), new Error('usync failed')];
    const first = queue(rig, CHAT, 'vai falhar');
    queue(rig, CHAT, 'depois');
    rig.channel.outbox.kick();
    await rig.settle();
    // first attempt failed: retry scheduled, nothing after it in that chat went out
    expect(rig.sock().sent).toEqual([]);
    rig.app.db.run(rig.app.db.kysely.updateTable('whatsapp_sends').set({ next_attempt_at: new Date(0).toISOString() }).where('outbound_id', '=', first));
    rig.channel.outbox.kick();
    await rig.settle();
    const rows = rig.outbox();
    expect(rows[rows.length - 2]).toMatchObject({ status: 'failed', attempts: 2, error: expect.stringMatching(/usync failed \(after 2 attempts\)/) });
    expect(rig.sock().sent.map((s) => s.text)).toEqual(['depois']);
  });

  it('records failures WhatsApp reports later (messages.update ERROR 463) with the reason', async () => {
    rig = await startRig();
    await wroteFirst(rig);
    queue(rig, CHAT, 'resposta');
    rig.channel.outbox.kick();
    await rig.settle();
    const { messageId } = rig.sock().sent[0]!;
    rig.sock().ev.emit('messages.update', [
      { key: { remoteJid: PN, fromMe: true, id: messageId }, update: { status: proto.WebMessageInfo.Status.ERROR, messageStubParameters: ['463'] } },
    ]);
    expect(rig.outbox().at(-1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/463/) });
    const ack = rig.app.db.first(rig.app.db.kysely.selectFrom('whatsapp_sends').select(['state']).where('wa_id', '=', messageId!));
    expect(ack?.state).toBe('failed');
  });

  it('keeps delivery receipts (server ack, delivered, read)', async () => {
    rig = await startRig();
    await wroteFirst(rig);
    queue(rig, CHAT, 'resposta');
    rig.channel.outbox.kick();
    await rig.settle();
    const { messageId } = rig.sock().sent[0]!;
    rig.sock().ev.emit('messages.update', [{ key: { remoteJid: PN, fromMe: true, id: messageId }, update: { status: proto.WebMessageInfo.Status.READ } }]);
    const row = rig.app.db.first(rig.app.db.kysely.selectFrom('whatsapp_sends').select(['ack', 'state']).where('wa_id', '=', messageId!));
    expect(row).toEqual({ ack: 4, state: 'sent' });
  });

  it('a send that hangs is recorded as failed with unknown outcome, never resent; a late server ack corrects it', async () => {
    rig = await startRig();
    await wroteFirst(rig);
    rig.sock().failNext = ['hang'];
    queue(rig, CHAT, 'pendurada');
    rig.channel.outbox.kick();
    await new Promise((r) => setTimeout(r, 300));
    await rig.settle();
    const row = rig.outbox().at(-1)!;
    expect(row.status).toBe('failed');
    expect(row.error).toContain('unknown outcome');
    const send = rig.app.db.first(rig.app.db.kysely.selectFrom('whatsapp_sends').select(['wa_id', 'state']).where('outbound_id', '=', row.id))!;
    expect(send.state).toBe('unknown');
    rig.sock().ev.emit('messages.update', [{ key: { remoteJid: PN, fromMe: true, id: send.wa_id }, update: { status: proto.WebMessageInfo.Status.SERVER_ACK } }]);
    expect(rig.outbox().at(-1)).toMatchObject({ status: 'sent', channel_message_id: send.wa_id });
  });

  it('restart: replies queued while disconnected go out once after reconnecting; a send interrupted by a crash is never repeated', async () => {
    rig = await startRig();
    await wroteFirst(rig);
    const dir = rig.dir;
    // Connection drops; the customer's message is still answered into the outbox.
    rig.sock().close(428);
    await tick();
    expect(rig.channel.status().state).not.toBe('open');
    await rig.channel.inbound.upsert(rig.sock(), { type: 'notify', messages: [waMessage({ from: PN, message: text('qual o prazo da comissão?') })] });
    queue(rig, CHAT, 'mensagem da equipe');
    // A previous process died mid-send on this row:
    const interrupted = queue(rig, CHAT, 'estava sendo enviada quando o processo morreu');
    rig.app.db.run(
      rig.app.db.kysely.insertInto('whatsapp_sends').values({ outbound_id: interrupted, wa_id: 'WAINTERRUPTED', jid: PN, state: 'sending', attempts: 1, updated_at: new Date().toISOString() }),
    );
    const before = rig.sockets.reduce((n, s) => n + s.sent.length, 0);
    expect(before).toBe(0);
    // "Restart": a new process on the same database.
    await rig.channel.stop();
    await rig.app.close();
    rig = await startRig({ dir });
    await rig.settle();
    const texts = rig.sock().sent.map((s) => s.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe('mensagem da equipe');
    const rows = rig.outbox();
    expect(rows.find((r) => r.id === interrupted)).toMatchObject({ status: 'failed', error: UNKNOWN_OUTCOME });
    // Reconnect again: nothing goes out twice.
    rig.sock().close(428);
    await new Promise((r) => setTimeout(r, 20));
    rig.sock().open();
    await rig.settle();
    expect(rig.sock().sent).toEqual([]);
    expect(rig.sockets.slice(0, -1).reduce((n, s) => n + s.sent.length, 0)).toBe(2);
  });

  it('shows "digitando..." for a time proportional to the reply, capped', async () => {
    expect(typingDelay('oi', { msPerChar: 25, minMs: 600, maxMs: 4000 })).toBe(600);
    expect(typingDelay('x'.repeat(100), { msPerChar: 25, minMs: 600, maxMs: 4000 })).toBe(2500);
    expect(typingDelay('x'.repeat(1000), { msPerChar: 25, minMs: 600, maxMs: 4000 })).toBe(4000);
    const slept: number[] = [];
    rig = await startRig({ env: { WHATSAPP_TYPING_MAX_MS: '4000', WHATSAPP_TYPING_MIN_MS: '600' }, deps: { sleep: async (ms) => void slept.push(ms) } });
    await wroteFirst(rig);
    slept.length = 0;
    queue(rig, CHAT, 'x'.repeat(100));
    rig.channel.outbox.kick();
    await rig.settle();
    expect(slept).toEqual([2500]);
    expect(rig.sock().presences.at(-1)).toEqual({ type: 'composing', jid: PN });
  });

  it('rate limits: at most one message per chat per interval (with jitter) and a global token bucket', async () => {
    rig = await startRig({ open: false });
    await rig.channel.inbound.upsert(rig.sock(), { type: 'notify', messages: [waMessage({ from: PN, message: text('oi') })] });
    let now = 1_000_000;
    const sender = new OutboxSender({
      db: rig.app.db,
      logger: silentLogger,
      rate: { chatMinIntervalMs: 1000, chatJitterMs: 500, globalPerMinute: 60, globalBurst: 2 },
      send: { maxAttempts: 3, timeoutMs: 1000 },
      typing: { msPerChar: 0, minMs: 0, maxMs: 0 },
      clock: () => now,
      random: () => 0.5,
    });
    rig.app.db.run(rig.app.db.kysely.deleteFrom('outbound_messages'));
    queue(rig, CHAT, 'a1');
    queue(rig, CHAT, 'a2');
    rig.app.db.run(rig.app.db.kysely.insertInto('whatsapp_chats').values({ chat_id: 'B', jid: 'b@s.whatsapp.net', phone: null, lid: null, first_inbound_at: '', last_inbound_at: '' }));
    rig.app.db.run(rig.app.db.kysely.insertInto('whatsapp_chats').values({ chat_id: 'C', jid: 'c@s.whatsapp.net', phone: null, lid: null, first_inbound_at: '', last_inbound_at: '' }));
    queue(rig, 'B', 'b1');
    queue(rig, 'C', 'c1');
    const sock = rig.sock();
    sender.attach(sock);
    await tick(20);
    // a1 and b1 used the burst of 2; a2 waits for its chat (1 s + 250 ms jitter), c1 for a token (1/s)
    expect(sock.sent.map((s) => s.text)).toEqual(['a1', 'b1']);
    expect(sender.pick()).toEqual({ waitMs: 1000 });
    now += 1000;
    expect(sender.pick().head?.text).toBe('c1');
    sender.detach();
    await sender.stopped();
    now += 200;
    expect(sender.pick().head?.text).toBe('c1');
    now += 1500;
    const heads: string[] = [];
    sender.attach(sock);
    await tick(20);
    heads.push(...sock.sent.map((s) => s.text));
    sender.detach();
    await sender.stopped();
    expect(heads).toEqual(['a1', 'b1', 'a2', 'c1']); // both ready: oldest row first
  });
});
