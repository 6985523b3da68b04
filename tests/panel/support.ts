import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createWhatsAppAdmin, type AdminPanelHooks } from '../../src/channels/whatsapp/admin.js';
import type { Rig } from '../whatsapp/setup.js';
import { createStaffApp } from '../../src/http/panel/app.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { PanelConfig } from '../../src/staff/config.js';
import { createApiToken, createUser } from '../../src/staff/users.js';
import { getTicketByProtocol } from '../../src/tickets/tickets.js';
import type { StaffRole, Ticket } from '../../src/db/schema.js';
import type { AppOverrides } from '../../src/app.js';
import { startHarness, type Harness } from '../support/harness.js';

// The staff panel on a real port over a real temp database and the real engine.

export const PASSWORD = 'senha-de-teste-123';

export interface Panel {
  h: Harness;
  url: string;
  server: http.Server;
  users: Record<StaffRole, { id: number; email: string; token: string }>;
  close(): Promise<void>;
}

export async function startPanel(panel: Partial<PanelConfig> = {}, overrides: AppOverrides = {}, o: { dbPath?: string; logger?: Logger } = {}): Promise<Panel> {
  const h = await startHarness({ env: { GREETING_ENABLED: 'false' }, overrides, dbPath: o.dbPath });
  const app = createStaffApp({ db: h.app.db, engine: h.app.engine, logger: o.logger ?? silentLogger, config: h.app.config, kb: h.app.kb, learning: h.app.learning, panel: { loginDelayMs: 0, ...panel } });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  const now = new Date().toISOString();
  const users = {} as Panel['users'];
  const names: Record<StaffRole, string> = { finance: 'Fernanda Financeiro', support: 'Sérgio Suporte', admin: 'Ana Admin' };
  for (const role of ['finance', 'support', 'admin'] as const) {
    const u = await createUser(h.app.db, { name: names[role], email: `${role}@example.com`, role, password: PASSWORD, now });
    users[role] = { id: u.id, email: u.email, token: createApiToken(h.app.db, u.id, 'testes', now).token };
  }
  return {
    h,
    url: `http://127.0.0.1:${port}`,
    server,
    users,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await h.close();
    },
  };
}

let seq = 0;
/** A WhatsApp customer asks for a refund through the real engine and flows; returns the ticket. */
export function refundConversation(p: Panel, from: string, name: string | undefined, order = '48213'): Ticket {
  const turns = ['quero o estorno da minha compra', '1', '529.982.247-25', order, '1', 'ontem', 'nao', '1', 'isso'];
  let last: string[] = [];
  const start = Date.now() - turns.length * 1000;
  turns.forEach((text, i) => {
    last = p.h.app.engine
      .handle({ channel: 'whatsapp', chatId: from, phone: from, name, text, id: `r${++seq}`, timestamp: start + i * 1000 })
      .replies.map((r) => r.text);
  });
  const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(last.join('\n'))?.[1];
  if (!protocol) throw new Error(`the refund flow did not open a ticket: ${last.join('\n')}`);
  return getTicketByProtocol(p.h.app.db, protocol)!;
}

/** A WhatsApp customer asks for a person; returns the hand-over ticket. */
export function handoffConversation(p: Panel, from: string, name: string): Ticket {
  p.h.app.engine.handle({ channel: 'whatsapp', chatId: from, phone: from, name, text: 'quero falar com um atendente', id: `h${++seq}`, timestamp: Date.now() });
  return p.h.app.db.first(p.h.app.db.kysely.selectFrom('tickets').selectAll().where('type', '=', 'human_handoff').where('chat_id', '=', from))!;
}

/** Logs in through the form (CSRF cookie + field) and returns the agent with its session. */
export async function login(p: Panel, email: string, password = PASSWORD) {
  const agent = request.agent(p.url);
  const page = await agent.get('/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const res = await agent.post('/login').type('form').send({ _csrf: csrf, email, password, next: '/fila' });
  return { agent, res };
}

/** The CSRF token of a logged-in page. */
export async function csrfOf(agent: ReturnType<typeof request.agent>, path = '/fila'): Promise<string> {
  const page = await agent.get(path);
  return /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
}

/** The WhatsApp admin router in front of the panel, as src/channels/whatsapp/start.ts mounts it. */
export function mountWhatsApp(r: Rig, staff: express.Express, token: string): express.Express {
  const outer = express();
  outer.use('/whatsapp', createWhatsAppAdmin({ channel: r.channel, token, logger: silentLogger, panel: staff.locals.whatsappPage as AdminPanelHooks }));
  outer.use(staff);
  return outer;
}

