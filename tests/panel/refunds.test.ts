import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getTicketByProtocol } from '../../src/tickets/tickets.js';
import { importOrders } from '../../src/tickets/import.js';
import type { Ticket } from '../../src/db/schema.js';
import { login, startPanel, type Panel } from './support.js';

// Refunds finance can pay from the ticket: the order's amount and buyer's name come from the
// orders import, and the message to the customer is the one for the ticket's case.

let p: Panel;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toLocaleDateString('pt-BR', { timeZone: 'America/Sao_Paulo' });

beforeAll(async () => {
  p = await startPanel();
  const rows = [
    `50001;529.982.247-25;joana@gmail.com;cartão;pago;${day(2)};;P1;1.234,56;Joana Prado`,
    `50002;529.982.247-25;joana@gmail.com;pix;pago;${day(2)};;P1;R$ 89,90;Joana Prado`,
    `50003;529.982.247-25;joana@gmail.com;boleto;pago;${day(3)};;P1;250;Joana Prado`,
    `50004;529.982.247-25;joana@gmail.com;pix;pago;${day(20)};${day(10)};P1;1.000,00;Joana Prado`, // issued: outside the policy
    `50005;529.982.247-25;joana@gmail.com;boleto;vencido;${day(5)};;P1;189,00;Joana Prado`,
  ];
  const report = importOrders(p.h.app.db, `pedido;documento;email;forma_pagamento;status_pagamento;data_compra;data_emissao;parceiro;valor;nome_comprador\n${rows.join('\n')}\n`);
  expect(report.errors).toEqual([]);
});
afterAll(() => p.close());

let seq = 0;
/** A customer without a WhatsApp name asks for the refund of one order; returns the ticket. */
function refund(order: string, turns: string[]): Ticket {
  const chat = `55119700000${String(++seq).padStart(2, '0')}`;
  let last = '';
  const start = Date.now() - 60_000;
  for (const [i, text] of ['quero o estorno da minha compra', '1', '529.982.247-25', order, '1', ...turns, 'isso'].entries()) {
    last = p.h.app.engine.handle({ channel: 'whatsapp', chatId: chat, phone: chat, text, id: `rf${seq}-${i}`, timestamp: start + i * 1000 }).replies.map((r) => r.text).join('\n');
  }
  const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(last)?.[1];
  if (!protocol) throw new Error(`no ticket: ${last}`);
  return getTicketByProtocol(p.h.app.db, protocol)!;
}

const textarea = (page: string) => /<textarea id="close-message"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1];
const template = (page: string, outcome: 'resolved' | 'rejected') => new RegExp(`value="${outcome}"[^>]*data-template="([^"]*)"`).exec(page)![1];

