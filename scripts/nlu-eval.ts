// Dev helper: prints the held-out evaluation and matcher speed. `npx tsx scripts/nlu-eval.ts`
import '../src/quiet-dotenv.js';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { evaluate, formatEvaluation, loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';

const t0 = performance.now();
const kb = loadKnowledge(path.join(projectRoot, 'faq'));
const m = new Matcher(kb);
console.log('training ms', (performance.now() - t0).toFixed(0));
const items = loadHeldOut(path.join(projectRoot, 'tests/nlu/heldout.yaml'));
console.log(formatEvaluation(evaluate(m, items)));
