import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import YAML from 'yaml';
import { Db } from '../../src/db/database.js';
import { insertLearned, listLearned, listOpenUnanswered, readUnexportedLearned } from '../../src/db/learning.js';
import { checkFaq } from '../../src/faq/check.js';
import { exportLearned } from '../../src/learning/export.js';
import { chatKey, recordUnanswered } from '../../src/learning/unanswered.js';
import { faqTextsOf, untaught } from '../../src/learning/service.js';
import { defaultFaqDir } from '../../src/paths.js';
import { CUSTOMER, startHarness, tempDir } from '../support/harness.js';
import { runTs } from '../core/support/process.js';

// The learning loop end to end on the real engine: what the bot did not answer is kept (masked),
// grouped, taught by staff, and the running bot answers the next similar message.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('unanswered messages', () => {
  it('are stored masked: no CPF, CNPJ, e-mail, phone or Pix key, and no chat id', async () => {
    const db = await Db.open(':memory:');
    try {
      recordUnanswered(db, {
        chatId: '5511987654321',
        text: 'meu cpf 529.982.247-25, cnpj 11.222.333/0001-81, email joao.silva@gmail.com, tel (11) 98765-4321, pix 123e4567-e89b-12d3-a456-426614174000: vcs fazem site?',
        kind: 'declined',
        guesses: ['fora-do-escopo/outros-produtos'],
        at: Date.parse('2026-12-01T12:00:00Z'),
      });
      const [row] = listOpenUnanswered(db);
      expect(row.text).not.toMatch(/529|982|247|11\.222|0001|joao|silva|98765|4321|123e4567/);
      expect(row.text).toContain('vcs fazem site?');
      expect(row.text).toMatch(/\[cpf\].*\[cnpj\].*\[email\]/);
      expect(row.chat_key).toBe(chatKey('5511987654321'));
      expect(row.chat_key).not.toContain('987654321');
      expect(JSON.parse(row.guesses)).toEqual(['fora-do-escopo/outros-produtos']);
    } finally {
      await db.close();
    }
  });

  it('the engine keeps free text it declined outside a request, but not data typed inside one, emoji or a protocol number', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      h.say('vcs tem integração com o meu erp?');
      h.say('👍👍');
      h.say('FIN-000123');
      h.say('quero pedir o estorno da minha compra'); // starts the refund request
      h.say('Joana da Silva Pereira'); // an answer inside the request, whatever its classification
      const rows = listOpenUnanswered(h.app.db);
      expect(rows.map((r) => r.text)).toEqual(['vcs tem integração com o meu erp?']);
      expect(rows[0].kind).toBe('declined');
    } finally {
      await h.close();
    }
  });

  it('keeps the question behind a miss: "não era isso" after an answer, a person asked for right after an answer', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      h.say('quando cai a comissão?'); // answered
      h.say('não era isso'); // the answer missed
      h.say('menu');
      h.say('o que é o indique certo?'); // answered, and accepted
      h.say('obrigado');
      h.say('como faço meu primeiro acesso no portal?'); // answered
      h.say('quero falar com uma pessoa'); // right after the answer
      const rows = listOpenUnanswered(h.app.db);
      expect(rows.map((r) => [r.kind, r.text]).sort()).toEqual([
        ['handover-after-miss', 'como faço meu primeiro acesso no portal?'],
        ['not-this', 'quando cai a comissão?'],
      ]);
    } finally {
      await h.close();
    }
  });

  it('a "Você quis dizer" answered with one of its numbers leaves nothing behind; left for another question, it keeps the first', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      const first = h.ask('senha');
      expect(first).toContain('Você quis dizer');
      h.say('1');
      expect(listOpenUnanswered(h.app.db).filter((r) => r.kind === 'clarify-unresolved')).toEqual([]);
      h.say('menu');
      expect(h.ask('senha')).toContain('Você quis dizer');
      h.say('quando recebo minha comissão?');
      expect(listOpenUnanswered(h.app.db).filter((r) => r.kind === 'clarify-unresolved').map((r) => r.text)).toEqual(['senha']);
    } finally {
      await h.close();
    }
  });

  it('counts what the router declined, not what the matcher found nothing for: a message in another language gets its own reply and is not a miss', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false', PRIVACY_NOTICE_ENABLED: 'false' } });
    try {
      // The matcher finds no entry for either; the router answers the first two itself.
      expect(h.app.matcher.classify('do you speak english?').kind).toBe('none');
      expect(h.app.matcher.classify('necesito ayuda con mi certificado vencido').kind).toBe('none');
      const english = h.ask('do you speak english?');
      const spanish = h.ask('necesito ayuda con mi certificado vencido');
      const declined = h.ask('vcs tem integração com o meu erp?');
      expect(english).not.toContain(declined.split('\n')[0]);
      expect(spanish).not.toContain(declined.split('\n')[0]);
      expect(listOpenUnanswered(h.app.db).map((r) => r.text)).toEqual(['vcs tem integração com o meu erp?']);
    } finally {
      await h.close();
    }
  });
});

