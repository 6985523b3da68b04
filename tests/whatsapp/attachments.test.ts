import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getTicketByProtocol, ticketAttachmentFile, ticketAttachments } from '../../src/tickets/tickets.js';
import { text, waMessage } from './fakes.js';
import { startRig, type Rig } from './setup.js';

// Issue 4: inside a flow that takes attachments (the refund), a customer's photo or PDF is
// stored with the ticket; outside such a flow it only gets the polite "I read text" reply.
describe('attachments sent during a refund request', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  const PHONE = '5511977776666';
  const PN = `${PHONE}@s.whatsapp.net`;
  const say = async (message: Parameters<typeof waMessage>[0]['message']) => {
    await rig.channel.inbound.upsert(rig.sock(), { messages: [waMessage({ from: PN, message })], type: 'notify' });
    await rig.settle();
    return rig.outbox().filter((o) => o.chat_id === PHONE).at(-1)!.text;
  };

  it('keeps a PDF and an image sent mid-flow (with or without caption) on the ticket, bytes included', async () => {
    expect(await say(text('quero estorno do pedido 48213'))).toMatch(/comprovante ou print/);
    expect(await say(text('1'))).toMatch(/CPF ou CNPJ/);
    // A PDF without caption: kept, and the question is asked again.
    expect(await say({ documentMessage: { mimetype: 'application/pdf', fileName: 'comprovante.pdf' } })).toMatch(/Recebi o arquivo[\s\S]*CPF ou CNPJ/);
    expect(await say(text('529.982.247-25'))).toMatch(/motivo/);
    // An image whose caption answers the question.
    await say({ imageMessage: { mimetype: 'image/jpeg', caption: '1' } });
    for (const answer of ['ontem', 'não', '2']) await say(text(answer));
    const summary = await say(text('52998224725'));
    expect(summary).toMatch(/Anexos:\* 2 arquivos/);
    const done = await say(text('sim'));
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(done)?.[1];
    expect(protocol).toBeDefined();

    const ticket = getTicketByProtocol(rig.app.db, protocol!)!;
    const files = ticketAttachments(rig.app.db, ticket);
    expect(files.map((f) => f.mimetype)).toEqual(['application/pdf', 'image/jpeg']);
    expect(files[0]!.fileName).toBe('comprovante.pdf');
    expect(ticketAttachmentFile(rig.app.db, ticket, files[0]!.id)!.data.toString()).toBe('%PDF-1.4 fake');
    // The conversation excerpt staff read shows that a file arrived.
    expect((JSON.parse(ticket.excerpt) as Array<{ text: string }>).map((m) => m.text)).toContain('[documento: comprovante.pdf]');
  });

  it('outside a flow that takes attachments, a photo only gets the "I read text" reply', async () => {
    expect(await say(text('menu'))).toMatch(/Certificado Digital/);
    expect(await say({ imageMessage: { mimetype: 'image/jpeg' } })).toMatch(/apenas mensagens de texto/);
  });
});
