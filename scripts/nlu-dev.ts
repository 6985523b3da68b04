// Dev helper: the misses of the development set, with their texts (tests/nlu/devset.yaml is for
// finding weaknesses; the held-out set stays unread). `npx tsx scripts/nlu-dev.ts`
import '../src/quiet-dotenv.js';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { evaluate, loadHeldOut } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';

const m = new Matcher(loadKnowledge(path.join(projectRoot, 'faq')));
const ev = evaluate(m, loadHeldOut(path.join(projectRoot, 'tests/nlu/devset.yaml')));
console.log(`dev top-1 ${ev.top1}/${ev.total} = ${(100 * ev.accuracy).toFixed(1)}%, wrong answers ${ev.answeredWrong}, asked back ${ev.clarified}`);
for (const x of ev.misses) console.log(`${x.expect} <- ${x.got} [${x.kind} ${x.confidence}] ${x.text}`);
