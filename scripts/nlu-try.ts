// Dev helper: `npx tsx scripts/nlu-try.ts "texto" ...` prints the matcher's decision, its
// features and the candidates with their calibrated probabilities and similarities.
import '../src/quiet-dotenv.js';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { projectRoot } from '../src/paths.js';

const m = new Matcher(loadKnowledge(path.join(projectRoot, 'faq')));
for (const text of process.argv.slice(2)) {
  const c = m.classify(text);
  const a = m.analyzer.analyze(text);
  console.log(`${text}\n  => ${c.kind} ${'id' in c ? c.id : 'options' in c ? c.options.join('|') : ''} ${'reason' in c ? c.reason : ''} ${c.confidence.toFixed(2)}`);
  console.log(`  features: ${[...a.features].map(([f, w]) => (w === 1 ? f : `${f}:${w}`)).join(' ')}`);
  console.log(`  ${c.candidates.map((x) => `${x.id}${x.topic ? `/${x.topic}` : ''}:${x.score.toFixed(2)}/${x.similarity.toFixed(2)}`).join(' ')}`);
}
