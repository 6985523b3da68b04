import { Matcher, OUT_OF_SCOPE, type MatcherOptions, type TrainingText } from '../nlu/matcher.js';
import { loadKnowledge } from '../understanding.js';
import { sameTopic } from '../nlu/evaluate.js';
import { FaqError, OUT_OF_SCOPE_LABEL, requestOfLabel, type KnowledgeBase } from './knowledge.js';

export interface CheckProblem {
  file: string;
  entry: string;
  message: string;
}

export interface CheckReport {
  kb: KnowledgeBase | null;
  errors: CheckProblem[];
  /** Out-of-scope conflicts: an out-of-scope example answered with an entry, or an entry's example declined as out of scope. */
  conflicts: CheckProblem[];
  warnings: CheckProblem[];
  examples: number;
  /** Cross-validation: examples whose label the matcher trained without them decides right at once. */
  crossValidation: { right: number; total: number; perLabel: Array<{ label: string; right: number; total: number }> };
}

/**
 * A wrong answer this sure, while the example's own entry is not even a candidate (below
 * OWN_LABEL_FLOOR), is an error to fix: the example reads as another entry's. Other wrong answers
 * are warnings to read: a calibrated matcher is wrong now and then where two entries are close.
 */
export const ERROR_CONFIDENCE = 0.9;
export const OWN_LABEL_FLOOR = 0.02;

const isOutOfScope = (label: string) => label === OUT_OF_SCOPE || label.startsWith(`${OUT_OF_SCOPE_LABEL}/`);

/**
 * `bot faq check`: schema, duplicate ids, empty answers, and every example run through a
 * matcher trained without it (5-fold cross-validation). An example the matcher answers with
 * another entry with confidence (ERROR_CONFIDENCE), its own entry not even a candidate, is an
 * error: it reads as the other entry's, and the bot would answer a customer wrongly, sure of
 * itself; other wrong answers are warnings. An out-of-scope example
 * answered with an entry, or an entry's example declined as out of scope, is a conflict between
 * the FAQ and its territory (faq/fora-do-escopo.yaml) to read; one it only hesitates on (asks
 * back) is a warning. `learned` are the examples learned in the staff panel, checked with the rest.
 */
export function checkFaq(dir: string, options?: MatcherOptions, learned: TrainingText[] = []): CheckReport {
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledge(dir);
  } catch (e) {
    if (e instanceof FaqError) {
      // Each problem reads "file: where: what"; keep the file once (the CLI prints it first).
      const errors = e.problems.map((p) => ({ file: p.split(':')[0], entry: '', message: p.slice(p.indexOf(':') + 1).trim() }));
      return { kb: null, examples: 0, warnings: [], conflicts: [], errors, crossValidation: { right: 0, total: 0, perLabel: [] } };
    }
    throw e;
  }
  const errors: CheckProblem[] = [];
  const conflicts: CheckProblem[] = [];
  const warnings: CheckProblem[] = [];
  const full = new Matcher(kb, options, undefined, learned);
  const fileOf = new Map<string, string>([
    ...[...kb.entries.values()].map((e) => [e.id, e.file] as const),
    ...kb.intents.map((i) => [i.id, i.file] as const),
    ...kb.outOfScope.map((t) => [`${OUT_OF_SCOPE_LABEL}/${t.id}`, t.file] as const),
  ]);
  const learnedFrom = full.training.length - learned.length;
  // A request type's phrasings live in its declaration (flows/); it and the entry that describes it are one topic.
  const where = (label: string, i: number) =>
    i >= learnedFrom ? 'aprendidos no painel' : (fileOf.get(label) ?? (requestOfLabel(label) ? `flows/ (${requestOfLabel(label)})` : label));
  const same = (a: string, b: string) => sameTopic(kb, a, b) || sameTopic(kb, b, a);

  const seen = new Map<string, string>();
  full.training.forEach(({ label, text }, i) => {
    const key = [...full.analyzer.analyze(text).features.keys()].sort().join(' ');
    const other = seen.get(key);
    if (key && other && !same(other, label) && !(isOutOfScope(other) && isOutOfScope(label))) {
      errors.push({ file: where(label, i), entry: label, message: `exemplo "${text}" é igual (após normalização) a um exemplo de "${other}"` });
    }
    seen.set(key, label);
  });

  // 5-fold cross-validation: each example is classified by a matcher that never saw it.
  // Folds by a hash of the text, not by position: adding one example must not reshuffle them all.
  const FOLDS = 5;
  const foldOf = full.training.map(({ text }) => {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
    return h % FOLDS;
  });
  const perLabel = new Map<string, { label: string; right: number; total: number }>();
  let right = 0;
  for (let fold = 0; fold < FOLDS; fold++) {
    const matcher = new Matcher(kb, options, (i) => foldOf[i] !== fold, learned);
    full.training.forEach(({ label, text }, i) => {
      if (foldOf[i] !== fold) return;
      const file = where(label, i);
      const c = matcher.classify(text);
      const expectNone = isOutOfScope(label);
      const shown = expectNone ? OUT_OF_SCOPE : label;
      const stat = perLabel.get(shown) ?? { label: shown, right: 0, total: 0 };
      stat.total++;
      perLabel.set(shown, stat);
      const ok = expectNone ? c.kind === 'none' : c.kind === 'answer' && same(c.id, label);
      if (ok) {
        right++;
        stat.right++;
      }
      if (c.kind === 'answer' && !same(c.id, label)) {
        const problem = { file, entry: label, message: `exemplo "${text}" é respondido com a entrada "${c.id}" (confiança ${c.confidence.toFixed(2)})` };
        // Two entries that start the same request (desistência and emissão impossível both lead
        // to the refund) only differ in the text: a warning, not an error.
        const sameFlow = !!kb.entries.get(c.id)?.flow && kb.entries.get(c.id)?.flow === kb.entries.get(label)?.flow;
        const own = c.candidates.find((x) => same(x.id, label))?.score ?? 0;
        (expectNone ? conflicts : c.confidence >= ERROR_CONFIDENCE && own < OWN_LABEL_FLOOR && !sameFlow ? errors : warnings).push(problem);
      } else if (c.kind === 'none' && !expectNone) {
        if (c.reason === 'out-of-scope') conflicts.push({ file, entry: label, message: `exemplo "${text}" é recusado como fora do escopo${c.topic ? ` (tema "${c.topic}")` : ''}` });
        else warnings.push({ file, entry: label, message: `exemplo "${text}" não é reconhecido (${c.reason})` });
      } else if (c.kind === 'clarify' && (expectNone || !same(c.options[0], label))) {
        warnings.push({ file, entry: label, message: `exemplo "${text}" gera dúvida entre ${c.options.join(', ')}` });
      }
    });
  }
  const examples = full.training.length;
  for (const e of kb.entries.values()) {
    if (!/\S/.test(e.answer)) errors.push({ file: e.file, entry: e.id, message: 'resposta vazia' });
  }
  return {
    kb,
    errors,
    conflicts,
    warnings,
    examples,
    crossValidation: { right, total: examples, perLabel: [...perLabel.values()].sort((a, b) => a.right / a.total - b.right / b.total) },
  };
}
