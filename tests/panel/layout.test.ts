import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { importOrders, importPartners } from '../../src/tickets/import.js';
import { createTicket } from '../../src/tickets/tickets.js';
import { axeProblems as axe, browserAvailable, describeInBrowser, launchChromium, logIn as logInAt, startChatPanel, type ChatPanel } from './browser-support.js';
import { recordRating } from '../../src/tickets/ratings.js';

// Every page of the panel in real Chromium, on a 390×844 phone and a 1366×768 laptop: no
// sideways scrolling, no word broken in the middle (measured in the page), no serious or
// critical accessibility violation (axe-core). PANEL_SCREENSHOTS=1 writes the screenshots the
// README shows to docs/ (otherwise to a temp folder).

jest.setTimeout(180_000);

const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  laptop: { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
} as const;

let cp: ChatPanel;
let url: string;
let browser: Browser;
let shots: string;
const protocols: Record<string, string> = {};

const say = (from: string, name: string, t: string) => cp.say(from, t, name);
const lastProtocol = () => cp.lastProtocol();
const logIn = async (context: BrowserContext, email: string): Promise<Page> => logInAt(context, url, email);

beforeAll(async () => {
  if (!browserAvailable) return;
  cp = await startChatPanel({ whatsappToken: 'token-do-teste-de-layout-0123456789' });
  url = cp.url;
  const db = cp.rig.app.db;
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toLocaleDateString('pt-BR', { timeZone: 'America/Sao_Paulo' });
  importOrders(
    db,
    'pedido;documento;email;forma_pagamento;status_pagamento;data_compra;data_emissao;parceiro;valor;nome_comprador\n' +
      `48213;529.982.247-25;joana.prado@gmail.com;pix;pago;${day(2)};;P1;1.234,56;Joana Prado de Albuquerque\n` +
      `48222;529.982.247-25;joana.prado@gmail.com;boleto;vencido;${day(4)};;P1;189,90;Joana Prado de Albuquerque\n`,
  );
  importPartners(db, 'id,nome,documento,whatsapp,pagina_vendas\nP1,Contabilidade Silva & Filhos,,+55 11 97777-6666,https://loja.exemplo/silva\n');
  // One ticket of each type, opened by real conversations on the fake WhatsApp socket.
  for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', 'isso']) await say('5511988887777', 'Joana', t);
  protocols.refund = lastProtocol();
  for (const t of ['quero um boleto atualizado', '529.982.247-25', '48222', 'isso']) await say('5511988887777', 'Joana', t);
  protocols.boleto = lastProtocol();
  for (const t of ['preciso reenviar o email de confirmação da compra', '529.982.247-25', 'joana.prado@gmail.com', 'sim', 'não', 'isso']) await say('5511966665555', 'Marcos Vinícius', t);
  protocols.resend = lastProtocol();
  for (const t of ['quero antecipar a videoconferência do meu cliente', 'Roberto Carlos Nogueira', '111.444.777-35', '10/12 às 14h', 'o quanto antes', 'tarde', 'isso']) await say('5511977776666', 'Silva', t);
  protocols.advance = lastProtocol();
  await say('5521955554444', 'Luísa', 'quero falar com um atendente');
  await say('5521955554444', 'Luísa', 'meu token não é reconhecido no *Windows 11*, já reinstalei o driver');
  protocols.handoff = db.first(db.kysely.selectFrom('tickets').select('protocol').where('type', '=', 'human_handoff'))?.protocol ?? '';
  // Older tickets, so the queue shows its SLA colours.
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  for (const [type, name, order, h] of [['refund', 'Marcos Prado', '48190', 30], ['boleto_renewal', 'Luísa Andrade', '48201', 3.5], ['refund', null, '48222', 2]] as const) {
    createTicket(db, { type, team: 'finance', chatId: `55219555${order}`, phone: `55219555${order}`, contactName: name, orderNumber: order, data: {}, excerpt: [], now: hoursAgo(h) });
  }
  // Saved replies and a rating, so their pages have something to show.
  const at = new Date().toISOString();
  for (const [team, title, body] of [['finance', 'Estorno no cartão', 'Olá, {nome}! O estorno do protocolo *{protocolo}* aparece na fatura do cartão.'], ['support', 'Token não reconhecido', 'Reinstale o _driver_ do token e tente de novo.']] as const) {
    db.run(db.kysely.insertInto('saved_replies').values({ team, title, text: body, created_by: null, created_at: at, updated_at: at }));
  }
  const rated = db.first(db.kysely.selectFrom('tickets').selectAll().where('protocol', '=', protocols.boleto))!;
  db.run(db.kysely.updateTable('tickets').set({ status: 'resolved', closed_at: at, assignee_id: 1 }).where('id', '=', rated.id));
  recordRating(db, { ticketId: rated.id, rating: 5, comment: 'Resolveram no mesmo dia, muito obrigada!', at: new Date() });
  shots = process.env.PANEL_SCREENSHOTS === '1' ? path.join(projectRoot, 'docs') : fs.mkdtempSync(path.join(cp.rig.dir, 'shots-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await cp?.close();
});

/** Words (whitespace-separated) that the layout split over two lines, and the sideways overflow. */
// Runs in the page (plain JS: the project is type-checked without the DOM library).
const MEASURE = `(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('textarea, script, style, select, .sr-only, .skip') || !el.getClientRects().length) continue;
    let hidden = false; // inside a visually hidden box (the phone's table headers)
    for (let a = el; a && !hidden; a = a.parentElement) hidden = a.getBoundingClientRect().width <= 1;
    if (hidden) continue;
    // Prose (messages, paragraphs) may wrap after a hyphen like any text; values may not break at all.
    const prose = !!el.closest('.pre, .wa-bubble, p, .msg');
    for (const m of n.data.matchAll(prose ? /[^\\s-]+-?/g : /\\S+/g)) {
      const r = document.createRange();
      r.setStart(n, m.index);
      r.setEnd(n, m.index + m[0].length);
      const lines = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.bottom)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return { overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, broken };
})()`;

/** Words (whitespace-separated) that the layout split over two lines, and the sideways overflow. */
async function measure(page: Page): Promise<{ overflow: number; broken: string[] }> {
  return page.evaluate(MEASURE) as Promise<{ overflow: number; broken: string[] }>;
}

const PAGES: Array<{ name: string; who: 'finance' | 'support' | 'admin'; path: () => string; heading: RegExp }> = [
  { name: 'queue', who: 'finance', path: () => '/fila', heading: /Fila do Financeiro/ },
  { name: 'ticket-refund', who: 'finance', path: () => `/tickets/${protocols.refund}`, heading: /Estorno/ },
  { name: 'ticket-boleto', who: 'finance', path: () => `/tickets/${protocols.boleto}`, heading: /Boleto atualizado/ },
  { name: 'ticket-resend', who: 'support', path: () => `/tickets/${protocols.resend}`, heading: /e-mail de confirmação/i },
  { name: 'ticket-advance', who: 'support', path: () => `/tickets/${protocols.advance}`, heading: /videoconferência/i },
  { name: 'ticket-handoff', who: 'support', path: () => `/tickets/${protocols.handoff}`, heading: /Atendimento humano/i },
  { name: 'account', who: 'finance', path: () => '/conta', heading: /Minha conta/ },
  { name: 'users', who: 'admin', path: () => '/usuarios', heading: /Usuários/ },
  { name: 'replies', who: 'admin', path: () => '/respostas', heading: /Respostas salvas/ },
  { name: 'ratings', who: 'admin', path: () => '/avaliacoes', heading: /Avaliações/ },
  { name: 'whatsapp', who: 'admin', path: () => '/whatsapp/', heading: /Conexão com o WhatsApp/ },
];

describeInBrowser('every page on a phone and a laptop', () => {
  it('the conversations opened one ticket of each type', () => {
    for (const [k, v] of Object.entries(protocols)) expect([k, v]).toEqual([k, expect.stringMatching(/^(FIN|SUP)-\d{6}$/)]);
  });

  it('the log-in page', async () => {
    for (const [size, options] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ ...options, locale: 'pt-BR' });
      const page = await context.newPage();
      await page.goto(`${url}/login`);
      expect(await measure(page)).toEqual({ overflow: 0, broken: [] });
      expect(await axe(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, `panel-login-${size}.png`), fullPage: true });
      await context.close();
    }
  });

  it('on a phone the queue filters fold behind one button, the search stays in view; on a laptop they are all there', async () => {
    const phone = await logIn(await browser.newContext({ ...VIEWPORTS.phone, locale: 'pt-BR' }), 'finance@example.com');
    await expect(phone.getByLabel('Buscar por protocolo, CPF/CNPJ, pedido ou e-mail').isVisible()).resolves.toBe(true);
    await expect(phone.getByLabel('Status').isVisible()).resolves.toBe(false);
    const table = await phone.locator('table.queue').boundingBox();
    expect(table!.y).toBeLessThan(844); // the first rows are on the first screen
    await phone.getByText('Filtros', { exact: true }).click();
    await expect(phone.getByLabel('Status').isVisible()).resolves.toBe(true);
    await phone.getByLabel('Status').selectOption('all');
    await phone.getByRole('button', { name: 'Filtrar' }).click();
    await expect(phone.locator('.more-filters summary').textContent()).resolves.toContain('1 ativo');
    await phone.context().close();
    const laptop = await logIn(await browser.newContext({ ...VIEWPORTS.laptop, locale: 'pt-BR' }), 'finance@example.com');
    await expect(laptop.getByLabel('Status').isVisible()).resolves.toBe(true);
    await expect(laptop.getByText('Filtros', { exact: true }).isVisible()).resolves.toBe(false);
    await laptop.context().close();
  });

  it('the WhatsApp page, inside the panel, says "sem conexão com a internet" when WhatsApp cannot be reached', async () => {
    const page = await logIn(await browser.newContext({ ...VIEWPORTS.laptop, locale: 'pt-BR' }), 'admin@example.com');
    await page.getByRole('link', { name: 'WhatsApp' }).click();
    await expect(page.locator('#state').filter({ hasText: 'conectado' }).textContent()).resolves.toBe('conectado');
    cp.rig.sock().close(408, 'WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)');
    await expect(page.locator('#state').filter({ hasText: 'sem conexão' }).textContent()).resolves.toBe('sem conexão com a internet');
    await page.screenshot({ path: path.join(shots, 'panel-whatsapp-offline-laptop.png'), fullPage: true });
    await page.getByRole('link', { name: 'Fila' }).click(); // and back to the panel
    await page.waitForURL(`${url}/fila`);
    cp.rig.sock().open();
    await page.context().close();
  });

  for (const size of Object.keys(VIEWPORTS) as Array<keyof typeof VIEWPORTS>) {
    it(`${size}: no sideways scroll, no word broken, no serious accessibility violation`, async () => {
      const contexts: Record<string, Page> = {};
      const problems: Record<string, unknown> = {};
      for (const p of PAGES) {
        if (!contexts[p.who]) contexts[p.who] = await logIn(await browser.newContext({ ...VIEWPORTS[size], locale: 'pt-BR' }), `${p.who}@example.com`);
        const page = contexts[p.who];
        const res = await page.goto(`${url}${p.path()}`);
        expect([p.name, res?.status()]).toEqual([p.name, 200]);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(p.heading);
        if (p.name === 'whatsapp') await page.locator('#state').filter({ hasText: /conectado|sem conexão/ }).waitFor();
        const m = await measure(page);
        const a = await axe(page);
        if (m.overflow > 0 || m.broken.length || a.length) problems[p.name] = { ...m, axe: a };
        await page.screenshot({ path: path.join(shots, `panel-${p.name}-${size}.png`), fullPage: true });
      }
      expect(problems).toEqual({});
      for (const page of Object.values(contexts)) await page.context().close();
    });
  }
});
