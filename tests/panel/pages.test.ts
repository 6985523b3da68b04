import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Readable, Writable } from 'node:stream';
import request from 'supertest';
import type { Ticket } from '../../src/db/schema.js';
import { runStaffCommand } from '../../src/staff/cli.js';
import { findUserByEmail } from '../../src/staff/users.js';
import { csrfOf, login, handoffConversation, refundConversation, startPanel, type Panel } from './support.js';

// The panel's pages over a real port: log-in and sessions, queue, filters, ticket page, actions,
// team isolation, CSV export, account tokens, admin users, and the CLI.

let p: Panel;
let refund: Ticket;
let handoff: Ticket;

beforeAll(async () => {
  p = await startPanel();
  refund = refundConversation(p, '5511988887777', 'Joana Cliente');
  handoff = handoffConversation(p, '5511977776666', 'Carlos');
});
afterAll(() => p.close());

describe('log-in and sessions', () => {
  it('redirects to the log-in page, and back after logging in', async () => {
    const res = await request(p.url).get('/fila?type=refund').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Ffila%3Ftype%3Drefund');
    const page = await request(p.url).get('/login').expect(200);
    expect(page.text).toContain('<label for="email">E-mail</label>');
    expect(page.text).toContain('lang="pt-BR"');
  });

  it('a wrong password says so without telling which part was wrong', async () => {
    const { res } = await login(p, 'finance@example.com', 'errada-0000000');
    expect(res.status).toBe(401);
    expect(res.text).toContain('E-mail ou senha incorretos');
    const unknown = await login(p, 'ninguem@example.com', 'errada-0000000');
    expect(unknown.res.text).toContain('E-mail ou senha incorretos');
  });

  it('logs out: the session no longer works', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    await agent.get('/fila').expect(303);
  });

  it('sessions expire', async () => {
    const short = await startPanel({ sessionTtlMs: 1 });
    try {
      const { agent, res } = await login(short, 'finance@example.com');
      expect(res.status).toBe(303);
      await new Promise((r) => setTimeout(r, 5));
      await agent.get('/fila').expect(303);
    } finally {
      await short.close();
    }
  });

  it('does not redirect outside the site after log-in', async () => {
    const agent = request.agent(p.url);
    const page = await agent.get('/login?next=//evil.example/x');
    expect(page.text).toContain('name="next" value="/fila"');
  });
});

describe('queue', () => {
  it('shows the team queue with protocol, type, customer, age and SLA; not the other team', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const page = await agent.get('/fila').expect(200);
    expect(page.text).toContain('Fila do Financeiro');
    expect(page.text).toContain(`href="/tickets/${refund.protocol}"`);
    expect(page.text).toContain('Estorno');
    expect(page.text).toContain('Joana Cliente');
    expect(page.text).toMatch(/class="sla sla-ok"/);
    expect(page.text).not.toContain(handoff.protocol);
    const s = await (await login(p, 'support@example.com')).agent.get('/fila');
    expect(s.text).toContain(handoff.protocol);
    expect(s.text).toContain('Carlos');
    expect(s.text).not.toContain(refund.protocol);
  });

  it('masks the phone when the customer has no name', async () => {
    p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5521966665555', phone: '5521966665555', text: 'quero falar com um atendente', id: 'n1', timestamp: Date.now() });
    const s = await (await login(p, 'support@example.com')).agent.get('/fila');
    expect(s.text).toContain('+55 21 9****-5555');
    expect(s.text).not.toContain('5521966665555');
  });

  it('filters and searches', async () => {
    const { agent } = await login(p, 'finance@example.com');
    expect((await agent.get('/fila?type=boleto_renewal')).text).toContain('Nenhum ticket encontrado');
    expect((await agent.get('/fila?assignee=none')).text).toContain(refund.protocol);
    expect((await agent.get('/fila?assignee=me')).text).toContain('Nenhum ticket encontrado');
    expect((await agent.get(`/fila?from=2020-01-01&to=2020-01-31`)).text).toContain('Nenhum ticket encontrado');
    expect((await agent.get(`/fila?from=2020-01-01`)).text).toContain(refund.protocol);
    expect((await agent.get('/fila').query({ q: '52998224725' })).text).toContain(refund.protocol);
    expect((await agent.get('/fila').query({ q: handoff.protocol })).text).toContain('Nenhum ticket encontrado');
  });

  it('pages with a cursor (oldest first)', async () => {
    const small = await startPanel({ pageSize: 5 });
    try {
      for (let i = 0; i < 7; i++) refundConversation(small, `55119000000${String(i).padStart(2, '0')}`, `Cliente ${i}`, String(48300 + i));
      const { agent } = await login(small, 'finance@example.com');
      const first = await agent.get('/fila');
      const protocols = (t: string) => [...t.matchAll(/href="\/tickets\/(FIN-\d+)"/g)].map((m) => m[1]);
      expect(protocols(first.text)).toEqual(['FIN-000001', 'FIN-000002', 'FIN-000003', 'FIN-000004', 'FIN-000005']);
      expect(first.text).toContain('7 tickets');
      const next = /href="(\/fila\?[^"]+)" rel="next"/.exec(first.text)![1].replace(/&amp;/g, '&');
      const second = await agent.get(next);
      expect(protocols(second.text)).toEqual(['FIN-000006', 'FIN-000007']);
      expect(second.text).not.toContain('rel="next"');
    } finally {
      await small.close();
    }
  });
});

