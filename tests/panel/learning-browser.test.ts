import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { recordUnanswered } from '../../src/learning/unanswered.js';
import { browserAvailable, describeInBrowser, launchChromium, logIn, watchErrors } from './browser-support.js';
import { startPanel, type Panel } from './support.js';

// Headless Chromium (Debian's package) on "Perguntas não respondidas": customers write what the
// bot cannot answer, an admin teaches it in the browser, and the running bot answers the next one.
// PANEL_SCREENSHOTS=1 refreshes docs/panel-learning.png (otherwise it goes to a temp folder).

jest.setTimeout(90_000);

let p: Panel;
let browser: Browser;
let page: Page;
let shots: string;
let seq = 0;
const consoleErrors: string[] = [];
const customer = (text: string) => {
  const from = `55119${String(++seq).padStart(8, '0')}`;
  return p.h.app.engine.handle({ channel: 'whatsapp', chatId: from, phone: from, text, id: `b${seq}`, timestamp: Date.now() }).replies.map((r) => r.text).join('\n');
};

beforeAll(async () => {
  if (!browserAvailable) return;
  p = await startPanel();
  shots = process.env.PANEL_SCREENSHOTS === '1' ? path.join(projectRoot, 'docs') : fs.mkdtempSync(path.join(os.tmpdir(), 'shots-'));
  browser = await launchChromium();
  page = watchErrors(await browser.newPage({ viewport: { width: 1280, height: 900 } }), consoleErrors);
});

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

describeInBrowser('Perguntas não respondidas in a browser', () => {
  it('an admin finds the group through the menu and teaches it: the bot answers the next similar message', async () => {
    // As the conversation side records them (the engine's own recording is tested elsewhere).
    for (const [chatId, text] of [
      ['5511922220001', 'quero sacar meus ganhos de indicação, meu cpf é 529.982.247-25'],
      ['5511922220002', 'preciso sacar meus ganhos de indicação'],
      ['5511922220003', 'da pra sacar os ganhos das indicações que dia?'],
    ]) recordUnanswered(p.h.app.db, { chatId, text, kind: 'declined', guesses: ['beneficios-comissao-quando'], at: Date.now() });
    customer('vcs tem integração com o meu erp?');
    expect(customer('posso sacar os ganhos das indicações quando?')).not.toContain('15º dia útil');

    await logIn(page, p.url, 'admin@example.com');
    await page.getByRole('link', { name: 'Perguntas não respondidas' }).click();
    await page.waitForURL(`${p.url}/perguntas`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Perguntas não respondidas');
    const group = page.locator('section.group', { hasText: 'sacar meus ganhos' });
    // The three recorded above, and the customer's question too when the bot declined it (not when it asked back).
    const sacar = (p.h.app.db.sqlite.prepare("select count(*) n from unanswered_messages where text like '%sacar%'").get() as { n: number }).n;
    expect(sacar).toBeGreaterThanOrEqual(3);
    await expect(group.getByRole('heading').textContent()).resolves.toContain(`${sacar} mensagens de ${sacar} pessoas`);
    await expect(group.textContent()).resolves.not.toContain('529.982.247-25');
    await page.screenshot({ path: path.join(shots, 'panel-learning.png'), fullPage: true });

    await group.getByLabel('É esta pergunta do FAQ').selectOption({ label: 'Quando recebo a comissão' });
    await group.getByRole('button', { name: 'Ensinar o bot' }).click();
    await page.waitForURL(/\/perguntas\?ok=taught/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('o bot aprendeu');
    await expect(page.locator('section.group', { hasText: 'sacar meus ganhos' }).count()).resolves.toBe(0);

    expect(customer('posso sacar os ganhos das indicações quando?')).toContain('15º dia útil');
  });

  it('no script or CSP errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
