import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { proto } from '@whiskeysockets/baileys';
import { resolvePhoneForChat } from '../../src/channels/whatsapp/identity.js';
import { text, waMessage } from './fakes.js';
import { startRig, type Rig } from './setup.js';

// One rig (engine + database) for the file; every test is a different person.
let n = 0;
let PN = '';
let LID = '';
let PHONE = '';
let LIDUSER = '';
const now = () => Math.floor(Date.now() / 1000);

describe('WhatsApp inbound into the real engine', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig.close();
  });
  beforeEach(() => {
    n++;
    PHONE = `55119888870${String(n).padStart(2, '0')}`;
    PN = `${PHONE}@s.whatsapp.net`;
    LIDUSER = `1234567890123${String(n).padStart(2, '0')}`;
    LID = `${LIDUSER}@lid`;
    rig.sock().sent = [];
    rig.sock().reads = [];
  });

  const upsert = (messages: ReturnType<typeof waMessage>[], type: 'notify' | 'append' = 'notify') =>
    rig.channel.inbound.upsert(rig.sock(), { messages, type });
  const journal = () =>
    rig.app.db
      .all(rig.app.db.kysely.selectFrom('inbound_messages').select(['chat_id', 'message_id', 'text']).orderBy('id'))
      .filter((j) => j.chat_id === PHONE || j.chat_id === `lid:${LIDUSER}`);
  const attachmentsOf = (chatId: string) =>
    rig.app.db.all(rig.app.db.kysely.selectFrom('attachments').select(['message_id', 'kind', 'mimetype', 'file_name', 'size']).where('chat_id', '=', chatId).orderBy('id'));
  const outboxOf = (chatId: string) => rig.outbox().filter((o) => o.chat_id === chatId);

  it('a message whose timestamp is out of range is answered as if sent now, and the next one too', async () => {
    for (const ts of [1e15, 9e15, 2 ** 53]) {
      const [r] = await upsert([waMessage({ from: PN, message: text('menu'), ts })]);
      expect(r).toMatchObject({ outcome: 'handled', chatId: PHONE, replies: 1 });
    }
    const [next] = await upsert([waMessage({ from: PN, message: text('menu') })]);
    expect(next).toMatchObject({ outcome: 'handled', replies: 1 });
  });

  it('answers a plain text once, to the address it came from, and marks it read', async () => {
    const m = waMessage({ from: PN, message: text('qdo recebo minha comissao?') });
    const [r] = await upsert([m]);
    expect(r).toMatchObject({ outcome: 'handled', chatId: PHONE, replies: 1 });
    await rig.settle();
    expect(rig.sock().sent).toHaveLength(1);
    expect(rig.sock().sent[0]!.jid).toBe(PN);
    expect(rig.sock().reads.map((k) => k.id)).toEqual([m.key.id]);
    const [row] = outboxOf(PHONE);
    expect(row).toMatchObject({ status: 'sent', channel_message_id: rig.sock().sent[0]!.messageId });
    const contact = rig.app.db.first(rig.app.db.kysely.selectFrom('contacts').selectAll().where('chat_id', '=', PHONE));
    expect(contact).toMatchObject({ phone: PHONE, name: 'Cliente' });
  });

  it('reads extended text, ephemeral and view-once wrappers, and captions as text', async () => {
    const out = await upsert([
      waMessage({ from: PN, message: { extendedTextMessage: { text: 'oi, tudo bem?' } } }),
      waMessage({ from: PN, message: { ephemeralMessage: { message: { conversation: 'menu' } } } }),
      waMessage({ from: PN, message: { viewOnceMessageV2: { message: { imageMessage: { caption: 'comprovante do boleto', mimetype: 'image/jpeg' } } } } }),
      waMessage({ from: PN, message: { documentWithCaptionMessage: { message: { documentMessage: { caption: 'segue o pdf', mimetype: 'application/pdf', fileName: 'nota.pdf' } } } } }),
    ]);
    expect(out.map((o) => o.outcome)).toEqual(['handled', 'handled', 'handled', 'handled']);
    expect(journal().map((j) => j.text)).toEqual(['oi, tudo bem?', 'menu', 'comprovante do boleto', 'segue o pdf']);
  });

  it('answers media without caption politely, and stores images and PDFs as attachments', async () => {
    const image = waMessage({ from: PN, message: { imageMessage: { mimetype: 'image/jpeg', fileLength: 12 } } });
    const pdf = waMessage({ from: PN, message: { documentMessage: { mimetype: 'application/pdf', fileName: 'boleto.pdf', fileLength: 13 } } });
    const audio = waMessage({ from: PN, message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true } } });
    const sticker = waMessage({ from: PN, message: { stickerMessage: { mimetype: 'image/webp' } } });
    const location = waMessage({ from: PN, message: { locationMessage: { degreesLatitude: -23.5, degreesLongitude: -46.6 } } });
    const contact = waMessage({ from: PN, message: { contactMessage: { displayName: 'Fulano', vcard: 'BEGIN:VCARD' } } });
    const huge = waMessage({ from: PN, message: { imageMessage: { mimetype: 'image/jpeg', fileLength: 50 * 1024 * 1024 } } });
    const out = await upsert([image, pdf, audio, sticker, location, contact, huge]);
    expect(out.every((o) => o.outcome === 'handled' && o.replies === 1)).toBe(true);
    const attachments = attachmentsOf(PHONE);
    expect(attachments).toEqual([
      { message_id: image.key.id, kind: 'image', mimetype: 'image/jpeg', file_name: null, size: 13 },
      { message_id: pdf.key.id, kind: 'document', mimetype: 'application/pdf', file_name: 'boleto.pdf', size: 13 },
    ]);
    await rig.settle();
    expect(rig.sock().sent).toHaveLength(7);
  });

  it('does not start conversations from reactions, edits, deletes, polls votes or key shares', async () => {
    const target = { remoteJid: PN, fromMe: true, id: 'BOTMSG1' };
    const out = await upsert([
      waMessage({ from: PN, message: { reactionMessage: { key: target, text: '👍' } } }),
      waMessage({ from: PN, message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: target } } }),
      waMessage({
        from: PN,
        message: { editedMessage: { message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, key: target, editedMessage: { conversation: 'editado' } } } } },
      }),
      waMessage({ from: PN, message: { senderKeyDistributionMessage: { groupId: 'x' } } }),
      waMessage({ from: PN, message: null }),
    ]);
    expect(out.map((o) => o.outcome)).toEqual(['ignored', 'ignored', 'ignored', 'ignored', 'ignored']);
    expect(journal()).toEqual([]);
    await rig.settle();
    expect(rig.sock().sent).toEqual([]);
  });

  it('ignores groups, status broadcasts, newsletters and our own echoes', async () => {
    const out = await upsert([
      waMessage({ from: '120363000000000001@g.us', participant: PN, message: text('oi grupo') }),
      waMessage({ from: 'status@broadcast', participant: PN, message: text('meu status') }),
      waMessage({ from: '120363000000000002@newsletter', message: text('news') }),
      waMessage({ from: PN, fromMe: true, message: text('eco do que enviamos') }),
    ]);
    expect(out.map((o) => o.outcome)).toEqual(['ignored', 'ignored', 'ignored', 'ignored']);
    expect(journal()).toEqual([]);
  });

  it('answers a redelivered id once (notify, then the same id in an append replay)', async () => {
    const m = waMessage({ from: PN, id: `DUP1${n}`, message: text('oi') });
    await upsert([m]);
    const again = await upsert([waMessage({ from: PN, id: `DUP1${n}`, message: text('oi') })], 'append');
    expect(again[0]!.outcome).toBe('duplicate');
    await rig.settle();
    expect(rig.sock().sent).toHaveLength(1);
  });

  it('does not journal a CIPHERTEXT stub, and answers once when the content arrives', async () => {
    const stub = waMessage({ from: PN, id: `CIPH1${n}`, stub: proto.WebMessageInfo.StubType.CIPHERTEXT, stubParams: ['No session found to decrypt message'] });
    expect((await upsert([stub]))[0]!.outcome).toBe('stub');
    expect(journal()).toEqual([]);
    const filled = waMessage({ from: PN, id: `CIPH1${n}`, message: text('quero a segunda via do boleto') });
    expect((await upsert([filled]))[0]!.outcome).toBe('handled');
    await rig.settle();
    expect(rig.sock().sent).toHaveLength(1);
    expect(rig.channel.inbound.stats.stubs).toBeGreaterThanOrEqual(1);
  });

  it('answers the append backlog (messages sent while offline) but not what is older than the cut-off', async () => {
    const out = await upsert(
      [
        waMessage({ from: PN, id: `OLD${n}`, message: text('oi de anteontem'), ts: now() - 50 * 3600 }),
        waMessage({ from: PN, id: `RECENT${n}`, message: text('oi de agora há pouco'), ts: now() - 2 * 3600 }),
      ],
      'append',
    );
    expect(out.map((o) => o.outcome)).toEqual(['too_old', 'handled']);
    expect(journal().map((j) => j.message_id)).toEqual([`RECENT${n}`]);
  });

  it('ties LID and phone: a @lid sender with remoteJidAlt is the phone number chat', async () => {
    await upsert([waMessage({ from: LID, alt: PN, message: text('oi') })]);
    await upsert([waMessage({ from: PN, message: text('oi de novo') })]);
    expect(new Set(journal().map((j) => j.chat_id))).toEqual(new Set([PHONE]));
    await rig.settle();
    expect(rig.sock().sent[0]!.jid).toBe(LID); // replies go where the person wrote from
  });

  it('a @lid sender without Alt fields is resolved through the lid-mapping store', async () => {
    rig.sock().lidMap.set(LID, `${PHONE}:12@s.whatsapp.net`);
    const [r] = await upsert([waMessage({ from: LID, message: text('oi') })]);
    expect(r).toMatchObject({ chatId: PHONE });
  });

  it('a LID-only person gets a stable chat, keeps it when the phone shows up, and becomes findable by phone', async () => {
    const [first] = await upsert([waMessage({ from: LID, message: text('oi') })]);
    expect(first).toMatchObject({ chatId: `lid:${LIDUSER}` });
    expect(resolvePhoneForChat(rig.app.db, `lid:${LIDUSER}`)).toBeNull();
    // Baileys learns the pair later (lid-mapping.update)...
    rig.sock().ev.emit('lid-mapping.update', { pn: PN, lid: LID });
    expect(resolvePhoneForChat(rig.app.db, `lid:${LIDUSER}`)).toBe(PHONE);
    const contact = rig.app.db.first(rig.app.db.kysely.selectFrom('contacts').select(['phone', 'lid']).where('chat_id', '=', `lid:${LIDUSER}`));
    expect(contact).toEqual({ phone: PHONE, lid: LIDUSER });
    // ...and the next message, by phone or by LID with Alt, stays in the same conversation.
    const [byPhone] = await upsert([waMessage({ from: PN, message: text('voltei') })]);
    const [byLid] = await upsert([waMessage({ from: LID, alt: PN, message: text('de novo') })]);
    expect(byPhone).toMatchObject({ chatId: `lid:${LIDUSER}` });
    expect(byLid).toMatchObject({ chatId: `lid:${LIDUSER}` });
  });

  it('a person known by phone who later writes from a mapped LID stays in the phone chat', async () => {
    await upsert([waMessage({ from: PN, message: text('oi') })]);
    rig.sock().lidMap.set(LID, PN);
    const [r] = await upsert([waMessage({ from: LID, message: text('oi pelo lid') })]);
    expect(r).toMatchObject({ chatId: PHONE });
  });

  it('processes messages in arrival order, one at a time', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `ORD${n}-${i}`);
    await Promise.all(ids.map((id) => upsert([waMessage({ from: PN, id, message: text(`mensagem ${id}`) })])));
    expect(journal().map((j) => j.message_id)).toEqual(ids);
  });

  it('the socket events drive it too (messages.upsert on ev)', async () => {
    rig.sock().ev.emit('messages.upsert', { messages: [waMessage({ from: PN, message: text('oi') })], type: 'notify' });
    await rig.settle();
    expect(rig.sock().sent).toHaveLength(1);
  });
});
