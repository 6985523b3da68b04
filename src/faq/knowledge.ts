import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

// The FAQ is data: faq/NN-*.yaml are the menu categories, intents.yaml the conversational
// intents, fora-do-escopo.yaml the territory around the FAQ (topics the bot must decline and
// hand to a person), lexicon.yaml the domain synonyms. Adding an entry needs no code change.
//
// Request types (flows/) bring their own phrasings ("quero um boleto novo"): they are trained
// as labels `request:<id>` next to the FAQ entries, and an entry's `flow:` must name one of them.

/** A request type as the understanding sees it: its id and the phrasings that start it. */
export interface RequestPhrasings {
  id: string;
  examples: string[];
}

export const REQUEST_LABEL_PREFIX = 'request:';
export const requestLabel = (id: string) => `${REQUEST_LABEL_PREFIX}${id}`;
/** The request type a matcher label starts, or null for FAQ entries and intents. */
export const requestOfLabel = (label: string): string | null => (label.startsWith(REQUEST_LABEL_PREFIX) ? label.slice(REQUEST_LABEL_PREFIX.length) : null);

const ID = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use minúsculas, números e hífens (ex.: compra-etapas)');

const entrySchema = z.object({
  id: ID,
  question: z.string().trim().min(5),
  short: z.string().trim().min(3).max(60),
  answer: z.string().trim().min(2, 'resposta vazia'),
  /** The request this entry describes (an id of a request type in flows/): answered, then offered. */
  flow: z.string().regex(/^[a-z0-9_]+$/).optional(),
  examples: z.array(z.string().trim().min(1)).min(3),
});

const categorySchema = z.object({
  category: ID,
  title: z.string().trim().min(2),
  order: z.number().int().positive(),
  entries: z.array(entrySchema).min(1),
});

export const CONVERSATIONAL_INTENTS = ['saudacao', 'agradecimento', 'despedida', 'atendente', 'status-protocolo', 'fora-do-escopo'] as const;
export type ConversationalIntent = (typeof CONVERSATIONAL_INTENTS)[number];

const intentsSchema = z.object({
  intents: z.array(z.object({ id: z.enum(CONVERSATIONAL_INTENTS), examples: z.array(z.string().trim().min(1)).min(3) })),
});

const lexiconSchema = z.object({
  synonyms: z.record(z.string().regex(/^[a-z0-9]+$/), z.array(z.string().trim().min(1))).default({}),
  /** Phrases rewritten only in the right context ("segunda via" is a boleto, unless it is the CNH's). */
  contextual: z
    .array(
      z
        .object({
          phrase: z.string().trim().min(1),
          to: z.string().regex(/^[a-z0-9]+$/),
          when: z.array(z.string().trim().min(1)).min(1).optional(),
          unless: z.array(z.string().trim().min(1)).min(1).optional(),
        })
        .refine((r) => r.when || r.unless, 'diga quando a troca vale (when) ou quando não vale (unless)'),
    )
    .default([]),
});

const outOfScopeSchema = z.object({
  topics: z.array(z.object({ id: ID, title: z.string().trim().min(2), examples: z.array(z.string().trim().min(1)).min(1) })).min(1),
});

export type FaqEntry = z.infer<typeof entrySchema> & { category: string; file: string };
export type FaqCategory = { id: string; title: string; order: number; file: string; entries: FaqEntry[] };
export type Intent = { id: ConversationalIntent; examples: string[]; file: string };
/** A subject around the FAQ that it does not answer (prices, renewal, token...): declined, a person offered. */
export type OutOfScopeTopic = { id: string; title: string; examples: string[]; file: string };
export type ContextualPhrase = { phrase: string; to: string; when?: string[]; unless?: string[] };

/** The label out-of-scope messages get (the intent of intents.yaml and every topic of fora-do-escopo.yaml). */
export const OUT_OF_SCOPE_LABEL = 'fora-do-escopo';

export interface KnowledgeBase {
  categories: FaqCategory[]; // in menu order
  entries: Map<string, FaqEntry>;
  intents: Intent[];
  synonyms: Record<string, string[]>;
  contextual: ContextualPhrase[];
  /** Topics around the FAQ that it does not cover (faq/fora-do-escopo.yaml). */
  outOfScope: OutOfScopeTopic[];
  /** The registered request types' phrasings (labels `request:<id>` for the matcher). */
  requests: RequestPhrasings[];
}

