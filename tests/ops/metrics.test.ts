import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createStaffApp } from '../../src/http/panel/app.js';
import { silentLogger } from '../../src/logger.js';
import { setOutboxSource } from '../../src/metrics.js';
import { createApiToken, createUser } from '../../src/staff/users.js';
import { text, waMessage } from '../whatsapp/fakes.js';
import { startRig, type Rig } from '../whatsapp/setup.js';

// GET /metrics on a real port, over the real engine and the WhatsApp channel on a fake socket:
// what an operator's Prometheus would read after real traffic.

const TOKEN = 'metrics-token-0123456789';
let rig: Rig;
let server: http.Server;
let url = '';
let apiToken = '';

beforeAll(async () => {
  rig = await startRig();
  const config = { ...rig.app.config, metricsToken: TOKEN };
  server = http.createServer(createStaffApp({ db: rig.app.db, engine: rig.app.engine, logger: silentLogger, config, panel: { loginDelayMs: 0 } }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const u = await createUser(rig.app.db, { name: 'Fernanda', email: 'fin@example.com', role: 'finance', password: 'senha-de-teste-123', now: new Date().toISOString() });
  apiToken = createApiToken(rig.app.db, u.id, 't', new Date().toISOString()).token;
  setOutboxSource(() => ({ whatsapp: rig.outbox().filter((o) => o.status === 'queued').length }));
});
afterAll(async () => {
  setOutboxSource(undefined);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rig.close();
});

const scrape = async (): Promise<string> => {
  const res = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};
/** A sample's value ('' labels: the unlabelled series), 0 when absent. */
const value = (body: string, name: string, labels = ''): number => {
  const line = body.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

describe('GET /metrics', () => {
  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const body = await scrape();
    // prom-client's default process metrics are there.
    expect(body).toMatch(/^process_cpu_user_seconds_total /m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('counts messages in and out, answers by entry, ask-backs, fallbacks, tickets and the connection', async () => {
    const before = await scrape();
    const from = '5511988880001@s.whatsapp.net';
    const say = async (t: string) => {
      await rig.channel.inbound.upsert(rig.sock(), { type: 'notify', messages: [waMessage({ from, message: text(t) })] });
      await rig.settle();
    };
    await say('qdo recebo minha comissao?');
    await say('xkcd zzz qwerty plim');
    await say('menu');
    // A refund request to the end: a ticket opens.
    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'ontem', 'nao', '1', 'isso']) await say(t);
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(rig.sock().sent.map((s) => s.text).join('\n'))?.[1];
    expect(protocol).toBeDefined();
    const resolved = await fetch(`${url}/api/tickets/${protocol}/resolve`, { method: 'POST', headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(resolved.status).toBe(200);

    const after = await scrape();
    const delta = (name: string, labels = '') => value(after, name, labels) - value(before, name, labels);
    expect(delta('messages_received_total', 'channel="whatsapp"')).toBe(12);
    expect(delta('messages_sent_total', 'channel="whatsapp"')).toBe(rig.outbox().filter((o) => o.status === 'sent').length);
    // The per-hour decisions (no text) say which entry answered the commission question.
    rig.app.engine.flushStats(); // counted in memory, written about once a second
    const stats = rig.app.db.sqlite.prepare('select kind, entry, sum(n) n from message_stats group by kind, entry').all() as Array<{ kind: string; entry: string; n: number }>;
    const commission = stats.find((r) => r.kind === 'answer' && r.entry.includes('comissao'));
    expect(commission).toBeDefined();
    for (const r of stats.filter((x) => x.kind === 'answer')) expect(delta('faq_answers_total', `entry="${r.entry}"`)).toBe(r.n);
    expect(delta('nlu_fallbacks_total')).toBe(stats.find((r) => r.kind === 'none')?.n ?? 0);
    expect(delta('nlu_fallbacks_total')).toBeGreaterThanOrEqual(1);
    // Answers inside the request count for the flow, not as unanswered questions.
    expect(stats.find((r) => r.kind === 'flow')?.n).toBeGreaterThanOrEqual(7);
    expect(stats.reduce((n, r) => n + r.n, 0)).toBe(12);
    expect(delta('tickets_opened_total', 'type="refund"')).toBe(1);
    expect(delta('tickets_closed_total', 'type="refund",outcome="resolved"')).toBe(1);
    // The request was counted by the router as it started and as it ended.
    expect(delta('flow_events_total', 'flow="refund",event="start"')).toBe(1);
    expect(delta('flow_events_total', 'flow="refund",event="complete"')).toBe(1);
    expect(delta('flow_events_total', 'flow="refund",event="cancel"')).toBe(0);
    expect(value(after, 'whatsapp_connection_state', 'state="open"')).toBe(1);
    expect(value(after, 'whatsapp_connection_state', 'state="reconnecting"')).toBe(0);
    expect(delta('message_handling_seconds_count', 'channel="whatsapp"')).toBe(12);
    // Resolving also queued the satisfaction survey's question: the gauge is what the outbox holds.
    const queued = rig.outbox().filter((o) => o.status === 'queued').length;
    expect(queued).toBeLessThanOrEqual(1);
    expect(after).toMatch(new RegExp(`^outbox_queued\\{channel="whatsapp"\\} ${queued}$`, 'm'));
  });

  it('a reconnect is counted and the state follows the connection', async () => {
    const before = value(await scrape(), 'whatsapp_reconnects_total');
    rig.sock().close(408);
    const during = await scrape();
    expect(value(during, 'whatsapp_connection_state', 'state="reconnecting"')).toBe(1);
    for (let i = 0; i < 100 && rig.channel.status().state !== 'connecting'; i++) await new Promise((r) => setTimeout(r, 5));
    rig.sock().open();
    const after = await scrape();
    expect(value(after, 'whatsapp_reconnects_total') - before).toBe(1);
    expect(value(after, 'whatsapp_connection_state', 'state="open"')).toBe(1);
  });
});
