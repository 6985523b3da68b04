import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { handoffConversation, refundConversation, startPanel, type Panel } from '../panel/support.js';
import type { Ticket } from '../../src/db/schema.js';

// The JSON API over a real port: bearer tokens, list/filter/search, show, actions, and team
// isolation (a finance token asking for a support ticket gets 404, in lists and exports too).

let p: Panel;
let refund: Ticket;
let handoff: Ticket;
const bearer = (role: 'finance' | 'support' | 'admin') => ({ Authorization: `Bearer ${p.users[role].token}` });

beforeAll(async () => {
  p = await startPanel();
  refund = refundConversation(p, '5511988887777', 'Joana Cliente');
  handoff = handoffConversation(p, '5511977776666', 'Carlos');
});
afterAll(() => p.close());

describe('authentication', () => {
  it('refuses requests without a token or with a wrong or revoked one', async () => {
    await request(p.url).get('/api/tickets').expect(401);
    const res = await request(p.url).get('/api/tickets').set('Authorization', 'Bearer icp_wrong').expect(401);
    expect(res.body.error).toBe('unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('tells who the token belongs to', async () => {
    const res = await request(p.url).get('/api/me').set(bearer('finance')).expect(200);
    expect(res.body).toMatchObject({ role: 'finance', teams: ['finance'], email: 'finance@example.com' });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/);
  });

  it('does not accept a session cookie instead of a token', async () => {
    await request(p.url).get('/api/tickets').set('Cookie', 'ic_session=anything').expect(401);
  });
});

describe('listing and search', () => {
  it('lists the team queue oldest first, with SLA and customer', async () => {
    const res = await request(p.url).get('/api/tickets').set(bearer('finance')).expect(200);
    expect(res.body.tickets.map((t: { protocol: string }) => t.protocol)).toEqual([refund.protocol]);
    expect(res.body.tickets[0]).toMatchObject({ type: 'refund', team: 'finance', status: 'open', customer: { name: 'Joana Cliente' }, sla: { level: 'ok', targetHours: 24 } });
    expect(res.body.next).toBeNull();
  });

  it('support sees only support tickets; admin sees both', async () => {
    const s = await request(p.url).get('/api/tickets').set(bearer('support')).expect(200);
    expect(s.body.tickets.map((t: { protocol: string }) => t.protocol)).toEqual([handoff.protocol]);
    const a = await request(p.url).get('/api/tickets').set(bearer('admin')).expect(200);
    expect(a.body.tickets).toHaveLength(2);
    const onlySupport = await request(p.url).get('/api/tickets?team=support').set(bearer('admin')).expect(200);
    expect(onlySupport.body.tickets).toHaveLength(1);
  });

  it('a finance user cannot widen the filter to the support team', async () => {
    const res = await request(p.url).get('/api/tickets?team=support&status=all').set(bearer('finance')).expect(200);
    expect(res.body.tickets.every((t: { team: string }) => t.team === 'finance')).toBe(true);
  });

  it('searches by protocol, CPF (formatted or not), order number and filters by type and status', async () => {
    for (const q of [refund.protocol, 'fin-1', '529.982.247-25', '52998224725', '48213']) {
      const res = await request(p.url).get('/api/tickets').query({ q }).set(bearer('finance')).expect(200);
      expect(res.body.tickets.map((t: { protocol: string }) => t.protocol)).toEqual([refund.protocol]);
    }
    const none = await request(p.url).get('/api/tickets').query({ q: 'ninguem@example.com' }).set(bearer('finance')).expect(200);
    expect(none.body.tickets).toEqual([]);
    const byType = await request(p.url).get('/api/tickets?type=boleto_renewal').set(bearer('finance')).expect(200);
    expect(byType.body.tickets).toEqual([]);
    const resolved = await request(p.url).get('/api/tickets?status=resolved').set(bearer('finance')).expect(200);
    expect(resolved.body.tickets).toEqual([]);
  });

  it('a support token searching for the finance ticket finds nothing', async () => {
    const res = await request(p.url).get('/api/tickets').query({ q: refund.protocol }).set(bearer('support')).expect(200);
    expect(res.body.tickets).toEqual([]);
  });
});

describe('isolation by team', () => {
  it('returns 404 for the other team’s ticket on every route', async () => {
    await request(p.url).get(`/api/tickets/${handoff.protocol}`).set(bearer('finance')).expect(404);
    await request(p.url).get(`/api/tickets/${refund.protocol}`).set(bearer('support')).expect(404);
    for (const [path, body] of [
      ['assign', { assignee: 'me' }],
      ['status', { status: 'in_progress' }],
      ['notes', { text: 'x' }],
      ['resolve', { message: 'x' }],
      ['reject', { message: 'x' }],
      ['messages', { text: 'x' }],
      ['handover/close', {}],
    ] as const) {
      const res = await request(p.url).post(`/api/tickets/${refund.protocol}/${path}`).set(bearer('support')).send(body);
      expect(res.status).toBe(404);
    }
    const events = p.h.app.db.all(p.h.app.db.kysely.selectFrom('ticket_events').select('kind').where('ticket_id', '=', refund.id));
    expect(events.map((e) => e.kind)).toEqual(['created']);
  });

  it('the CSV export holds only the user’s team', async () => {
    const res = await request(p.url).get('/api/tickets.csv?status=all').set(bearer('support')).expect(200);
    expect(res.text).toContain(handoff.protocol);
    expect(res.text).not.toContain(refund.protocol);
  });
});

