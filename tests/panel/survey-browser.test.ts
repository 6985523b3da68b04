import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { DEFAULT_SURVEY_TEXT } from '../../src/staff/config.js';
import { axeProblems, browserAvailable, describeInBrowser, launchChromium, logIn, startChatPanel, watchErrors, type ChatPanel } from './browser-support.js';

// The satisfaction survey end to end in Chromium: a customer opens a refund on (fake) WhatsApp,
// a finance clerk resolves it in the panel, the chat receives the rating question, the customer
// answers "5" and a comment, and the ticket page and the admins' ratings page show it.

jest.setTimeout(90_000);

const PHONE = '5511977771234';
const COMMENT = 'A Fernanda resolveu tudo rapidinho, obrigada!';
let cp: ChatPanel;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  if (!browserAvailable) return;
  cp = await startChatPanel(); // the survey is on by default, with its default wording
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await cp?.close();
});

describeInBrowser('satisfaction survey in a browser', () => {
  let protocol = '';

  it('the rating asked after a resolve in the panel reaches the ticket page', async () => {
    for (const t of ['quero o estorno da minha compra', '1', '529.982.247-25', '48213', '1', 'ontem', 'nao', '1', 'isso']) await cp.say(PHONE, t, 'Joana Cliente');
    protocol = cp.lastProtocol();
    expect(protocol).toMatch(/^FIN-/);

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    const page = await logIn(watchErrors(await context.newPage(), errors), cp.url, 'finance@example.com');
    await page.getByRole('link', { name: protocol }).click();
    await page.waitForURL(`${cp.url}/tickets/${protocol}`);
    await page.getByRole('button', { name: 'Assumir (atribuir a mim)' }).click();
    const reply = 'Olá, Joana! Seu estorno foi aprovado.';
    await page.getByLabel('Mensagem (deixe em branco para não enviar)').fill(reply);
    await page.getByRole('button', { name: 'Encerrar e enviar' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Ticket resolvido');
    const card = page.getByRole('region', { name: 'Avaliação do cliente' });
    await expect(card.textContent()).resolves.toMatch(/Pesquisa enviada em \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}; o cliente ainda não respondeu\./);

    // The chat gets the staff's message, then the question, once.
    const question = DEFAULT_SURVEY_TEXT.replace('{protocolo}', protocol);
    await cp.deliver(() => cp.sentTo(PHONE).includes(question));
    expect(cp.sentTo(PHONE).slice(-2)).toEqual([reply, question]);

    await cp.say(PHONE, '5');
    await cp.deliver(() => cp.sentTo(PHONE).at(-1) !== question);
    expect(cp.sentTo(PHONE).at(-1)).toContain('Quer deixar um comentário?');
    await cp.say(PHONE, COMMENT);
    await cp.deliver(() => /Obrigado pela avaliação/.test(cp.sentTo(PHONE).at(-1) ?? ''));
    expect(cp.sentTo(PHONE).at(-1)).toContain('Obrigado pela avaliação');

    await page.reload();
    await expect(card.locator('.stars').textContent()).resolves.toBe('★★★★★');
    await expect(card.locator('strong').textContent()).resolves.toBe('5/5');
    await expect(card.locator('blockquote').textContent()).resolves.toBe(COMMENT);
    await expect(page.locator('.history').textContent()).resolves.toContain(`Avaliação do cliente: 5/5 “${COMMENT}”`);
    expect(await axeProblems(page)).toEqual([]);
    await context.close();
  });

  it('the admins’ ratings page shows it for the team and for the clerk who resolved it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'pt-BR' });
    const page = await logIn(watchErrors(await context.newPage(), errors), cp.url, 'admin@example.com');
    await page.getByRole('link', { name: 'Avaliações' }).click();
    await page.waitForURL(`${cp.url}/avaliacoes`);
    const team = page.locator('tr', { has: page.locator('td[data-label="Equipe"]', { hasText: 'Financeiro' }) });
    const cell = (row: typeof team, label: string) => row.locator(`td[data-label="${label}"]`).textContent();
    await expect(cell(team, 'Enviadas')).resolves.toBe('1');
    await expect(cell(team, 'Respostas')).resolves.toBe('1');
    await expect(cell(team, 'Taxa')).resolves.toBe('100 %');
    await expect(cell(team, 'Média')).resolves.toBe('5,0');
    const clerk = page.locator('tr', { has: page.locator('td[data-label="Atendente"]', { hasText: 'Fernanda Financeiro' }) });
    await expect(cell(clerk, 'Respostas')).resolves.toBe('1 de 1');
    await expect(cell(clerk, 'Média')).resolves.toBe('5,0');
    const comment = page.getByRole('region', { name: 'Comentários recentes' }).locator('li', { hasText: protocol });
    await expect(comment.textContent()).resolves.toContain(COMMENT);
    await expect(comment.textContent()).resolves.toContain('Fernanda Financeiro');
    expect(await axeProblems(page)).toEqual([]);
    await context.close();
  });

  it('no script or CSP errors in the browser console', () => {
    expect(errors).toEqual([]);
  });
});
