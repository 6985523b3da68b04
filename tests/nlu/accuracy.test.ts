import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadKnowledge } from '../../src/understanding.js';
import { evaluate, formatEvaluation, loadHeldOut } from '../../src/nlu/evaluate.js';
import { Matcher } from '../../src/nlu/matcher.js';
import { fold } from '../../src/nlu/spelling.js';
import { projectRoot } from '../../src/paths.js';

// tests/nlu/heldout.yaml was written apart from faq/ and is never used for training.
const kb = loadKnowledge(path.join(projectRoot, 'faq'));
const matcher = new Matcher(kb);
const items = loadHeldOut(path.join(projectRoot, 'tests/nlu/heldout.yaml'));

describe('held-out accuracy', () => {
  it('covers every FAQ entry and out-of-scope messages, with no phrasing copied from training', () => {
    expect(items.length).toBeGreaterThanOrEqual(150);
    const labels = new Set(items.map((i) => i.expect));
    for (const id of kb.entries.keys()) expect(labels).toContain(id);
    expect(items.filter((i) => i.expect === 'out_of_scope').length).toBeGreaterThanOrEqual(30);
    const training = new Set<string>();
    for (const e of kb.entries.values()) for (const t of [e.question, ...e.examples]) training.add(fold(t));
    for (const i of kb.intents) for (const t of i.examples) training.add(fold(t));
    const copied = items.filter((i) => training.has(fold(i.text)));
    expect(copied).toEqual([]);
  });

  it('gets at least 90% top-1 and rarely answers a wrong entry with confidence', () => {
    const ev = evaluate(matcher, items);
    // The figure and the confusion of the misses, for whoever reads the test log.
    process.stderr.write(`\n[held-out] ${formatEvaluation(ev)}\n`);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.9);
    // A wrong answer is worse than a question back: keep confident mistakes under 3%.
    expect(ev.answeredWrong / ev.total).toBeLessThan(0.03);
  });

  it('rejects most out-of-scope questions instead of answering some FAQ', () => {
    const ev = evaluate(matcher, items);
    expect(ev.outOfScope.rejected / ev.outOfScope.total).toBeGreaterThanOrEqual(0.8);
  });
});