describe('actions', () => {
  it('shows a ticket with data, excerpt, history and templates', async () => {
    const res = await request(p.url).get(`/api/tickets/${refund.protocol}`).set(bearer('finance')).expect(200);
    expect(res.body.data).toMatchObject({ orderNumber: '48213', reason: 'desistencia' });
    expect(res.body.excerpt.length).toBeGreaterThan(0);
    expect(res.body.history[0]).toMatchObject({ kind: 'created', actor: 'bot' });
    expect(res.body.templates.resolved).toContain('estorno');
  });

  it('assigns, moves to in progress, adds a note, rejects an invalid transition', async () => {
    let res = await request(p.url).post(`/api/tickets/${refund.protocol}/assign`).set(bearer('finance')).send({ assignee: 'me' }).expect(200);
    expect(res.body.assignee).toMatchObject({ id: p.users.finance.id, name: 'Fernanda Financeiro' });
    await request(p.url).post(`/api/tickets/${refund.protocol}/assign`).set(bearer('finance')).send({ assignee: p.users.support.id }).expect(400);
    res = await request(p.url).post(`/api/tickets/${refund.protocol}/status`).set(bearer('finance')).send({ status: 'in_progress' }).expect(200);
    expect(res.body.status).toBe('in_progress');
    await request(p.url).post(`/api/tickets/${refund.protocol}/status`).set(bearer('finance')).send({ status: 'bogus' }).expect(409);
    res = await request(p.url).post(`/api/tickets/${refund.protocol}/notes`).set(bearer('finance')).send({ text: 'Conferi no gateway.' }).expect(201);
    expect(res.body.history.map((e: { kind: string }) => e.kind)).toEqual(['created', 'assigned', 'status', 'note']);
    await request(p.url).post(`/api/tickets/${refund.protocol}/notes`).set(bearer('finance')).send({ text: '   ' }).expect(400);
  });

  it('resolves with a message that goes to the customer’s outbox, with its delivery status', async () => {
    const res = await request(p.url).post(`/api/tickets/${refund.protocol}/resolve`).set(bearer('finance')).send({ message: 'Estorno confirmado!' }).expect(200);
    expect(res.body.status).toBe('resolved');
    expect(res.body.closedAt).not.toBeNull();
    const msg = res.body.history.find((e: { kind: string }) => e.kind === 'message');
    expect(msg).toMatchObject({ delivery: 'queued', detail: { text: 'Estorno confirmado!', outcome: 'resolved', channel: 'whatsapp' } });
    const out = p.h.app.db.first(p.h.app.db.kysely.selectFrom('outbound_messages').selectAll().where('id', '=', res.body.messageId))!;
    expect(out).toMatchObject({ chat_id: '5511988887777', channel: 'whatsapp', text: 'Estorno confirmado!', status: 'queued', in_reply_to: null });
    await request(p.url).post(`/api/tickets/${refund.protocol}/reject`).set(bearer('finance')).send({ message: 'x' }).expect(409);
    const reopened = await request(p.url).post(`/api/tickets/${refund.protocol}/status`).set(bearer('finance')).send({ status: 'open' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null });
  });

  it('hand-over: shows the live conversation, replies, and gives the chat back to the bot', async () => {
    p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5511977776666', phone: '5511977776666', text: 'meu certificado não instala', id: 'h2', timestamp: Date.now() });
    let res = await request(p.url).get(`/api/tickets/${handoff.protocol}`).set(bearer('support')).expect(200);
    expect(res.body.conversation.map((m: { text: string }) => m.text)).toContain('meu certificado não instala');
    res = await request(p.url).post(`/api/tickets/${handoff.protocol}/messages`).set(bearer('support')).send({ text: 'Oi Carlos, qual o erro?' }).expect(201);
    expect(res.body.status).toBe('in_progress');
    expect(res.body.conversation.at(-1)).toMatchObject({ from: 'bot', text: 'Oi Carlos, qual o erro?', delivery: 'queued' });
    res = await request(p.url).post(`/api/tickets/${handoff.protocol}/handover/close`).set(bearer('support')).send({ message: 'Resolvido, obrigado!' }).expect(200);
    expect(res.body.status).toBe('resolved');
    expect(res.body.history.map((e: { kind: string }) => e.kind)).toContain('handoff_closed');
    // Back with the bot: a question is answered again.
    const replies = p.h.app.engine.handle({ channel: 'whatsapp', chatId: '5511977776666', phone: '5511977776666', text: 'menu', id: 'h3', timestamp: Date.now() + 1000 }).replies;
    expect(replies.length).toBeGreaterThan(0);
  });

  it('rejects a malformed JSON body and unknown routes with JSON errors', async () => {
    const bad = await request(p.url).post(`/api/tickets/${refund.protocol}/notes`).set(bearer('finance')).set('Content-Type', 'application/json').send('{"text":');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bad_request');
    await request(p.url).get('/api/nothing').set(bearer('finance')).expect(404);
  });
});
