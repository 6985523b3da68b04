import fs from 'node:fs';
import YAML from 'yaml';
import { requestOfLabel, type KnowledgeBase } from '../faq/knowledge.js';
import type { Classification, Matcher } from './matcher.js';

/** Label for held-out phrasings the bot must not answer from the FAQ. */
export const HELDOUT_OUT_OF_SCOPE = 'out_of_scope';

export interface HeldOutItem {
  text: string;
  expect: string;
}

export interface Evaluation {
  total: number;
  /** The bot's decision names the expected label (entry answered, first option, or "none" for out of scope). */
  top1: number;
  accuracy: number;
  answeredRight: number;
  /** Confident answers with the wrong entry: the errors that hurt. */
  answeredWrong: number;
  clarified: number;
  outOfScope: { total: number; rejected: number };
  misses: Array<{ text: string; expect: string; got: string; kind: Classification['kind']; confidence: number }>;
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

export function evaluate(matcher: Matcher, items: HeldOutItem[]): Evaluation {
  const ev: Evaluation = { total: items.length, top1: 0, accuracy: 0, answeredRight: 0, answeredWrong: 0, clarified: 0, outOfScope: { total: 0, rejected: 0 }, misses: [] };
  for (const item of items) {
    const c = matcher.classify(item.text);
    const got = decisionLabel(c);
    const right = sameTopic(matcher.kb, item.expect, got);
    if (right) ev.top1++;
    else ev.misses.push({ text: item.text, expect: item.expect, got, kind: c.kind, confidence: Number(c.confidence.toFixed(3)) });
    if (c.kind === 'answer') right ? ev.answeredRight++ : ev.answeredWrong++;
    if (c.kind === 'clarify') ev.clarified++;
    if (item.expect === HELDOUT_OUT_OF_SCOPE) {
      ev.outOfScope.total++;
      if (c.kind === 'none') ev.outOfScope.rejected++;
    }
  }
  ev.accuracy = ev.total ? ev.top1 / ev.total : 0;
  return ev;
}

export function formatEvaluation(ev: Evaluation): string {
  const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
  const lines = [
    `top-1: ${ev.top1}/${ev.total} = ${pct(ev.accuracy)}`,
    `answered right: ${ev.answeredRight}, answered WRONG: ${ev.answeredWrong}, asked back: ${ev.clarified}, out-of-scope rejected: ${ev.outOfScope.rejected}/${ev.outOfScope.total}`,
  ];
  if (ev.misses.length) {
    // The confusion of the misses, without their texts: whoever writes training data reads
    // this output and must not see the held-out phrasings.
    const pairs = new Map<string, number>();
    for (const m of ev.misses) pairs.set(`${m.expect} -> ${m.got} (${m.kind})`, (pairs.get(`${m.expect} -> ${m.got} (${m.kind})`) ?? 0) + 1);
    lines.push('confusion of the misses (expected -> decided):');
    for (const [pair, n] of [...pairs].sort((a, b) => b[1] - a[1])) lines.push(`  ${n} x ${pair}`);
  }
  return lines.join('\n');
}