describe('ticket page and actions', () => {
  it('shows fields, excerpt, history, a prefilled message, and the customer’s other tickets', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const page = await agent.get(`/tickets/${refund.protocol}`).expect(200);
    for (const text of ['Joana Cliente', '529.982.247-25', '48213', 'Trecho da conversa', 'quero o estorno da minha compra', 'Histórico', 'Ticket aberto', 'Confirmamos o estorno', 'Outros tickets deste cliente']) {
      expect(page.text).toContain(text);
    }
    // The flows' codes read as words: reason and payment method in pt-BR, not as stored.
    expect(page.text).toContain('desistência');
    expect(page.text).toContain('cartão de crédito');
    expect(page.text).not.toMatch(/>(desistencia|cartao)</);
  });

  it('lists the files the customer sent with the request; the owning team downloads them, nobody else', async () => {
    // A refund where the customer sends a PDF mid-flow (the WhatsApp channel stores it and passes its id).
    const db = p.h.app.db;
    const chat = '5511966665555';
    const { lastInsertRowid: fileId } = db.run(
      db.kysely.insertInto('attachments').values({
        channel: 'whatsapp', chat_id: chat, message_id: 'doc-1', kind: 'document', mimetype: 'application/pdf',
        file_name: 'comprovante <x>.pdf', size: 13, data: Buffer.from('%PDF-1.4 fake'), created_at: new Date().toISOString(),
      }),
    );
    const handle = (text: string, i: number, media?: { kind: 'document'; attachmentId: number }) =>
      p.h.app.engine.handle({ channel: 'whatsapp', chatId: chat, phone: chat, name: 'Rita', text, media, id: `att${i}`, timestamp: Date.now() - 60_000 + i * 1000 });
    const turns = ['quero o estorno da minha compra', '1', '529.982.247-25', '77001', '1', 'ontem', 'nao', '1'];
    turns.forEach((t, i) => handle(t, i));
    handle('', 20, { kind: 'document', attachmentId: fileId });
    const done = handle('sim', 21).replies.map((r) => r.text).join('\n');
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(done)![1];

    const { agent } = await login(p, 'finance@example.com');
    const page = await agent.get(`/tickets/${protocol}`).expect(200);
    expect(page.text).toContain('Anexos enviados pelo cliente');
    expect(page.text).toContain('comprovante &lt;x&gt;.pdf'); // escaped
    const file = await agent.get(`/tickets/${protocol}/anexos/${fileId}`).expect(200);
    expect(file.headers['content-type']).toMatch(/^application\/pdf/);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="comprovante _x_.pdf"/);
    expect(file.body.toString()).toBe('%PDF-1.4 fake');
    // Another ticket's protocol does not reach this file, and support cannot see the ticket at all.
    await agent.get(`/tickets/${refund.protocol}/anexos/${fileId}`).expect(404);
    const support = await login(p, 'support@example.com');
    await support.agent.get(`/tickets/${protocol}/anexos/${fileId}`).expect(404);
  });

  it('a file sent during a hand-over shows in the live conversation and the support team downloads it', async () => {
    const db = p.h.app.db;
    const chat = handoff.chat_id;
    const { lastInsertRowid: fileId } = db.run(
      db.kysely.insertInto('attachments').values({
        channel: 'whatsapp', chat_id: chat, message_id: 'ho-doc', kind: 'image', mimetype: 'image/jpeg',
        file_name: null, size: 4, data: Buffer.from('JPEG'), created_at: new Date().toISOString(),
      }),
    );
    p.h.app.engine.handle({ channel: 'whatsapp', chatId: chat, phone: chat, text: '', media: { kind: 'image', attachmentId: fileId }, id: 'ho-doc', timestamp: Date.now() });
    const { agent } = await login(p, 'support@example.com');
    const live = await agent.get(`/tickets/${handoff.protocol}/conversa`).expect(200);
    expect(live.text).toContain('[imagem]');
    expect(live.text).toContain(`/tickets/${handoff.protocol}/anexos/${fileId}`);
    const file = await agent.get(`/tickets/${handoff.protocol}/anexos/${fileId}`).expect(200);
    expect(file.headers['content-type']).toMatch(/^image\/jpeg/);
    // Finance does not see the hand-over ticket, so not its files either.
    const finance = await login(p, 'finance@example.com');
    await finance.agent.get(`/tickets/${handoff.protocol}/anexos/${fileId}`).expect(404);
  });

  it('a finance user gets 404 for a support ticket, on the page and on every action', async () => {
    const { agent } = await login(p, 'finance@example.com');
    await agent.get(`/tickets/${handoff.protocol}`).expect(404);
    await agent.get(`/tickets/${handoff.protocol}/conversa`).expect(404);
    const csrf = await csrfOf(agent);
    for (const path of ['assign', 'status', 'notes', 'close', 'reply', 'handover/close']) {
      await agent.post(`/tickets/${handoff.protocol}/${path}`).type('form').send({ _csrf: csrf, assignee: 'me', status: 'in_progress', text: 'x', outcome: 'resolved', message: 'x' }).expect(404);
    }
    const csv = await agent.get('/fila.csv?status=all');
    expect(csv.text).not.toContain(handoff.protocol);
  });

  it('assign to me, start, note, then resolve with a message queued for the customer', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent);
    const base = `/tickets/${refund.protocol}`;
    await agent.post(`${base}/assign`).type('form').send({ _csrf: csrf, assignee: 'me' }).expect(303);
    await agent.post(`${base}/status`).type('form').send({ _csrf: csrf, status: 'in_progress' }).expect(303);
    await agent.post(`${base}/notes`).type('form').send({ _csrf: csrf, text: 'Pedido conferido.' }).expect(303);
    const res = await agent.post(`${base}/close`).type('form').send({ _csrf: csrf, outcome: 'resolved', message: 'Seu estorno foi feito!' }).expect(303);
    expect(res.headers.location).toContain('ok=resolved');
    const page = await agent.get(`${base}?ok=resolved`);
    expect(page.text).toContain('Ticket resolvido e mensagem enviada');
    expect(page.text).toContain('Seu estorno foi feito!');
    expect(page.text).toContain('na fila de envio');
    expect(page.text).toContain('Pedido conferido.');
    expect(page.text).toContain('Fernanda Financeiro');
    // delivered later by the WhatsApp sender: the page shows it
    p.h.app.db.run(p.h.app.db.kysely.updateTable('outbound_messages').set({ status: 'sent', sent_at: new Date().toISOString() }).where('text', '=', 'Seu estorno foi feito!'));
    expect((await agent.get(base)).text).toContain('class="delivery delivery-sent">enviada');
    await agent.post(`${base}/status`).type('form').send({ _csrf: csrf, status: 'open' }).expect(303);
    expect((await agent.get(base)).text).toContain('<span class="status status-open">Aberto</span>');
  });

  it('hand-over: live conversation, reply, close gives the chat back to the bot', async () => {
    const { agent } = await login(p, 'support@example.com');
    p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5511977776666', phone: '5511977776666', text: 'o token não é reconhecido', id: 'h2', timestamp: Date.now() });
    const base = `/tickets/${handoff.protocol}`;
    const page = await agent.get(base).expect(200);
    expect(page.text).toContain('Conversa ao vivo');
    expect(page.text).toContain('o token não é reconhecido');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await agent.post(`${base}/reply`).type('form').send({ _csrf: csrf, text: 'Qual sistema operacional?' }).expect(303);
    const fragment = await agent.get(`${base}/conversa`).expect(200);
    expect(fragment.text).toContain('Qual sistema operacional?');
    await agent.post(`${base}/handover/close`).type('form').send({ _csrf: csrf }).expect(303);
    const after = await agent.get(base);
    expect(after.text).toContain('Atendimento humano encerrado');
    expect(after.text).toContain('Resolvido');
  });

  it('refuses an invalid transition with a message', async () => {
    const { agent } = await login(p, 'support@example.com');
    const csrf = await csrfOf(agent);
    const res = await agent.post(`/tickets/${handoff.protocol}/status`).type('form').send({ _csrf: csrf, status: 'rejected' });
    expect(res.status).toBe(409);
  });
});