describe('refunds finance can pay from the ticket', () => {
  it('a card order: amount and buyer on the ticket, the card message with the amount', async () => {
    const t = refund('50001', []);
    const { agent } = await login(p, 'finance@example.com');
    const page = (await agent.get(`/tickets/${t.protocol}`).expect(200)).text;
    expect(page).toMatch(/<dt>Valor do pedido<\/dt><dd class="money">R\$ 1\.234,56<\/dd>/);
    expect(page).toMatch(/<dt>Nome do comprador \(pedido\)<\/dt><dd>Joana Prado<\/dd>/);
    const message = textarea(page);
    expect(message).toContain('Olá, Joana! Confirmamos o estorno do pedido *50001*, no valor de *R$ 1.234,56*.');
    expect(message).toContain('estornado no próprio cartão');
    expect(message).not.toMatch(/Pix/);
  });

  it('a Pix order: the Pix message names the key, never the card', async () => {
    const t = refund('50002', ['joana@gmail.com']);
    const { agent } = await login(p, 'finance@example.com');
    const page = (await agent.get(`/tickets/${t.protocol}`).expect(200)).text;
    const message = textarea(page);
    expect(message).toContain('no valor de *R$ 89,90*');
    expect(message).toContain('Como a compra foi paga por *Pix*, devolvemos o valor por Pix na chave *joana@gmail.com (e-mail)*.');
    expect(message).not.toMatch(/cartão/);
  });

  it('a boleto order is paid back by Pix; a CPF key is written as a CPF', async () => {
    const t = refund('50003', ['a chave é o meu cpf']);
    const { agent } = await login(p, 'finance@example.com');
    const page = (await agent.get(`/tickets/${t.protocol}`).expect(200)).text;
    expect(textarea(page)).toContain('no valor de *R$ 250,00*. Como a compra foi paga por *boleto*, devolvemos o valor por Pix na chave *529.982.247-25 (CPF)*.');
    // Whose key it is: the buyer's own CPF, so the holder is the buyer.
    expect(page).toContain('<span class="v">529.982.247-25 (CPF)</span> <span class="tag">titular: o comprador (mesmo CPF/CNPJ)</span>');
  });

  it('outside the policy: resolving says it was approved after analysis, rejecting explains the policy without a deadline', async () => {
    const t = refund('50004', ['sim', 'joana@gmail.com']);
    expect(JSON.parse(t.data)).toMatchObject({ withinPolicy: false, policyNote: 'o certificado já foi emitido' });
    const { agent } = await login(p, 'finance@example.com');
    const page = (await agent.get(`/tickets/${t.protocol}`).expect(200)).text;
    expect(textarea(page)).toContain('Analisamos o seu pedido e aprovamos o estorno do pedido *50004*, no valor de *R$ 1.000,00*.');
    const rejected = template(page, 'rejected');
    expect(rejected).toContain('desistência em até 7 dias corridos após a compra');
    expect(rejected).toContain('No seu caso, o certificado já foi emitido; por isso não foi possível aprovar o estorno.');
    expect(rejected).not.toContain('[motivo]');
  });

  it('a new boleto: the ticket and the message give the order amount', async () => {
    const chat = '5511970009999';
    let last = '';
    for (const [i, text] of ['quero um boleto atualizado', '529.982.247-25', '50005', 'isso'].entries()) {
      last = p.h.app.engine.handle({ channel: 'whatsapp', chatId: chat, phone: chat, name: 'Joana', text, id: `bl-${i}`, timestamp: Date.now() - 10_000 + i * 1000 }).replies.map((r) => r.text).join('\n');
    }
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(last)![1];
    const { agent } = await login(p, 'finance@example.com');
    const page = (await agent.get(`/tickets/${protocol}`).expect(200)).text;
    expect(page).toContain('<dd class="money">R$ 189,00</dd>');
    expect(textarea(page)).toContain('Seu boleto atualizado do pedido *50005*, no valor de *R$ 189,00*, está pronto.');
  });

  it('no refund message promises a deadline the company never stated', async () => {
    const all = p.h.app.db.all(p.h.app.db.kysely.selectFrom('tickets').selectAll().where('type', '=', 'refund'));
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const t of all) {
      for (const outcome of ['resolved', 'rejected'] as const) expect(p.h.app.requests.template(t, outcome)).not.toMatch(/\b\d+\s*(dias?|horas?)( úteis)?\b(?! corridos após a compra)/);
    }
  });
});

describe('orders import: amount and buyer name', () => {
  const header = 'pedido,documento,email,forma_pagamento,status_pagamento,data_compra,data_emissao,parceiro';
  const order = (n: string) => p.h.app.db.first(p.h.app.db.kysely.selectFrom('orders').selectAll().where('number', '=', n))!;

  it('reports a bad amount by line and imports the rest', () => {
    const r = importOrders(p.h.app.db, `${header},valor,nome_comprador\n60001,52998224725,,pix,pago,01/12/2026,,P1,"1.234,56",Ana  Lima\n60002,52998224725,,pix,pago,01/12/2026,,P1,12.50,Bia\n`);
    expect(r).toEqual({ imported: 1, errors: [{ line: 3, message: 'valor "12.50" (use o formato 1.234,56)' }] });
    expect(order('60001')).toMatchObject({ amount_cents: 123456, buyer_name: 'Ana Lima' });
  });

  it('a file without the optional columns keeps what an earlier import stored; an empty cell clears it', () => {
    importOrders(p.h.app.db, `${header}\n60001,52998224725,,pix,estornado,01/12/2026,,P1\n`);
    expect(order('60001')).toMatchObject({ payment_status: 'estornado', amount_cents: 123456, buyer_name: 'Ana Lima' });
    importOrders(p.h.app.db, `${header},valor\n60001,52998224725,,pix,estornado,01/12/2026,,P1,\n`);
    expect(order('60001')).toMatchObject({ amount_cents: null, buyer_name: 'Ana Lima' });
  });
});
