// Dev helper: the development sets' figures and, with --misses, their misses with texts.
// `npx tsx scripts/nlu-dev.ts [--misses] [FILES...]` (default: heldout, devset and the blind dev set).
// It refuses the final blind set: that one is measured only by `faq eval`, in aggregate.
import '../src/quiet-dotenv.js';
import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { evaluateSet, formatReport, loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';

const args = process.argv.slice(2);
const misses = args.includes('--misses');
const files = args.filter((a) => !a.startsWith('--'));
const sets = files.length ? files : ['tests/nlu/heldout.yaml', 'tests/nlu/devset.yaml', 'tests/nlu/blind-dev-2026-12.yaml'];
const t0 = performance.now();
const m = new Matcher(loadKnowledge(path.join(projectRoot, 'faq')));
console.log(`training ${(performance.now() - t0).toFixed(0)} ms`);
for (const file of sets) {
  // A blind set says so in its first line ("# read: no"); once read it is a development set.
  if (/^# read: no/.test(fs.readFileSync(file, 'utf8'))) throw new Error(`${file}: the final blind set is never read; use npm run bot -- faq eval`);
  const r = evaluateSet(m, loadHeldOut(path.resolve(projectRoot, file)), file);
  console.log(formatReport(r));
  if (!misses) continue;
  for (const x of r.results) {
    if (x.outcome === 'right') continue;
    const c = m.classify(x.item.text);
    console.log(`  [${x.item.style ?? '-'}] ${x.item.expect} <= ${x.outcome} ${c.kind === 'clarify' ? c.options.join('|') : x.got} ${x.confidence.toFixed(2)} | ${x.item.text}\n        ${c.candidates.slice(0, 3).map((k) => `${k.id}${k.topic ? `/${k.topic}` : ''}:${k.score.toFixed(2)}`).join(' ')}`);
  }
}
