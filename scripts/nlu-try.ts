// Dev helper: `npx tsx scripts/nlu-try.ts "texto"` prints the matcher's decision and candidates.
import '../src/quiet-dotenv.js';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { projectRoot } from '../src/paths.js';

const m = new Matcher(loadKnowledge(path.join(projectRoot, 'faq')));
for (const text of process.argv.slice(2)) {
  const c = m.classify(text);
  console.log(text, '=>', c.kind, 'id' in c ? c.id : 'options' in c ? c.options : '', c.confidence.toFixed(2));
  console.log('   ', m.analyzer.analyze(text).stems.join(' '), '|', c.candidates.map((x) => `${x.id}:${x.score.toFixed(2)}/${x.similarity.toFixed(2)}`).join(' '));
}
