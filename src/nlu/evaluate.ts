import fs from 'node:fs';
import YAML from 'yaml';
import { requestOfLabel, type KnowledgeBase } from '../faq/knowledge.js';
import type { Classification, Matcher, MatcherOptions } from './matcher.js';

/** Label for evaluation phrasings the bot must not answer from the FAQ. */
export const HELDOUT_OUT_OF_SCOPE = 'out_of_scope';
const SMALLTALK = new Set(['saudacao', 'agradecimento', 'despedida']);

export interface HeldOutItem {
  text: string;
  /** An FAQ entry id, an intent (atendente, status-protocolo, saudacao...), `request:<id>` or out_of_scope. */
  expect: string;
  /** How it is written (real, whatsapp, typo, partner, multi, formal, indirect), when the set says. */
  style?: string;
  source?: string;
}

export function loadHeldOut(file: string): HeldOutItem[] {
  return (YAML.parse(fs.readFileSync(file, 'utf8')) as { items: HeldOutItem[] }).items;
}

/** What the bot would do with the text, as one label. */
export function decisionLabel(c: Classification): string {
  switch (c.kind) {
    case 'answer':
      return c.id;
    case 'clarify':
      return c.options[0];
    case 'smalltalk':
      return c.id;
    case 'none':
      return HELDOUT_OUT_OF_SCOPE;
  }
}

/**
 * A request type's label and the FAQ entry that describes the same request lead to the same
 * flow: deciding one for the other is right ("quero um boleto novo" -> request:boleto_renewal
 * when the set expects financeiro-boleto-vencido).
 */
export function sameTopic(kb: KnowledgeBase, expected: string, got: string): boolean {
  if (expected === got) return true;
  const flow = requestOfLabel(got);
  return flow !== null && (kb.entries.get(expected)?.flow === flow || requestOfLabel(expected) === flow);
}

export type Outcome =
  | 'right' // answered right at once (in scope), declined (out of scope)
  | 'asked-first' // asked back, the right option first
  | 'asked-present' // asked back, the right option among the others
  | 'asked-absent' // asked back without the right option (out of scope: asked back at all)
  | 'declined' // said it does not know (in scope)
  | 'wrong'; // answered with another label (out of scope: answered with the FAQ)

export interface ItemResult {
  item: HeldOutItem;
  outOfScope: boolean;
  outcome: Outcome;
  got: string;
  kind: Classification['kind'];
  confidence: number;
  /** Declined although the right label was the best candidate. */
  rightWasFirst: boolean;
}

export interface SetReport {
  name: string;
  total: number;
  inScope: { total: number; right: number; asked: number; askedFirst: number; askedPresent: number; askedAbsent: number; declined: number; declinedRightFirst: number; wrong: number };
  outOfScope: { total: number; declined: number; asked: number; answered: number };
  /** Right decision per style: in scope answered right at once, out of scope declined. */
  styles: Array<{ style: string; total: number; right: number; inScope: number; inScopeRight: number }>;
  /** In scope right at once vs out of scope answered, as the answer threshold moves. */
  curve: Array<{ threshold: number; inScopeRight: number; outOfScopeAnswered: number; wrong: number }>;
  /** FAQ entries and intents with no phrasing in the set. */
  notCovered: string[];
  results: ItemResult[];
}

export function judge(kb: KnowledgeBase, item: HeldOutItem, c: Classification): ItemResult {
  const outOfScope = item.expect === HELDOUT_OUT_OF_SCOPE;
  const got = c.kind === 'none' ? `${HELDOUT_OUT_OF_SCOPE}` : decisionLabel(c);
  const right = (label: string) => sameTopic(kb, item.expect, label);
  let outcome: Outcome;
  if (outOfScope) {
    outcome = c.kind === 'none' ? 'right' : c.kind === 'clarify' ? 'asked-absent' : 'wrong';
  } else if (c.kind === 'answer' || c.kind === 'smalltalk') {
    outcome = right(c.id) ? 'right' : 'wrong';
  } else if (c.kind === 'clarify') {
    outcome = right(c.options[0]) ? 'asked-first' : c.options.some(right) ? 'asked-present' : 'asked-absent';
  } else outcome = 'declined';
  const first = c.candidates[0]?.id;
  return { item, outOfScope, outcome, got, kind: c.kind, confidence: c.confidence, rightWasFirst: !outOfScope && !!first && right(first) };
}

const CURVE = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

