import { Matcher, OUT_OF_SCOPE, type MatcherOptions } from '../nlu/matcher.js';
import { FaqError, loadKnowledgeBase, type KnowledgeBase } from './knowledge.js';

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
 * `bot faq check`: schema, duplicate ids, empty answers, and every example run through the
 * matcher trained without it (leave-one-out). An example the matcher answers with another
 * entry is an error: the bot would answer a customer wrongly. One it only hesitates on
 * (asks back) is a warning.
 */
export function checkFaq(dir: string, options?: MatcherOptions): CheckReport {
  let kb: KnowledgeBase;
  try {
    kb = loadKnowledgeBase(dir);
  } catch (e) {
    if (e instanceof FaqError) {
      // Each problem reads "file: where: what"; keep the file once (the CLI prints it first).
      return { kb: null, examples: 0, warnings: [], errors: e.problems.map((p) => ({ file: p.split(':')[0], entry: '', message: p.slice(p.indexOf(':') + 1).trim() })) };
    }
    throw e;
  }
  const errors: CheckProblem[] = [];
  const warnings: CheckProblem[] = [];
  const matcher = new Matcher(kb, options);
  let examples = 0;
  const seen = new Map<string, string>();
  const labelled: Array<{ file: string; id: string; text: string }> = [];
  for (const e of kb.entries.values()) for (const text of e.examples) labelled.push({ file: e.file, id: e.id, text });
  for (const i of kb.intents) if (!['saudacao', 'agradecimento', 'despedida'].includes(i.id)) for (const text of i.examples) labelled.push({ file: i.file, id: i.id, text });

  for (const { file, id, text } of labelled) {
    examples++;
    const key = matcher.analyzer.analyze(text).stems.join(' ');
    const other = seen.get(key);
    if (other && other !== id) {
      errors.push({ file, entry: id, message: `exemplo "${text}" é igual (após normalização) a um exemplo de "${other}"` });
    }
    seen.set(key, id);
    const c = matcher.classify(text, text);
    const expectNone = id === OUT_OF_SCOPE;
    if (c.kind === 'answer' && c.id !== id) {
      errors.push({ file, entry: id, message: `exemplo "${text}" é respondido com a entrada "${c.id}" (confiança ${c.confidence.toFixed(2)})` });
    } else if (c.kind === 'none' && !expectNone) {
      warnings.push({ file, entry: id, message: `exemplo "${text}" não é reconhecido (${c.reason})` });
    } else if (c.kind === 'clarify' && (expectNone || c.options[0] !== id)) {
      warnings.push({ file, entry: id, message: `exemplo "${text}" gera dúvida entre ${c.options.join(', ')}` });
    }
  }
  for (const e of kb.entries.values()) {
    if (!/\S/.test(e.answer)) errors.push({ file: e.file, entry: e.id, message: 'resposta vazia' });
  }
  return { kb, errors, warnings, examples };
}
