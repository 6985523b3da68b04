import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { isOffline } from '../../src/channels/whatsapp/connection.js';
import { createStaffApp } from '../../src/http/panel/app.js';
import { silentLogger } from '../../src/logger.js';
import { createUser } from '../../src/staff/users.js';
import { startRig, type Rig } from '../whatsapp/setup.js';
import { mountWhatsApp, PASSWORD } from './support.js';

// The /whatsapp admin page inside the panel: its layout and navigation, panel admins without the
// token, the token still working before any staff user exists, and "sem conexão com a internet".

const TOKEN = 'painel-token-de-admin-0123456789';
let rig: Rig;
let server: http.Server;
let url: string;

beforeAll(async () => {
  rig = await startRig();
  const now = new Date().toISOString();
  await createUser(rig.app.db, { name: 'Ana Admin', email: 'admin@example.com', role: 'admin', password: PASSWORD, now });
  await createUser(rig.app.db, { name: 'Fernanda Financeiro', email: 'finance@example.com', role: 'finance', password: PASSWORD, now });
  const staff = createStaffApp({ db: rig.app.db, engine: rig.app.engine, logger: silentLogger, config: rig.app.config, panel: { loginDelayMs: 0 } });
  server = http.createServer(mountWhatsApp(rig, staff, TOKEN));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rig.close();
});

async function session(email: string) {
  const agent = request.agent(url);
  const page = await agent.get('/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  await agent.post('/login').type('form').send({ _csrf: csrf, email, password: PASSWORD, next: '/fila' }).expect(303);
  return agent;
}

describe('WhatsApp page in the panel', () => {
  it('a panel admin opens it from the navigation, in the panel layout, without the token', async () => {
    const admin = await session('admin@example.com');
    const queue = await admin.get('/fila');
    expect(queue.text).toContain('<li><a href="/whatsapp/">WhatsApp</a></li>');
    const page = await admin.get('/whatsapp/').expect(200);
    expect(page.text).toContain('<link rel="stylesheet" href="/static/panel.css">');
    expect(page.text).toContain('<script src="/whatsapp/admin.js" defer></script>');
    expect(page.text).toContain('<a href="/fila">Fila');
    expect(page.text).toContain('Ana Admin');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/<script>|onclick=|style=/);
    expect((await admin.get('/whatsapp/state.json').expect(200)).body.state).toBe('open');
  });

  it('other staff are refused; the token still opens it (first run, no staff user needed)', async () => {
    const finance = await session('finance@example.com');
    await finance.get('/whatsapp/').expect(401);
    await finance.get('/whatsapp/state.json').expect(401);
    const fin = await finance.get('/fila');
    expect(fin.text).not.toContain('href="/whatsapp/"');
    const agent = request.agent(url);
    await agent.get(`/whatsapp?token=${TOKEN}`).expect(303);
    const page = await agent.get('/whatsapp/').expect(200);
    expect(page.text).toContain('Aberto com o token de administração');
    expect(page.text).toContain('<a href="/login">Entrar no painel</a>');
  });

  it('when the socket cannot reach WhatsApp at all, the state says so ("sem conexão com a internet")', async () => {
    expect(isOffline(Object.assign(new Error('WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)'), { output: { statusCode: 408 }, data: { code: 'ENOTFOUND' } }))).toBe(true);
    expect(isOffline(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isOffline(Object.assign(new Error('Connection Closed'), { output: { statusCode: 428 } }))).toBe(false);
    rig.sock().close(408, 'WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)');
    const admin = await session('admin@example.com');
    const s = (await admin.get('/whatsapp/state.json').expect(200)).body as { state: string; lastDisconnect: { offline?: boolean; code: number } };
    expect(s.state).toBe('reconnecting');
    expect(s.lastDisconnect).toMatchObject({ code: 408, offline: true });
    const js = await admin.get('/whatsapp/admin.js').expect(200);
    expect(js.text).toContain("'sem conexão com a internet'");
  });
});