export function evaluateSet(matcher: Matcher, items: HeldOutItem[], name = '', options?: MatcherOptions): SetReport {
  const kb = matcher.kb;
  const results = items.map((item) => judge(kb, item, matcher.classify(item.text, options)));
  const ins = results.filter((r) => !r.outOfScope);
  const outs = results.filter((r) => r.outOfScope);
  const count = (rs: ItemResult[], o: Outcome) => rs.filter((r) => r.outcome === o).length;
  const styles = new Map<string, { style: string; total: number; right: number; inScope: number; inScopeRight: number }>();
  for (const r of results) {
    const style = r.item.style ?? '—';
    const s = styles.get(style) ?? { style, total: 0, right: 0, inScope: 0, inScopeRight: 0 };
    s.total++;
    if (r.outcome === 'right') s.right++;
    if (!r.outOfScope) {
      s.inScope++;
      if (r.outcome === 'right') s.inScopeRight++;
    }
    styles.set(style, s);
  }
  const base = options ?? (matcher as unknown as { options: MatcherOptions }).options;
  const curve = CURVE.map((threshold) => {
    const opts = { ...base, minConfidence: threshold };
    let right = 0;
    let answered = 0;
    let wrong = 0;
    for (const item of items) {
      const r = judge(kb, item, matcher.classify(item.text, opts));
      if (r.outOfScope) {
        if (r.outcome === 'wrong') answered++;
      } else if (r.outcome === 'right') right++;
      else if (r.outcome === 'wrong') wrong++;
    }
    return { threshold, inScopeRight: ins.length ? right / ins.length : 0, outOfScopeAnswered: outs.length ? answered / outs.length : 0, wrong: ins.length ? wrong / ins.length : 0 };
  });
  const labels = [...kb.entries.keys(), ...kb.intents.map((i) => i.id).filter((id) => id !== 'fora-do-escopo')];
  const notCovered = labels.filter((id) => !items.some((i) => sameTopic(kb, i.expect, id) || sameTopic(kb, id, i.expect)));
  return {
    name,
    total: results.length,
    inScope: {
      total: ins.length,
      right: count(ins, 'right'),
      asked: count(ins, 'asked-first') + count(ins, 'asked-present') + count(ins, 'asked-absent'),
      askedFirst: count(ins, 'asked-first'),
      askedPresent: count(ins, 'asked-present'),
      askedAbsent: count(ins, 'asked-absent'),
      declined: count(ins, 'declined'),
      declinedRightFirst: ins.filter((r) => r.outcome === 'declined' && r.rightWasFirst).length,
      wrong: count(ins, 'wrong'),
    },
    outOfScope: { total: outs.length, declined: count(outs, 'right'), asked: count(outs, 'asked-absent'), answered: count(outs, 'wrong') },
    styles: [...styles.values()].sort((a, b) => b.total - a.total),
    curve,
    notCovered,
    results,
  };
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1).replace('.', ',')} %` : '—');

/**
 * The report of one set in aggregate figures only: no phrasing and no per-item line, so a blind
 * set can be measured without being read.
 */
export function formatReport(r: SetReport): string {
  const i = r.inScope;
  const o = r.outOfScope;
  const lines = [
    `== ${r.name}: ${r.total} frases (${i.total} no escopo, ${o.total} fora do escopo)`,
    `  no escopo: certas de primeira ${i.right} (${pct(i.right, i.total)}) · perguntou de volta ${i.asked} (opção certa em 1º ${i.askedFirst}, entre as outras ${i.askedPresent}, ausente ${i.askedAbsent}) · não soube ${i.declined} (a certa era a 1ª candidata em ${i.declinedRightFirst}) · respostas erradas ${i.wrong} (${pct(i.wrong, i.total)})`,
    `  fora do escopo: recusadas ${o.declined} (${pct(o.declined, o.total)}) · perguntou de volta ${o.asked} · respondidas com o FAQ ${o.answered} (${pct(o.answered, o.total)})`,
    `  por estilo (decisão certa: no escopo certa de primeira, fora do escopo recusada): ${r.styles.map((s) => `${s.style} ${pct(s.right, s.total)} (${s.total}; no escopo ${s.inScopeRight}/${s.inScope})`).join(' · ')}`,
    `  curva (limiar de resposta: no escopo certas / erradas / fora do escopo respondidas): ${r.curve.map((c) => `${c.threshold.toFixed(2)}: ${pct(c.inScopeRight, 1)} / ${pct(c.wrong, 1)} / ${pct(c.outOfScopeAnswered, 1)}`).join(' · ')}`,
    `  cobertura: ${r.notCovered.length ? `sem nenhuma frase neste conjunto: ${r.notCovered.join(', ')}` : 'todas as entradas e intenções têm frases'}`,
  ];
  return lines.join('\n');
}