describe('teaching from the panel', () => {
  it('groups similar questions with the bot guesses, biggest first', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      for (const [from, text] of [
        ['5511900000001', 'quero sacar meus ganhos de indicação'],
        ['5511900000002', 'como eu saco os ganhos das indicações?'],
        ['5511900000003', 'da pra sacar os ganhos das indicações antes?'],
        ['5511900000004', 'vcs tem integração com o meu erp?'],
      ]) {
        recordUnanswered(h.app.db, { chatId: from, text, kind: 'declined', guesses: ['beneficios-comissao-quando'], at: Date.now() });
      }
      const groups = h.app.learning.groups();
      expect(groups[0].count).toBe(3);
      expect(groups[0].people).toBe(3);
      expect(groups[0].texts).toContain('quero sacar meus ganhos de indicação');
      expect(groups[0].guesses[0]).toBe('beneficios-comissao-quando');
      expect(groups.map((g) => g.count)).toEqual([3, 1]);
    } finally {
      await h.close();
    }
  });

  it('assigning a group to an entry retrains the running bot: the next similar message is answered', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      const probe = 'posso sacar os ganhos das minhas indicações quando?';
      expect(h.ask(probe)).not.toContain('15º dia útil');
      for (const text of ['quero sacar meus ganhos de indicação', 'quando da pra sacar os ganhos das indicações?', 'sacar ganhos das indicações, que dia?']) {
        recordUnanswered(h.app.db, { chatId: CUSTOMER, text, kind: 'declined', guesses: [], at: Date.now() });
      }
      const before = h.app.matcher.generation;
      const group = h.app.learning.groups().find((g) => g.texts.some((t) => t.includes('sacar')))!;
      const r = h.app.learning.assign(group.ids, 'beneficios-comissao-quando', null);
      expect(r.learned).toBe(group.ids.length);
      expect(h.app.matcher.generation).toBe(before + 1);
      expect(h.ask(probe)).toContain('15º dia útil');
      expect(listOpenUnanswered(h.app.db).filter((x) => group.ids.includes(x.id))).toEqual([]);
      expect(listLearned(h.app.db).map((e) => e.label)).toEqual(Array(group.ids.length).fill('beneficios-comissao-quando'));
    } finally {
      await h.close();
    }
  });

  it('marking a group out of scope makes the bot decline the subject and offer a person', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      const ids = ['vcs tem integração com o meu erp?', 'o sistema de vcs integra com erp?', 'tem api pra integrar com meu erp?'].map(
        (text) => recordUnanswered(h.app.db, { chatId: CUSTOMER, text, kind: 'declined', guesses: [], at: Date.now() })!,
      );
      h.app.learning.markOutOfScope(ids, null, null);
      const c = h.app.matcher.classify('vocês integram com o erp da minha empresa?');
      expect(c.kind === 'none' && c.reason).toBe('out-of-scope');
      expect(c.kind === 'none' && c.topic).toBe('marcados-no-painel');
    } finally {
      await h.close();
    }
  });

  it('a text that already is an example of another entry is not taught (faq check stays valid)', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      const id = recordUnanswered(h.app.db, { chatId: CUSTOMER, text: 'quando cai a comissao', kind: 'not-this', guesses: [], at: Date.now() })!;
      const r = h.app.learning.assign([id], 'sobre-programa', null);
      expect(r.learned).toBe(0);
      expect(r.skipped[0].reason).toMatch(/já é um exemplo de "beneficios-comissao-quando"/);
    } finally {
      await h.close();
    }
  });

  it('writing a question down lists it for whoever writes the FAQ, with its messages', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      const id = recordUnanswered(h.app.db, { chatId: CUSTOMER, text: 'vcs tem app pra celular?', kind: 'declined', guesses: [], at: Date.now() })!;
      h.app.learning.writeDown([id], 'O Indique Certo tem aplicativo?', null);
      expect(h.app.learning.writtenDown()).toEqual([expect.objectContaining({ question: 'O Indique Certo tem aplicativo?', texts: ['vcs tem app pra celular?'] })]);
      expect(h.app.learning.openCount()).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('a restarted bot trains the learned examples in at start-up', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = path.join(dir, 'bot.db');
    const first = await startHarness({ dbPath, env: { GREETING_ENABLED: 'false' } });
    const ids = ['quero sacar meus ganhos de indicação', 'quando da pra sacar os ganhos das indicações?', 'sacar ganhos das indicações, que dia?'].map(
      (text) => recordUnanswered(first.app.db, { chatId: CUSTOMER, text, kind: 'declined', guesses: [], at: Date.now() })!,
    );
    first.app.learning.assign(ids, 'beneficios-comissao-quando', null);
    await first.close();
    const second = await startHarness({ dbPath, env: { GREETING_ENABLED: 'false' } });
    try {
      // Trained once, with the lessons: no FAQ-only matcher swapped out at start-up.
      expect(second.app.matcher.generation).toBe(0);
      const m = second.app.matcher.current;
      expect(m.training.slice(m.learnedFrom).map((t) => t.label)).toEqual(['beneficios-comissao-quando', 'beneficios-comissao-quando', 'beneficios-comissao-quando']);
      expect(second.ask('posso sacar os ganhos das minhas indicações quando?')).toContain('15º dia útil');
    } finally {
      await second.close();
    }
  });
});

