import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import YAML from 'yaml';
import { loadKnowledge } from '../../src/understanding.js';
import { defaultFaqDir } from '../../src/paths.js';
import { startHarness, tempDir } from '../support/harness.js';
import { runTs } from './support/process.js';

// `npm run bot -- faq check` as a real process, on the real faq/ and on broken copies of it.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

type Entry = { id: string; question: string; short: string; answer: string; examples: string[]; flow?: string };
type CategoryDoc = { category: string; title: string; order: number; entries: Entry[] };

/** A temp copy of faq/, changed by `edit(read, write)`. */
function faqCopy(edit: (read: (file: string) => CategoryDoc, write: (file: string, doc: unknown) => void) => void): string {
  const dir = tempDir('bot-faq-');
  dirs.push(dir);
  for (const f of fs.readdirSync(defaultFaqDir)) fs.copyFileSync(path.join(defaultFaqDir, f), path.join(dir, f));
  edit(
    (file) => YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CategoryDoc,
    (file, doc) => fs.writeFileSync(path.join(dir, file), typeof doc === 'string' ? doc : YAML.stringify(doc)),
  );
  return dir;
}

const faqCheck = (faqDir?: string) => runTs('src/cli.ts', ['faq', 'check'], { env: faqDir ? { FAQ_DIR: faqDir } : { FAQ_DIR: undefined } });
const errorLines = (out: string) => out.split('\n').filter((l) => l.startsWith('ERRO'));

