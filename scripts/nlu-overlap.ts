// Dev helper: training examples that are (nearly) a phrasing of an evaluation set, so copies do
// not inflate its figures. `npx tsx scripts/nlu-overlap.ts [FILES...]`
import '../src/quiet-dotenv.js';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['tests/nlu/heldout.yaml', 'tests/nlu/devset.yaml', 'tests/nlu/blind-dev-2026-12.yaml'];
const m = new Matcher(loadKnowledge(path.join(projectRoot, 'faq')));
const key = (t: string) => [...new Set(m.analyzer.analyze(t).stems)].sort();
const training = m.training.map((t) => ({ ...t, stems: key(t.text) }));
for (const file of files) {
  if (/final/.test(path.basename(file))) throw new Error('the final blind set is never read');
  for (const item of loadHeldOut(path.resolve(projectRoot, file))) {
    const s = key(item.text);
    if (s.length < 2) continue;
    for (const t of training) {
      const common = s.filter((x) => t.stems.includes(x)).length;
      const jaccard = common / (s.length + t.stems.length - common);
      if (jaccard >= 0.8) console.log(`${path.basename(file)}: "${item.text}" ~ ${t.label}: "${t.text}" (${jaccard.toFixed(2)})`);
    }
  }
}
