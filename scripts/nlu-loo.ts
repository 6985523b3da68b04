// Dev helper: leave-one-out accuracy on the training examples (tuning without touching the held-out set).
import '../src/quiet-dotenv.js';
import path from 'node:path';
import { loadKnowledge } from '../src/understanding.js';
import { Matcher } from '../src/nlu/matcher.js';
import { decisionLabel } from '../src/nlu/evaluate.js';
import { projectRoot } from '../src/paths.js';

const kb = loadKnowledge(path.join(projectRoot, 'faq'));
const [mc, mm, cf] = (process.env.MATCHER_T ?? '0.5,0.08,0.3').split(',').map(Number);
const m = new Matcher(kb, { minConfidence: mc, minMargin: mm, clarifyFloor: cf });
let right = 0;
let n = 0, ok = 0, wrong = 0, clar = 0;
const conf = new Map<string, number>();
for (const [label, examples] of [...[...kb.entries.values()].map((e) => [e.id, e.examples] as const), ...kb.intents.filter((i) => ['atendente', 'status-protocolo', 'fora-do-escopo'].includes(i.id)).map((i) => [i.id, i.examples] as const)]) {
  for (const text of examples) {
    n++;
    const c = m.classify(text, text);
    const got = decisionLabel(c);
    const exp = label === 'fora-do-escopo' ? 'out_of_scope' : label;
    if (got === exp) ok++;
    else conf.set(`${exp} <- ${got}`, (conf.get(`${exp} <- ${got}`) ?? 0) + 1);
    if (c.kind === 'answer' && c.id !== label) wrong++;
    if (c.kind === 'answer' && c.id === label) right++;
    if (c.kind === 'clarify') clar++;
  }
}
console.log(`LOO: ${ok}/${n} = ${(100 * ok / n).toFixed(1)}%  right ${right} confident-wrong ${wrong}  clarify ${clar}`);
if (process.argv[2] === '-v') console.log([...conf].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v} ${k}`).join('\n'));