describe('faq check', () => {
  it('passes on the real faq/ (exit 0, "FAQ ok")', async () => {
    const r = await faqCheck();
    expect(errorLines(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/^FAQ ok: \d+ entradas/m);
    expect(r.code).toBe(0);
  });

  it('loads the real faq/ without schema problems and reports its size', async () => {
    const r = await faqCheck();
    expect(r.stdout).toContain(`: ${loadKnowledge(defaultFaqDir).entries.size} entradas`);
    expect(r.stdout).toMatch(/entradas, \d{4,} exemplos/);
    // Whatever the leave-one-out findings, none is a schema, id or empty-answer problem.
    expect(r.stdout).not.toMatch(/id repetido|resposta vazia|campo|YAML inválido/);
  });

  it('a duplicate id in two files: exit 1 naming the second file and the id', async () => {
    const dir = faqCopy((read, write) => {
      const first = read('01-certificado-digital.yaml').entries[0];
      const sobre = read('09-sobre.yaml');
      sobre.entries.push({ ...first, question: 'Uma pergunta repetida por engano?' });
      write('09-sobre.yaml', sobre);
    });
    const r = await faqCheck(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERRO: 09-sobre\.yaml: entrada "certificado-o-que-e": id repetido \(já usado em 01-certificado-digital\.yaml\)/);
    expect(r.stdout).toMatch(/FAQ com problemas/);
  });

  it('an empty answer: exit 1 naming the file and the entry', async () => {
    const dir = faqCopy((read, write) => {
      const doc = read('05-beneficios.yaml');
      doc.entries[1].answer = '   ';
      write('05-beneficios.yaml', doc);
    });
    const r = await faqCheck(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERRO: 05-beneficios\.yaml: entrada "beneficios-comissao-quando" campo answer: resposta vazia/);
  });

  it('a schema error (missing question, too few examples, bad id): exit 1 naming file and entry', async () => {
    const dir = faqCopy((read, write) => {
      const doc = read('04-agendamento.yaml');
      delete (doc.entries[0] as Partial<Entry>).question;
      doc.entries[1].examples = ['so um exemplo'];
      doc.entries[2].id = 'Id Com Espaços';
      write('04-agendamento.yaml', doc);
    });
    const r = await faqCheck(dir);
    expect(r.code).toBe(1);
    const doc = YAML.parse(fs.readFileSync(path.join(defaultFaqDir, '04-agendamento.yaml'), 'utf8')) as CategoryDoc;
    expect(r.stdout).toContain(`04-agendamento.yaml: entrada "${doc.entries[0].id}" campo question`);
    expect(r.stdout).toContain(`04-agendamento.yaml: entrada "${doc.entries[1].id}" campo examples`);
    expect(r.stdout).toContain('04-agendamento.yaml: entrada "Id Com Espaços" campo id');
  });

  it('invalid YAML: exit 1 naming the file', async () => {
    const dir = faqCopy((_read, write) => write('07-emissao.yaml', 'category: emissao\nentries: [\n  - id: x\n'));
    const r = await faqCheck(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERRO: 07-emissao\.yaml: .*YAML inválido/);
  });

  it('the bot itself refuses to start on a broken FAQ, with the message and no stack trace', async () => {
    const dir = faqCopy((read, write) => {
      const doc = read('05-beneficios.yaml');
      doc.entries[1].answer = '';
      write('05-beneficios.yaml', doc);
    });
    const r = await runTs('src/cli.ts', ['simulate'], { env: { FAQ_DIR: dir, DATABASE_PATH: ':memory:' }, input: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('05-beneficios.yaml: entrada "beneficios-comissao-quando" campo answer: resposta vazia');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('an example that clearly belongs to another entry: exit 1 naming file, entry, example and the winner', async () => {
    const stray = 'que dia do mes cai a comissao do parceiro';
    const dir = faqCopy((read, write) => {
      const doc = read('01-certificado-digital.yaml');
      doc.entries[0].examples.push(stray);
      write('01-certificado-digital.yaml', doc);
    });
    const r = await faqCheck(dir);
    expect(r.code).toBe(1);
    const line = errorLines(r.stdout).find((l) => l.includes(stray));
    expect(line).toBeDefined();
    expect(line).toMatch(/^ERRO: 01-certificado-digital\.yaml: certificado-o-que-e: exemplo ".*" é respondido com a entrada "beneficios-comissao-quando"/);
  });
});

describe('adding a FAQ entry needs no code change', () => {
  const entry: Entry = {
    id: 'sobre-aplicativo',
    question: 'O Indique Certo tem aplicativo para celular?',
    short: 'Aplicativo do Indique Certo',
    answer: 'Ainda não temos aplicativo. 📱 Use o *Portal do Parceiro* pelo navegador do celular, que funciona normalmente.',
    examples: [
      'tem aplicativo do indique certo?',
      'vcs tem app pra celular',
      'existe app do programa na play store?',
      'da pra baixar o aplicativo no iphone',
      'qual o nome do aplicativo de vcs',
      'tem app pra android?',
      'onde baixo o app',
    ],
  };
  const withEntry = () =>
    faqCopy((read, write) => {
      const doc = read('09-sobre.yaml');
      doc.entries.push(entry);
      write('09-sobre.yaml', doc);
    });

  it('an app on a FAQ_DIR with a new entry answers a phrasing it never saw, and lists it in the submenu', async () => {
    const h = await startHarness({ env: { FAQ_DIR: withEntry(), GREETING_ENABLED: 'false' } });
    try {
      const answer = h.ask('voces tem aplicativo pro celular? queria baixar');
      expect(answer).toContain(entry.answer);
      h.say('menu');
      const submenu = h.ask('9');
      expect(submenu).toContain(`*${h.app.kb.categories[8].entries.length}* - ${entry.question}`);
      // The old entries still work.
      expect(h.ask('qdo recebo minha comissao?')).toContain('15º dia útil');
    } finally {
      await h.close();
    }
  });

  it('faq check accepts the new entry (no error about it)', async () => {
    const r = await faqCheck(withEntry());
    expect(r.stdout).toContain(`: ${loadKnowledge(defaultFaqDir).entries.size + 1} entradas`);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ERRO') && l.includes(entry.id))).toEqual([]);
  });
});
