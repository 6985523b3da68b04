import type { Db } from '../db/database.js';
import * as store from '../db/learning.js';
import type { UnansweredKind, UnansweredMessage } from '../db/schema.js';
import { OUT_OF_SCOPE_LABEL, requestLabel, type KnowledgeBase } from '../faq/knowledge.js';
import type { Logger } from '../logger.js';
import { sameTopic } from '../nlu/evaluate.js';
import type { MatcherHolder } from '../nlu/holder.js';
import { Matcher, type MatcherOptions, type TrainingText } from '../nlu/matcher.js';

/** Out-of-scope topic for messages staff mark out of scope without choosing one. */
export const MARKED_TOPIC = 'marcados-no-painel';
export const MARKED_TOPIC_TITLE = 'Marcados como fora do escopo no painel';

/** Unanswered messages that ask the same thing, as the page shows them. */
export interface UnansweredGroup {
  /** Row ids (the form sends them back). */
  ids: number[];
  /** Distinct texts, most frequent first (at most 5). */
  texts: string[];
  count: number;
  /** Distinct people who wrote them. */
  people: number;
  kinds: UnansweredKind[];
  /** The bot's guesses over the group, most frequent first (FAQ entries, requests, out-of-scope topics). */
  guesses: string[];
  lastAt: string;
}

export interface LearnResult {
  /** Examples added to the matcher. */
  learned: number;
  /** Texts not taught, with why (pt-BR, for the page). */
  skipped: Array<{ text: string; reason: string }>;
}

// Markers the masking left ([cpf], [email]...) say nothing about the question.
const MARKERS = /\[(cpf|cnpj|email|chave-pix|tel(?:…\d{0,4})?)\]/g;
const GROUP_SIMILARITY = 0.5;
// Intents the matcher answers from phrases, not from training texts (src/nlu/matcher.ts).
const SMALLTALK_INTENTS = new Set(['saudacao', 'agradecimento', 'despedida']);

/** Every example staff taught, as training texts (exported ones included: faq/ of this process may predate the export). */
export function learnedTrainingTexts(db: Db): TrainingText[] {
  return store.listLearned(db).map((e) => ({ label: e.label, text: e.text.replace(MARKERS, ' ') }));
}

/** The FAQ's own training texts of a label (what the matcher trains on before the learned ones). */
export function faqTextsOf(kb: KnowledgeBase, label: string): string[] {
  const texts: string[] = [];
  const entry = kb.entries.get(label);
  if (entry) texts.push(entry.question, ...entry.examples);
  for (const r of kb.requests) if (requestLabel(r.id) === label) texts.push(...r.examples);
  for (const i of kb.intents) if (i.id === label && !SMALLTALK_INTENTS.has(i.id)) texts.push(...i.examples);
  for (const t of kb.outOfScope ?? []) if (`${OUT_OF_SCOPE_LABEL}/${t.id}` === label) texts.push(...t.examples);
  return texts;
}

/** The learned examples the FAQ does not already have (an exported example is trained once, as the FAQ's). */
export function untaught(kb: KnowledgeBase, learned: TrainingText[]): TrainingText[] {
  const known = new Map<string, Set<string>>();
  const has = (t: TrainingText) => {
    let texts = known.get(t.label);
    if (!texts) known.set(t.label, (texts = new Set(faqTextsOf(kb, t.label))));
    return texts.has(t.text);
  };
  return learned.filter((t) => !has(t));
}

/**
 * The learning loop behind "Perguntas não respondidas": groups what the bot did not answer,
 * turns staff decisions into training examples (an FAQ entry, or out of scope), writes down
 * questions to add to the FAQ, and retrains the matcher in the running process.
 */
export class LearningService {
  constructor(
    private readonly o: { db: Db; kb: KnowledgeBase; holder: MatcherHolder; options?: MatcherOptions; logger?: Logger; clock?: () => number },
  ) {}

  private now(): string {
    return new Date((this.o.clock ?? Date.now)()).toISOString();
  }

  get kb(): KnowledgeBase {
    return this.o.kb;
  }

  /** Every example staff taught (exported ones included: faq/ of this process predates the export). */
  learnedExamples(): TrainingText[] {
    return learnedTrainingTexts(this.o.db);
  }

  /** Trains a matcher on the FAQ plus the learned examples and swaps it in. */
  retrain(): Matcher {
    const started = Date.now();
    const extra = untaught(this.o.kb, this.learnedExamples());
    const next = new Matcher(this.o.kb, this.o.options, undefined, extra);
    this.o.holder.swap(next);
    this.o.logger?.info({ learned: extra.length, ms: Date.now() - started }, 'matcher retrained with learned examples');
    return next;
  }

  openCount(): number {
    return store.countOpenUnanswered(this.o.db);
  }