describe('learned examples the FAQ already has', () => {
  it('are the FAQ texts the matcher trains on, label by label (an exported example is not trained twice)', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      const m = h.app.matcher.current;
      const faq = m.training.slice(0, m.learnedFrom);
      const byLabel = new Map<string, string[]>();
      for (const t of faq) byLabel.set(t.label, [...(byLabel.get(t.label) ?? []), t.text]);
      for (const [label, texts] of byLabel) expect(faqTextsOf(h.app.kb, label)).toEqual(texts);
      const some = faq.filter((_, i) => i % 97 === 0);
      const taught = [...some, { label: some[0].label, text: 'um texto que o FAQ não tem' }];
      expect(untaught(h.app.kb, taught)).toEqual([{ label: some[0].label, text: 'um texto que o FAQ não tem' }]);
    } finally {
      await h.close();
    }
  });
});

describe('faq export-learned and faq check', () => {
  const faqCopy = () => {
    const dir = tempDir('bot-faq-');
    dirs.push(dir);
    for (const f of fs.readdirSync(defaultFaqDir)) fs.copyFileSync(path.join(defaultFaqDir, f), path.join(dir, f));
    return dir;
  };

  it('writes learned examples into the entry and the out-of-scope topic, keeps the rest of the file, and marks them exported', async () => {
    const faq = faqCopy();
    const db = await Db.open(':memory:');
    try {
      const at = '2026-12-01T12:00:00.000Z';
      insertLearned(db, { label: 'beneficios-comissao-quando', text: 'quero sacar meus ganhos de indicação', unansweredId: null, by: null, at });
      insertLearned(db, { label: 'fora-do-escopo/marcados-no-painel', text: 'vcs tem integração com o meu erp?', unansweredId: null, by: null, at });
      const before = fs.readFileSync(path.join(faq, '05-beneficios.yaml'), 'utf8');
      const r = exportLearned(db, faq);
      expect(r.written).toEqual(
        expect.arrayContaining([
          { file: '05-beneficios.yaml', label: 'beneficios-comissao-quando', count: 1 },
          { file: 'fora-do-escopo.yaml', label: 'fora-do-escopo/marcados-no-painel', count: 1 },
        ]),
      );
      const after = fs.readFileSync(path.join(faq, '05-beneficios.yaml'), 'utf8');
      // One line more, nothing else touched.
      expect(after.split('\n').length).toBe(before.split('\n').length + 1);
      expect(after).toContain('      - quero sacar meus ganhos de indicação\n');
      const entry = (YAML.parse(after) as { entries: Array<{ id: string; examples: string[] }> }).entries.find((e) => e.id === 'beneficios-comissao-quando')!;
      expect(entry.examples).toContain('quero sacar meus ganhos de indicação');
      const topics = (YAML.parse(fs.readFileSync(path.join(faq, 'fora-do-escopo.yaml'), 'utf8')) as { topics: Array<{ id: string; examples: string[] }> }).topics;
      expect(topics.find((t) => t.id === 'marcados-no-painel')?.examples).toEqual(['vcs tem integração com o meu erp?']);
      expect(listLearned(db, { unexportedOnly: true })).toEqual([]);
      expect(exportLearned(db, faq).written).toEqual([]);
      const check = checkFaq(faq);
      expect(check.errors).toEqual([]);
      expect(check.examples).toBe(checkFaq(defaultFaqDir).examples + 2);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('faq check validates the examples learned in the panel that are not exported yet', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dbPath = path.join(dir, 'bot.db');
    const db = await Db.open(dbPath);
    insertLearned(db, { label: 'beneficios-comissao-quando', text: 'quero sacar meus ganhos de indicação', unansweredId: null, by: null, at: '2026-12-01T12:00:00.000Z' });
    await db.close();
    expect(readUnexportedLearned(dbPath)).toEqual([{ label: 'beneficios-comissao-quando', text: 'quero sacar meus ganhos de indicação' }]);
    const r = await runTs('src/cli.ts', ['faq', 'check'], { env: { DATABASE_PATH: dbPath, FAQ_DIR: undefined } });
    expect(r.stdout).toContain('incluindo 1 exemplos aprendidos no painel');
    expect(r.stdout).toMatch(/^FAQ ok: \d+ entradas/m);
    expect(r.code).toBe(0);
  }, 60_000);
});
