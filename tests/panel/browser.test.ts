import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createTicket } from '../../src/tickets/tickets.js';
import { browserAvailable, describeInBrowser, launchChromium, logIn as logInAt, startChatPanel, watchErrors, type ChatPanel } from './browser-support.js';

// Headless Chromium (Debian's package, driven by playwright-core) against the real panel, the
// real engine and flows, and the WhatsApp channel on a fake socket: a customer asks for a refund
// on "WhatsApp", a finance user resolves it in the browser, and the message reaches the chat.
// The screenshots in docs/ come from tests/panel/layout.test.ts.

jest.setTimeout(90_000);

const PHONE = '5511988887777';
let cp: ChatPanel;
let url: string;
let browser: Browser;
const consoleErrors: string[] = [];

const say = (t: string) => cp.say(PHONE, t, 'Joana Cliente');
const logIn = (page: Page, email: string) => logInAt(page, url, email);

beforeAll(async () => {
  if (!browserAvailable) return;
  cp = await startChatPanel({ roles: ['finance', 'support'] });
  url = cp.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await cp?.close();
});

describeInBrowser('staff panel in a browser', () => {
  let protocol = '';

  it('a customer asks for a refund on WhatsApp: the flow opens a finance ticket', async () => {
    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'ontem', 'nao', '1', 'isso']) await say(t);
    protocol = cp.lastProtocol();
    expect(protocol).toMatch(/^FIN-/);
    // a few older tickets, so the queue shows its SLA colours
    const hours = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const base = { chatId: '5521955554444', phone: '5521955554444', data: {}, excerpt: [] };
    createTicket(cp.rig.app.db, { ...base, type: 'boleto_renewal', team: 'finance', contactName: 'Marcos Prado', orderNumber: '48190', now: hours(5) });
    createTicket(cp.rig.app.db, { ...base, type: 'refund', team: 'finance', contactName: null, orderNumber: '48201', now: hours(20) });
    createTicket(cp.rig.app.db, { ...base, type: 'boleto_renewal', team: 'finance', contactName: 'Luísa Andrade', orderNumber: '48222', now: hours(1) });
  });

  it('finance logs in, finds the refund, resolves it with a message; the customer’s chat receives it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'pt-BR' });
    const page = await context.newPage();
    watchErrors(page, consoleErrors);
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
    await cp.deliver(() => cp.sentTo(PHONE).includes(reply));
    expect(cp.sentTo(PHONE).filter((t) => t === reply)).toEqual([reply]);
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
