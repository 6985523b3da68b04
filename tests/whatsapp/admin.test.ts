import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { createWhatsAppAdmin } from '../../src/channels/whatsapp/admin.js';
import { WhatsAppChannel } from '../../src/channels/whatsapp/channel.js';
import { loadWhatsAppConfig } from '../../src/channels/whatsapp/config.js';
import { createWhatsAppRuntime } from '../../src/channels/whatsapp/start.js';
import type { Engine } from '../../src/conversation/engine.js';
import { Db } from '../../src/db/database.js';
import { createHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/logger.js';
import { tempDir } from '../support/harness.js';
import { FakeSocket } from './fakes.js';
import { FAST_ENV } from './setup.js';

const TOKEN = 'test-admin-token-0123456789';

describe('/whatsapp admin page and readiness', () => {
  let dir: string;
  let db: Db;
  let channel: WhatsAppChannel;
  const sockets: FakeSocket[] = [];
  let app: express.Express;
  beforeAll(async () => {
    dir = tempDir('wa-admin-');
    db = await Db.open(path.join(dir, 'bot.db'));
    const config = loadWhatsAppConfig({ ...FAST_ENV, ADMIN_TOKEN: TOKEN });
    channel = new WhatsAppChannel({
      db,
      engine: {} as Engine,
      logger: silentLogger,
      config,
      printQr: false,
      socketFactory: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    });
    channel.start();
    const staff = createHttpApp({ logger: silentLogger, health: { readiness: () => ({ ready: true, details: {} }) } });
    const runtime = createWhatsAppRuntime({ db, engine: {} as Engine, logger: silentLogger, config: { ...config, enabled: false } });
    expect(runtime.mount(staff)).toBe(staff); // disabled: nothing mounted
    app = express();
    app.use('/whatsapp', createWhatsAppAdmin({ channel, token: TOKEN, logger: silentLogger }));
    app.get('/readyz', (_req, res) => {
      const r = channel.readiness();
      res.status(r.ready ? 200 : 503).json({ ready: r.ready, ...r.details });
    });
  });
  afterAll(async () => {
    await channel.stop();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses without the token', async () => {
    await request(app).get('/whatsapp/').expect(401);
    await request(app).get('/whatsapp/state.json').expect(401);
    await request(app).get('/whatsapp/?token=wrong').expect(401);
  });

  it('trades ?token= for an HttpOnly cookie and serves a CSP page without inline scripts', async () => {
    const r = await request(app).get(`/whatsapp?token=${TOKEN}`).expect(303);
    expect(r.headers.location).toBe('/whatsapp/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await request(app).get('/whatsapp/').set('Cookie', cookie.split(';')[0]!).expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script src="/whatsapp/admin.js" defer></script>');
    expect(page.text).not.toMatch(/<script>|<script [^s]|onclick=|style=/);
    const js = await request(app).get('/whatsapp/admin.js').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
  });

  it('shows the QR as an image and the live state; readiness follows the connection', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    sockets.at(-1)!.ev.emit('connection.update', { qr: '2@qr-ref,abc,def' });
    const s = await request(app).get('/whatsapp/state.json').set(auth).expect(200);
    expect(s.body).toMatchObject({ state: 'waiting_qr', linked: false });
    expect(s.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(s.body.qr).toBeUndefined();
    const notReady = await request(app).get('/readyz').expect(503);
    expect(notReady.body).toMatchObject({ ready: false, whatsapp: 'waiting_qr' });

    const code = await request(app).post('/whatsapp/pairing-code').set(auth).send({ phone: '+55 (11) 99999-0001' }).expect(200);
    expect(code.body).toEqual({ code: 'ABCD1234' });
    expect(sockets.at(-1)!.pairingCodes).toEqual(['5511999990001']);
    await request(app).post('/whatsapp/pairing-code').set(auth).send({ phone: '12' }).expect(400);
    await request(app).post('/whatsapp/pairing-code').set(auth).type('form').send('phone=5511999990001').expect(415);

    sockets.at(-1)!.close(428);
    const r = await request(app).get('/readyz').expect(503);
    expect(r.body).toMatchObject({ ready: false, whatsapp: 'reconnecting', attempt: 1, lastDisconnect: { code: 428 } });
    await new Promise((res) => setTimeout(res, 20));
    sockets.at(-1)!.open();
    await request(app).get('/readyz').expect(200);
    await request(app).post('/whatsapp/restart').set(auth).send({}).expect(200);
    expect(channel.status().state).toBe('connecting');
  });
});
