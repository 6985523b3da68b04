import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createTicket } from '../../src/tickets/tickets.js';
import { browserAvailable, describeInBrowser, launchChromium, logIn, startChatPanel, watchErrors, type ChatPanel } from './browser-support.js';
import { FORMAT_CASES } from './format-cases.js';

// The live queue in Chromium: a page left open on /fila shows a ticket a customer just opened on
// (fake) WhatsApp without a reload, with the header count, the tab title and a desktop
// notification; an SLA turns red by itself at its instant.

jest.setTimeout(90_000);

let cp: ChatPanel;
let url: string;
let browser: Browser;
const errors: string[] = [];

const say = (from: string, t: string) => cp.say(from, t, 'Paula Cliente');

async function financePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR', permissions: ['notifications'] });
  // Desktop notifications are recorded instead of shown (headless Chromium has no desktop).
  await context.addInitScript(`(() => {
    const shown = [];
    window.shown = shown;
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title, o) { shown.push({ title, body: o && o.body }); }
    }
    window.Notification = FakeNotification;
  })()`);
  return logIn(watchErrors(await context.newPage(), errors), url, 'finance@example.com');
}

beforeAll(async () => {
  if (!browserAvailable) return;
  cp = await startChatPanel({ roles: ['finance', 'support'], panel: { slaClock: 'calendar' } });
  url = cp.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await cp?.close();
});