  /** The open unanswered messages, grouped by similarity, biggest groups first. */
  groups(limit = 1000): UnansweredGroup[] {
    const rows = store.listOpenUnanswered(this.o.db, limit);
    const analyzer = this.o.holder.current.analyzer;
    const vectors = rows.map((r) => new Set(analyzer.analyze(r.text.replace(MARKERS, ' ')).stems));
    const groups: Array<{ rows: UnansweredMessage[]; seed: Set<string> }> = [];
    // The same text always joins its group: a lookup, not a scan of every row of every group.
    const byText = new Map<string, (typeof groups)[number]>();
    rows.forEach((row, i) => {
      const text = row.text.toLowerCase();
      let group = byText.get(text);
      if (!group) {
        const v = vectors[i];
        let best: (typeof groups)[number] | null = null;
        let bestSim = 0;
        for (const g of groups) {
          const sim = cosine(v, g.seed);
          if (sim > bestSim) {
            bestSim = sim;
            best = g;
          }
        }
        if (best && bestSim >= GROUP_SIMILARITY) group = best;
        else groups.push((group = { rows: [], seed: v }));
        byText.set(text, group);
      }
      group.rows.push(row);
    });
    return groups
      .map(({ rows: rs }) => {
        const texts = countBy(rs.map((r) => r.text));
        const guesses = countBy(rs.flatMap((r) => (JSON.parse(r.guesses) as string[]).slice(0, 2)));
        return {
          ids: rs.map((r) => r.id),
          texts: texts.slice(0, 5),
          count: rs.length,
          people: new Set(rs.map((r) => r.chat_key)).size,
          kinds: [...new Set(rs.map((r) => r.kind))],
          guesses: guesses.slice(0, 3),
          lastAt: rs.reduce((a, r) => (r.at > a ? r.at : a), ''),
        };
      })
      .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
  }

  /** The open rows among `ids` (rows already handled by someone else are left out). */
  private openRows(ids: number[]): UnansweredMessage[] {
    return store.findUnanswered(this.o.db, ids).filter((r) => r.status === 'open');
  }

  /**
   * Teaches the texts as examples of `label`; a text that (normalised) already is an example of
   * another label is skipped, so `faq check` stays valid.
   */
  private teach(rows: UnansweredMessage[], label: string, by: number | null): LearnResult {
    const matcher = this.o.holder.current;
    const key = (text: string) => [...matcher.analyzer.analyze(text).features.keys()].sort().join(' ');
    const owners = new Map<string, string>();
    for (const t of matcher.training) owners.set(key(t.text), t.label);
    const same = (a: string, b: string) => a === b || sameTopic(this.o.kb, a, b) || sameTopic(this.o.kb, b, a) || (a.startsWith(OUT_OF_SCOPE_LABEL) && b.startsWith(OUT_OF_SCOPE_LABEL));
    const result: LearnResult = { learned: 0, skipped: [] };
    const at = this.now();
    for (const row of rows) {
      const text = row.text.replace(MARKERS, ' ').replace(/\s+/g, ' ').trim();
      const k = key(text);
      if (!k) {
        result.skipped.push({ text: row.text, reason: 'não tem palavras que o bot use para entender' });
        continue;
      }
      const owner = owners.get(k);
      if (owner && !same(owner, label)) {
        result.skipped.push({ text: row.text, reason: `já é um exemplo de "${owner}"` });
        continue;
      }
      if (store.insertLearned(this.o.db, { label, text, unansweredId: row.id, by, at })) result.learned++;
      owners.set(k, label);
    }
    return result;
  }

  /** "Esta dúvida é a entrada X": the group's texts become examples of the entry; the matcher retrains. */
  assign(ids: number[], entryId: string, by: number | null): LearnResult {
    if (!this.o.kb.entries.has(entryId)) throw new Error(`entrada desconhecida: ${entryId}`);
    const result = this.o.db.transaction(() => {
      const rows = this.openRows(ids);
      const r = this.teach(rows, entryId, by);
      store.resolveUnanswered(this.o.db, rows.map((x) => x.id), { status: 'assigned', resolution: entryId, by, at: this.now() });
      return r;
    });
    if (result.learned) this.retrain();
    return result;
  }

  /** "Fora do escopo": the texts become out-of-scope examples (of a topic); the matcher retrains. */
  markOutOfScope(ids: number[], topic: string | null, by: number | null): LearnResult {
    const t = topic && this.o.kb.outOfScope.some((x) => x.id === topic) ? topic : MARKED_TOPIC;
    const label = `${OUT_OF_SCOPE_LABEL}/${t}`;
    const result = this.o.db.transaction(() => {
      const rows = this.openRows(ids);
      const r = this.teach(rows, label, by);
      store.resolveUnanswered(this.o.db, rows.map((x) => x.id), { status: 'out_of_scope', resolution: t, by, at: this.now() });
      return r;
    });
    if (result.learned) this.retrain();
    return result;
  }

  /** "Anotar como pergunta nova": kept for whoever writes the FAQ, with the question as staff worded it. */
  writeDown(ids: number[], question: string, by: number | null): number {
    const q = question.replace(/\s+/g, ' ').trim().slice(0, 300);
    if (q.length < 5) throw new Error('escreva a pergunta (ao menos 5 letras)');
    return store.resolveUnanswered(this.o.db, ids, { status: 'new_question', resolution: q, by, at: this.now() });
  }

  /** "Descartar": noise (a test, a wrong number) that teaches nothing. */
  dismiss(ids: number[], by: number | null): number {
    return store.resolveUnanswered(this.o.db, ids, { status: 'dismissed', resolution: null, by, at: this.now() });
  }

  /** Questions written down to add to the FAQ, with the messages they came from. */
  writtenDown(): Array<{ question: string; texts: string[]; at: string }> {
    const byQuestion = new Map<string, { question: string; texts: string[]; at: string }>();
    for (const r of store.listWrittenDown(this.o.db)) {
      const q = r.resolution ?? '';
      const item = byQuestion.get(q) ?? { question: q, texts: [], at: r.resolved_at ?? r.at };
      if (!item.texts.includes(r.text)) item.texts.push(r.text);
      byQuestion.set(q, item);
    }
    return [...byQuestion.values()];
  }
}

function cosine(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / Math.sqrt(a.size * b.size);
}

/** Distinct values, most frequent first (ties in first-seen order). */
function countBy(values: string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}
