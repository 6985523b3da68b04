import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createStaffApp } from '../../src/http/panel/app.js';
import { silentLogger } from '../../src/logger.js';
import { createUser } from '../../src/staff/users.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { text, waMessage } from '../whatsapp/fakes.js';
import { startRig, type Rig } from '../whatsapp/setup.js';
import { PASSWORD } from './support.js';

// Headless Chromium (Debian's package, driven by playwright-core) against the real panel, the
// real engine and flows, and the WhatsApp channel on a fake socket: a customer asks for a refund
// on "WhatsApp", a finance user resolves it in the browser, and the message reaches the chat.
// The screenshots in docs/ come from tests/panel/layout.test.ts.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} missing: .ci/run installs Debian's chromium`);
const maybe = available ? describe : describe.skip;
jest.setTimeout(90_000);

const PN = '5511988887777@s.whatsapp.net';
let rig: Rig;
let server: http.Server;
let url: string;
let browser: Browser;
const consoleErrors: string[] = [];

async function say(t: string) {
  await rig.channel.inbound.upsert(rig.sock(), { type: 'notify', messages: [waMessage({ from: PN, message: text(t), pushName: 'Joana Cliente' })] });
  await rig.settle();
}

async function logIn(page: Page, email: string) {
  await page.goto(`${url}/fila`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(`${url}/fila`);
}

beforeAll(async () => {
  if (!available) return;
  rig = await startRig();
  const now = new Date().toISOString();
  await createUser(rig.app.db, { name: 'Fernanda Financeiro', email: 'finance@example.com', role: 'finance', password: PASSWORD, now });
  await createUser(rig.app.db, { name: 'Sérgio Suporte', email: 'support@example.com', role: 'support', password: PASSWORD, now });
  server = http.createServer(createStaffApp({ db: rig.app.db, engine: rig.app.engine, logger: silentLogger, config: rig.app.config, panel: { loginDelayMs: 0 } }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  if (!available) return;
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rig.close();
});

maybe('staff panel in a browser', () => {
  let protocol = '';

  it('a customer asks for a refund on WhatsApp: the flow opens a finance ticket', async () => {
    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'ontem', 'nao', '1', 'isso']) await say(t);
    const last = rig.sock().sent.at(-1)!.text;
    protocol = /Protocolo \*(FIN-\d{6})\*/.exec(last)?.[1] ?? '';
    expect(protocol).toMatch(/^FIN-/);
    // a few older tickets, so the queue shows its SLA colours
    const hours = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const base = { chatId: '5521955554444', phone: '5521955554444', data: {}, excerpt: [] };
    createTicket(rig.app.db, { ...base, type: 'boleto_renewal', team: 'finance', contactName: 'Marcos Prado', orderNumber: '48190', now: hours(5) });
    createTicket(rig.app.db, { ...base, type: 'refund', team: 'finance', contactName: null, orderNumber: '48201', now: hours(20) });
    createTicket(rig.app.db, { ...base, type: 'boleto_renewal', team: 'finance', contactName: 'Luísa Andrade', orderNumber: '48222', now: hours(1) });
  });

  it('finance logs in, finds the refund, resolves it with a message; the customer’s chat receives it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await logIn(page, 'finance@example.com');
    await expect(page.getByRole('heading', { name: 'Fila do Financeiro' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: protocol }).isVisible()).resolves.toBe(true);

    // search by CPF, then open the ticket
    await page.getByLabel('Buscar por protocolo, CPF/CNPJ, pedido ou e-mail').fill('529.982.247-25');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.getByRole('link', { name: protocol }).click();
    await page.waitForURL(`${url}/tickets/${protocol}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(protocol);
    const message = page.getByLabel('Mensagem (deixe em branco para não enviar)');
    await expect(message.inputValue()).resolves.toContain('Confirmamos o estorno');
    // the small script swaps the template with the outcome (CSP allows /static/panel.js only)
    await page.getByLabel('Recusar').check();
    await expect(message.inputValue()).resolves.toContain('Não foi possível fazer o estorno');
    await page.getByLabel('Resolver').check();
    await expect(message.inputValue()).resolves.toContain('Confirmamos o estorno');
    await page.getByRole('button', { name: 'Assumir (atribuir a mim)' }).click();
    await page.getByRole('button', { name: 'Iniciar atendimento' }).click();
    await page.getByLabel('Nova nota (não é enviada ao cliente)').fill('Estorno aprovado no gateway, NSU 123456.');
    await page.getByRole('button', { name: 'Adicionar nota' }).click();

    const reply = 'Olá, Joana! Seu estorno do pedido 48213 foi aprovado e o valor aparece na próxima fatura do cartão.';
    await message.fill(reply);
    await page.getByRole('button', { name: 'Encerrar e enviar' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Ticket resolvido e mensagem enviada');
    await expect(page.locator('.history').textContent()).resolves.toContain('na fila de envio');

    // the WhatsApp sender drains the outbox to the customer's chat
    for (let i = 0; i < 100 && !rig.sock().sent.some((s) => s.text === reply); i++) {
      rig.channel.outbox.kick();
      await rig.settle();
    }
    expect(rig.sock().sent.filter((s) => s.text === reply)).toEqual([expect.objectContaining({ jid: PN, text: reply })]);
    await page.reload();
    await expect(page.locator('.history').textContent()).resolves.toContain('enviada');
    await expect(page.locator('.summary').textContent()).resolves.toContain('Resolvido');

    // keyboard: the first Tab reaches the skip link
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement && document.activeElement.textContent')).resolves.toBe('Pular para o conteúdo');
    await context.close();
  });

  it('on a phone screen the queue is readable without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'pt-BR' });
    const page = await context.newPage();
    await logIn(page, 'finance@example.com');
    await page.goto(`${url}/fila?status=all`);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('support cannot see the refund ticket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'support@example.com');
    await expect(page.getByRole('heading', { name: 'Fila do Suporte' }).isVisible()).resolves.toBe(true);
    await expect(page.content()).resolves.not.toContain(protocol);
    await page.goto(`${url}/fila?status=all&q=${protocol}`);
    await expect(page.content()).resolves.toContain('Nenhum ticket encontrado');
    const res = await page.goto(`${url}/tickets/${protocol}`);
    expect(res?.status()).toBe(404);
    await expect(page.content()).resolves.not.toContain('Joana');
    await context.close();
  });

  it('no script or CSP errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