describeInBrowser('live queue in a browser', () => {
  it('a ticket opened on WhatsApp appears in an open queue page within 2 s, without a reload', async () => {
    const page = await financePage();
    await expect(page.locator('.empty').textContent()).resolves.toContain('Nenhum ticket encontrado');
    await expect(page.title()).resolves.toBe('Fila do Financeiro · Painel Indique Certo');
    await page.getByRole('button', { name: 'Avisar novos tickets' }).click();
    await expect(page.getByRole('button', { name: 'Avisos ligados' }).isVisible()).resolves.toBe(true);
    const loads: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && loads.push(f.url()));

    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'ontem', 'nao', '1']) await say('5511933332222', t);
    const sentAt = Date.now();
    await say('5511933332222', 'isso');
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(cp.rig.sock().sent.at(-1)!.text)![1];
    const row = page.locator(`tr[data-protocol="${protocol}"]`);
    await row.waitFor({ timeout: 2000 });
    expect(Date.now() - sentAt).toBeLessThan(2000);
    await expect(row.textContent()).resolves.toContain('Paula Cliente');
    await expect(page.locator('.count').textContent()).resolves.toBe('1 ticket');
    await expect(page.locator('#waiting').textContent()).resolves.toContain('1 aberto');
    await expect(page.title()).resolves.toBe('(1) Fila do Financeiro · Painel Indique Certo');
    await expect(page.locator('#live-note').textContent()).resolves.toContain(`Novo ticket ${protocol} (Estorno)`);
    await expect(page.evaluate('window.shown')).resolves.toEqual([{ title: 'Novo ticket', body: `Novo ticket ${protocol} (Estorno)` }]);
    expect(loads).toEqual([]); // no reload
    await page.context().close();
  });

  it('an SLA turns red at its instant, by itself, and says so once', async () => {
    // A refund (24 h target, calendar clock here) opened 24 h minus 8 s ago (room for a slow page on a busy machine).
    const t = createTicket(cp.rig.app.db, {
      type: 'refund', team: 'finance', chatId: '5511922221111', phone: '5511922221111', contactName: 'Quase Atrasado', data: {}, excerpt: [],
      now: new Date(Date.now() - 24 * 3_600_000 + 8000).toISOString(),
    });
    const page = await financePage();
    await page.getByRole('button', { name: /Avisar novos tickets|Avisos ligados/ }).click();
    const badge = page.locator(`tr[data-protocol="${t.protocol}"] .sla`);
    await expect(badge.getAttribute('class')).resolves.toBe('sla sla-warn');
    const until = Date.now() + 12_000; // polled from here: the page's CSP allows no evaluated strings
    while ((await badge.getAttribute('class')) !== 'sla sla-late' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await expect(badge.textContent()).resolves.toBe('atrasado');
    await expect(page.evaluate('window.shown')).resolves.toEqual([{ title: 'SLA estourado', body: `Prazo estourado: ${t.protocol}` }]);
    await page.context().close();
  });

  it('a saved reply goes in at the cursor and the preview shows it as the customer will see it', async () => {
    cp.rig.app.db.run(
      cp.rig.app.db.kysely.insertInto('saved_replies').values({ team: 'finance', title: 'Prazo do cartão', text: 'O valor aparece na *fatura* do cartão.', created_by: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }),
    );
    const t = createTicket(cp.rig.app.db, { type: 'refund', team: 'finance', chatId: '5511922223333', phone: '5511922223333', contactName: 'Rui', data: { paymentMethod: 'cartao' }, excerpt: [], now: new Date().toISOString() });
    const page = await financePage();
    await page.goto(`${url}/tickets/${t.protocol}`);
    const box = page.getByLabel('Mensagem (deixe em branco para não enviar)');
    await box.fill('Olá, Rui! <b>oi</b> ');
    await page.getByLabel('Resposta salva').selectOption({ label: 'Prazo do cartão' });
    await page.getByRole('button', { name: 'Inserir' }).click();
    await expect(box.inputValue()).resolves.toBe('Olá, Rui! <b>oi</b> O valor aparece na *fatura* do cartão.');
    await expect(page.locator('#close-message-preview').innerHTML()).resolves.toBe('Olá, Rui! &lt;b&gt;oi&lt;/b&gt; O valor aparece na <strong>fatura</strong> do cartão.');
    // The page's renderer gives what the server's does, case by case.
    for (const [text, expected] of FORMAT_CASES) await expect(page.evaluate(`window.panelWhatsappHtml(${JSON.stringify(text)})`)).resolves.toBe(expected);
    await page.context().close();
  });

  /**
   * A page with the browser's own Notification API, watched: how often the page asks for the
   * permission (the person answers `answer`, which the browser then remembers, as Chromium does)
   * and which notifications it raises.
   */
  async function watchedPage(email: string, answer: 'granted' | 'denied') {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    const asked: string[] = [];
    const shown: Array<{ title: string; body: string }> = [];
    await context.exposeFunction('permissionAsked', async (at: string) => {
      asked.push(at);
      if (answer === 'granted') await context.grantPermissions(['notifications'], { origin: url });
    });
    await context.exposeFunction('notificationShown', (title: string, body: string) => shown.push({ title, body }));
    await context.addInitScript(`(() => {
      const Real = window.Notification;
      function Watched(title, o) {
        window.notificationShown(title, o && o.body);
        return new Real(title, o);
      }
      Object.defineProperty(Watched, 'permission', { get: () => Real.permission });
      Watched.requestPermission = async () => {
        await window.permissionAsked(location.pathname);
        return Real.requestPermission();
      };
      window.Notification = Watched;
    })()`);
    const page = await logIn(watchErrors(await context.newPage(), errors), url, email);
    return { page, asked, shown };
  }

  const until = async (ok: () => boolean, ms = 3000) => {
    for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    return ok();
  };

  it('notifications: the permission is asked once, on the first click, never on a page load; then a new ticket of the team and a hand-over notify, another team’s ticket does not', async () => {
    const { page, asked, shown } = await watchedPage('support@example.com', 'granted');
    const toggle = page.locator('#notify-toggle');
    await expect(toggle.textContent()).resolves.toBe('Avisar novos tickets');
    await page.reload();
    await page.goto(`${url}/conta`);
    await page.goto(`${url}/fila`);
    expect(asked).toEqual([]); // three page loads, no question

    await toggle.click();
    await page.getByRole('button', { name: 'Avisos ligados' }).waitFor();
    expect(asked).toEqual(['/fila']);
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    // Remembered on every page and after a reload, without asking again; off and on again neither.
    await page.goto(`${url}/conta`);
    await expect(page.getByRole('button', { name: 'Avisos ligados' }).isVisible()).resolves.toBe(true);
    await page.goto(`${url}/fila`);
    await page.reload();
    await toggle.click();
    await expect(toggle.textContent()).resolves.toBe('Avisar novos tickets');
    await toggle.click();
    await expect(toggle.textContent()).resolves.toBe('Avisos ligados');
    expect(asked).toEqual(['/fila']);

    // A support ticket: notified.
    for (const t of ['preciso reenviar o email de confirmação da compra', '529.982.247-25', 'joana.prado@gmail.com', 'sim', 'não', 'isso']) await say('5511944440001', t);
    const resend = cp.lastProtocol();
    expect(resend).toMatch(/^SUP-/);
    const newTicket = { title: 'Novo ticket', body: `Novo ticket ${resend} (${cp.rig.app.engine.requests.title('confirmation_resend')})` };
    expect(await until(() => shown.length > 0)).toBe(true);
    expect(shown).toEqual([newTicket]);

    // A finance refund, then a hand-over (support): only the hand-over is notified.
    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48215', '1', 'ontem', 'nao', '1', 'isso']) await say('5511944440002', t);
    const refund = cp.lastProtocol();
    expect(refund).toMatch(/^FIN-/);
    await say('5511944440003', 'quero falar com um atendente');
    const db = cp.rig.app.db;
    const handoff = db.first(db.kysely.selectFrom('tickets').select('protocol').where('type', '=', 'human_handoff').where('chat_id', 'like', '5511944440003%'))!.protocol;
    expect(await until(() => shown.length > 1)).toBe(true);
    // The refund's event would have come before the hand-over's: none came.
    expect(shown).toEqual([newTicket, { title: 'Atendimento humano aguardando', body: `Atendimento humano aguardando: ${handoff}` }]);
    expect(JSON.stringify(shown)).not.toContain(refund);
    expect(asked).toEqual(['/fila']);
    await page.context().close();
  });

  it('notifications: refused once, the page does not ask again (the button goes away) and shows only its own notice', async () => {
    const { page, asked, shown } = await watchedPage('finance@example.com', 'denied');
    await page.getByRole('button', { name: 'Avisar novos tickets' }).click();
    await page.locator('#notify-toggle[hidden]').waitFor({ state: 'attached' });
    expect(asked).toEqual(['/fila']);
    await page.reload();
    await expect(page.locator('#notify-toggle').isHidden()).resolves.toBe(true);
    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48214', '1', 'ontem', 'nao', '1', 'isso']) await say('5511944440004', t);
    const refund = cp.lastProtocol();
    await page.locator('#live-note').filter({ hasText: `Novo ticket ${refund}` }).waitFor({ timeout: 3000 });
    expect(shown).toEqual([]);
    expect(asked).toEqual(['/fila']);
    await page.context().close();
  });

  it('no script or CSP errors in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