export class FaqError extends Error {
  override name = 'FaqError'; // the CLI prints these as a message, not a stack trace
  constructor(readonly problems: string[]) {
    super(`FAQ inválido:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// Parsing ~100 KB of YAML on a cold start costs more than everything else the simulator does
// before its first reply; the parsed form is kept in the temp folder, keyed by the content.
const CACHE_DIR = path.join(os.tmpdir(), 'indique-certo-bot-faq');

function parseYaml(file: string): unknown {
  const content = fs.readFileSync(file, 'utf8');
  const cached = path.join(CACHE_DIR, `${createHash('sha1').update(content).digest('hex')}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, 'utf8'));
  } catch {
    // not cached yet (or unreadable): parse the YAML
  }
  let doc: unknown;
  try {
    doc = YAML.parse(content);
  } catch (e) {
    throw new FaqError([`${path.basename(file)}: YAML inválido: ${(e as Error).message.split('\n')[0]}`]);
  }
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(doc));
    fs.renameSync(tmp, cached); // atomic: a concurrent reader never sees half a file
  } catch {
    // a read-only temp folder only costs speed
  }
  return doc;
}

function describeZodError(file: string, doc: unknown, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    // Name the entry by its id when the problem is inside one.
    let where = i.path.join('.');
    if (i.path[0] === 'entries' && typeof i.path[1] === 'number') {
      const id = (doc as { entries?: Array<{ id?: unknown }> })?.entries?.[i.path[1]]?.id;
      where = `entrada ${typeof id === 'string' ? `"${id}"` : `#${i.path[1] + 1}`}${i.path.length > 2 ? ` campo ${i.path.slice(2).join('.')}` : ''}`;
    }
    return `${file}: ${where}: ${i.message}`;
  });
}

/**
 * Loads and validates every file of the FAQ folder; throws FaqError listing all problems.
 * `requests` are the registered request types (flows/index.ts): each entry's `flow:` must name
 * one of them.
 */
export function loadKnowledgeBase(dir: string, requests: RequestPhrasings[] = []): KnowledgeBase {
  const problems: string[] = [];
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const categories: FaqCategory[] = [];
  const entries = new Map<string, FaqEntry>();
  let intents: Intent[] = [];
  let synonyms: Record<string, string[]> = {};
  let contextual: ContextualPhrase[] = [];
  const outOfScope: OutOfScopeTopic[] = [];

  for (const file of files) {
    const doc = parseYaml(path.join(dir, file));
    if (file.startsWith('intents.')) {
      const r = intentsSchema.safeParse(doc);
      if (!r.success) problems.push(...describeZodError(file, doc, r.error));
      else intents = r.data.intents.map((i) => ({ ...i, file }));
      continue;
    }
    if (file.startsWith('lexicon.')) {
      const r = lexiconSchema.safeParse(doc);
      if (!r.success) problems.push(...describeZodError(file, doc, r.error));
      else {
        synonyms = r.data.synonyms;
        contextual = r.data.contextual;
      }
      continue;
    }
    if (file.startsWith(`${OUT_OF_SCOPE_LABEL}.`)) {
      const r = outOfScopeSchema.safeParse(doc);
      if (!r.success) problems.push(...describeZodError(file, doc, r.error));
      else {
        for (const t of r.data.topics) {
          if (outOfScope.some((o) => o.id === t.id)) problems.push(`${file}: tema "${t.id}" repetido`);
          else outOfScope.push({ ...t, file });
        }
      }
      continue;
    }
    const r = categorySchema.safeParse(doc);
    if (!r.success) {
      problems.push(...describeZodError(file, doc, r.error));
      continue;
    }
    const cat: FaqCategory = { id: r.data.category, title: r.data.title, order: r.data.order, file, entries: [] };
    for (const e of r.data.entries) {
      const prev = entries.get(e.id);
      if (prev) {
        problems.push(`${file}: entrada "${e.id}": id repetido (já usado em ${prev.file})`);
        continue;
      }
      const entry: FaqEntry = { ...e, category: cat.id, file };
      entries.set(e.id, entry);
      cat.entries.push(entry);
    }
    categories.push(cat);
  }
  const seenIntents = new Set<string>();
  for (const i of intents) {
    if (seenIntents.has(i.id)) problems.push(`${i.file}: intenção "${i.id}" repetida`);
    if (entries.has(i.id)) problems.push(`${i.file}: intenção "${i.id}" tem o mesmo id de uma entrada do FAQ`);
    seenIntents.add(i.id);
  }
  const orders = new Map<number, string>();
  for (const c of categories) {
    const other = orders.get(c.order);
    if (other) problems.push(`${c.file}: order ${c.order} repetido (também em ${other})`);
    orders.set(c.order, c.file);
  }
  if (categories.length === 0) problems.push(`${dir}: nenhuma categoria encontrada`);
  const requestIds = new Set(requests.map((r) => r.id));
  for (const e of entries.values()) {
    if (e.flow && !requestIds.has(e.flow)) {
      problems.push(`${e.file}: entrada "${e.id}": flow "${e.flow}" não é um tipo de solicitação registrado em flows/index.ts (${[...requestIds].join(', ') || 'nenhum'})`);
    }
  }
  if (problems.length) throw new FaqError(problems);
  categories.sort((a, b) => a.order - b.order);
  return { categories, entries, intents, synonyms, contextual, outOfScope, requests };
}
