import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { StaffRole } from '../../src/db/schema.js';
import { createStaffApp } from '../../src/http/panel/app.js';
import { silentLogger } from '../../src/logger.js';
import type { PanelConfig } from '../../src/staff/config.js';
import { createUser } from '../../src/staff/users.js';
import { text, waMessage } from '../whatsapp/fakes.js';
import { startRig, type Rig } from '../whatsapp/setup.js';
import { mountWhatsApp, PASSWORD } from './support.js';

// What the browser tests share: Debian's Chromium driven by playwright-core, logging in through
// the form, the console watched for script and CSP errors, axe-core, and the panel in front of
// the real engine with the WhatsApp channel on a fake socket (customers "write on WhatsApp").

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = fs.existsSync(CHROMIUM);
if (!browserAvailable && process.env.CI) throw new Error(`${CHROMIUM} missing: .ci/run installs Debian's chromium`);
/** `describe`, or `describe.skip` where there is no Chromium (outside CI). */
export const describeInBrowser = browserAvailable ? describe : describe.skip;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Records the page's console errors and uncaught exceptions (a CSP refusal is a console error). */
export function watchErrors(page: Page, into: string[]): Page {
  page.on('console', (m) => m.type() === 'error' && into.push(m.text()));
  page.on('pageerror', (e) => into.push(String(e)));
  return page;
}

/**
 * Opens the queue, which sends a visitor to the log-in form, logs in there and waits to be back
 * on the queue (on `page`, or a new page of `context` when given a context).
 */
export async function logIn(target: Page | BrowserContext, base: string, email: string, password = PASSWORD): Promise<Page> {
  const page = 'newPage' in target ? await target.newPage() : target;
  await page.goto(`${base}/fila`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(`${base}/fila`);
  return page;
}

/** axe-core's serious and critical violations on the page, as "rule: targets". */
export async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export const STAFF: Record<StaffRole, { name: string; email: string }> = {
  finance: { name: 'Fernanda Financeiro', email: 'finance@example.com' },
  support: { name: 'Sérgio Suporte', email: 'support@example.com' },
  admin: { name: 'Ana Admin', email: 'admin@example.com' },
};

export interface ChatPanel {
  rig: Rig;
  url: string;
  /** A customer writes on (fake) WhatsApp; `from` is the phone number's digits. */
  say(from: string, text: string, name?: string): Promise<void>;
  /** The protocol in the bot's latest reply ("Protocolo *FIN-000001*"), or ''. */
  lastProtocol(): string;
  /** What the bot and staff sent to this phone on WhatsApp, in order. */
  sentTo(from: string): string[];
  /** Drains the outbox until `done` holds (the sender runs on its own timers). */
  deliver(done: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * The staff panel on a real port over the real engine, with the WhatsApp channel on a fake socket
 * and one user per role (STAFF, password PASSWORD). `whatsappToken` mounts the WhatsApp admin page
 * in front of the panel, as the bot does.
 */
export async function startChatPanel(o: { panel?: Partial<PanelConfig>; roles?: StaffRole[]; whatsappToken?: string } = {}): Promise<ChatPanel> {
  const rig = await startRig();
  const now = new Date().toISOString();
  for (const role of o.roles ?? (['finance', 'support', 'admin'] as const)) await createUser(rig.app.db, { ...STAFF[role], role, password: PASSWORD, now });
  const staff = createStaffApp({ db: rig.app.db, engine: rig.app.engine, logger: silentLogger, config: rig.app.config, panel: { loginDelayMs: 0, ...o.panel } });
  const server = http.createServer(o.whatsappToken ? mountWhatsApp(rig, staff, o.whatsappToken) : staff);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const jid = (from: string) => `${from}@s.whatsapp.net`;
  return {
    rig,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    say: async (from, t, name = 'Cliente') => {
      await rig.channel.inbound.upsert(rig.sock(), { type: 'notify', messages: [waMessage({ from: jid(from), message: text(t), pushName: name })] });
      await rig.settle();
    },
    lastProtocol: () => /Protocolo \*((?:FIN|SUP)-\d{6})\*/.exec(rig.sock().sent.at(-1)?.text ?? '')?.[1] ?? '',
    sentTo: (from) => rig.sockets.flatMap((s) => s.sent).filter((s) => s.jid === jid(from)).map((s) => s.text),
    deliver: async (done) => {
      for (let i = 0; i < 100 && !done(); i++) {
        rig.channel.outbox.kick();
        await rig.settle();
      }
    },
    close: async () => {
      (staff.locals.live as { close(): void } | undefined)?.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await rig.close();
    },
  };
}