describe('CSV export', () => {
  it('UTF-8 with BOM, semicolons, personal data for the owning team only', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const res = await agent.get('/fila.csv?status=all').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const buf = res.body as Buffer;
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('protocolo;tipo;equipe;status;aberto_em;atualizado_em;encerrado_em;responsavel;pedido;nome;telefone;cpf_cnpj;email');
    const row = lines.find((l) => l.startsWith(refund.protocol))!;
    expect(row).toContain('Joana Cliente');
    expect(row).toContain('529.982.247-25');
    const admin = await (await login(p, 'admin@example.com')).agent.get('/fila.csv?status=all');
    const adminRow = admin.text.split('\r\n').find((l) => l.startsWith(refund.protocol))!;
    expect(adminRow).not.toContain('Joana Cliente');
    expect(adminRow).not.toContain('529.982.247-25');
    expect(adminRow).toContain('***.982.***-**');
    expect(admin.text).toContain(handoff.protocol);
  });
});

describe('account, tokens and users', () => {
  it('creates an API token shown once, usable on /api, then revoked', async () => {
    const { agent } = await login(p, 'finance@example.com');
    const csrf = await csrfOf(agent, '/conta');
    const res = await agent.post('/conta/tokens').type('form').send({ _csrf: csrf, name: 'ERP' }).expect(200);
    const token = /id="new-token" class="token" readonly value="(icp_[^"]+)"/.exec(res.text)![1];
    await request(p.url).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    const again = await agent.get('/conta');
    expect(again.text).not.toContain(token);
    const id = /action="\/conta\/tokens\/(\d+)\/revoke"/.exec(again.text.split('ERP')[1] ?? again.text)?.[1] ?? /action="\/conta\/tokens\/(\d+)\/revoke"/.exec(again.text)![1];
    await agent.post(`/conta/tokens/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
    const stored = p.h.app.db.all(p.h.app.db.kysely.selectFrom('api_tokens').select(['token_hash', 'revoked_at']));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('admins manage users; others get 404 there', async () => {
    const fin = await login(p, 'finance@example.com');
    await fin.agent.get('/usuarios').expect(404);
    const { agent } = await login(p, 'admin@example.com');
    const csrf = await csrfOf(agent, '/usuarios');
    await agent.post('/usuarios').type('form').send({ _csrf: csrf, name: 'Nova Pessoa', email: 'nova@example.com', role: 'support', password: 'curta' }).expect(400);
    await agent.post('/usuarios').type('form').send({ _csrf: csrf, name: 'Nova Pessoa', email: 'nova@example.com', role: 'support', password: 'uma-senha-longa' }).expect(303);
    expect((await login(p, 'nova@example.com', 'uma-senha-longa')).res.status).toBe(303);
    const id = findUserByEmail(p.h.app.db, 'nova@example.com')!.id;
    await agent.post(`/usuarios/${id}/disable`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await login(p, 'nova@example.com', 'uma-senha-longa')).res.status).toBe(401);
  });
});

describe('CLI', () => {
  const io = (input: string) => {
    let out = '';
    let err = '';
    return {
      io: {
        stdin: Readable.from([input]),
        stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
        stderr: new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }),
      },
      out: () => out,
      err: () => err,
    };
  };

  it('users add reads the password from stdin and never prints it; tokens create prints the token once', async () => {
    const a = io('senha-do-cli-123\n');
    expect(await runStaffCommand(p.h.app.db, 'users', ['add', '--name', 'Cli User', '--email', 'Cli@Example.com', '--role', 'finance'], a.io)).toBe(0);
    expect(a.out()).toContain('Usuário criado');
    expect(a.out()).not.toContain('senha-do-cli-123');
    expect((await login(p, 'cli@example.com', 'senha-do-cli-123')).res.status).toBe(303);
    const dup = io('senha-do-cli-123\n');
    expect(await runStaffCommand(p.h.app.db, 'users', ['add', '--name', 'X', '--email', 'cli@example.com', '--role', 'finance'], dup.io)).toBe(2);
    expect(dup.err()).toContain('Já existe');
    const bad = io('x\n');
    expect(await runStaffCommand(p.h.app.db, 'users', ['add', '--name', 'X', '--email', 'y@example.com', '--role', 'boss'], bad.io)).toBe(2);
    const t = io('');
    expect(await runStaffCommand(p.h.app.db, 'tokens', ['create', '--email', 'cli@example.com', '--name', 'ERP'], t.io)).toBe(0);
    const token = /icp_\S+/.exec(t.out())![0];
    const me = await request(p.url).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.email).toBe('cli@example.com');
    const list = io('');
    await runStaffCommand(p.h.app.db, 'tokens', ['list', '--email', 'cli@example.com'], list.io);
    expect(list.out()).not.toContain(token);
  });
});
