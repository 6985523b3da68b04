import { Matcher, OUT_OF_SCOPE, type MatcherOptions } from '../nlu/matcher.js';
import { loadKnowledge } from '../understanding.js';
import { sameTopic } from '../nlu/evaluate.js';
import { FaqError, requestOfLabel, type KnowledgeBase } from './knowledge.js';

export interface CheckProblem {
  file: string;
  entry: string;
  message: string;
}

export interface CheckReport {
  kb: KnowledgeBase | null;
  errors: CheckProblem[];
  warnings: CheckProblem[];
  examples: number;
}

/**
 * `bot faq check`: schema, duplicate ids, empty answers, and every example run through a
 * matcher trained without it (5-fold cross-validation). An example the matcher answers with
 * another entry is an error: the bot would answer a customer wrongly. One it only hesitates
 * on (asks back) is a warning.
 */
export function checkFaq(dir: string, options?: MatcherOptions): CheckReport {
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledge(dir);
  } catch (e) {
    if (e instanceof FaqError) {
      // Each problem reads "file: where: what"; keep the file once (the CLI prints it first).
      return { kb: null, examples: 0, warnings: [], errors: e.problems.map((p) => ({ file: p.split(':')[0], entry: '', message: p.slice(p.indexOf(':') + 1).trim() })) };
    }
    throw e;
  }
  const errors: CheckProblem[] = [];
  const warnings: CheckProblem[] = [];
  const full = new Matcher(kb, options);
  const fileOf = new Map<string, string>([...[...kb.entries.values()].map((e) => [e.id, e.file] as const), ...kb.intents.map((i) => [i.id, i.file] as const)]);
  // A request type's phrasings live in its declaration (flows/); it and the entry that describes it are one topic.
  const where = (label: string) => fileOf.get(label) ?? (requestOfLabel(label) ? `flows/ (${requestOfLabel(label)})` : label);
  const same = (a: string, b: string) => sameTopic(kb, a, b) || sameTopic(kb, b, a);

  const seen = new Map<string, string>();
  full.training.forEach(({ label, text }) => {
    const key = full.analyzer.analyze(text).stems.join(' ');
    const other = seen.get(key);
    if (other && !same(other, label)) errors.push({ file: where(label), entry: label, message: `exemplo "${text}" é igual (após normalização) a um exemplo de "${other}"` });
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
  for (let fold = 0; fold < FOLDS; fold++) {
    const matcher = new Matcher(kb, options, (i) => foldOf[i] !== fold);
    full.training.forEach(({ label, text }, i) => {
      if (foldOf[i] !== fold) return;
      const file = where(label);
      const c = matcher.classify(text);
      const expectNone = label === OUT_OF_SCOPE;
      if (c.kind === 'answer' && !same(c.id, label)) {
        errors.push({ file, entry: label, message: `exemplo "${text}" é respondido com a entrada "${c.id}" (confiança ${c.confidence.toFixed(2)})` });
      } else if (c.kind === 'none' && !expectNone) {
        warnings.push({ file, entry: label, message: `exemplo "${text}" não é reconhecido (${c.reason})` });
      } else if (c.kind === 'clarify' && (expectNone || !same(c.options[0], label))) {
        warnings.push({ file, entry: label, message: `exemplo "${text}" gera dúvida entre ${c.options.join(', ')}` });
      }
    });
  }
  const examples = full.training.length;
  for (const e of kb.entries.values()) {
    if (!/\S/.test(e.answer)) errors.push({ file: e.file, entry: e.id, message: 'resposta vazia' });
  }
  return { kb, errors, warnings, examples };
}
