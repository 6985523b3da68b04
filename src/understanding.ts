import { requestPhrasings } from '../flows/index.js';
import { loadKnowledgeBase, type KnowledgeBase } from './faq/knowledge.js';
import { defaultFaqDir } from './paths.js';

/** The FAQ folder plus the registered request types' phrasings: everything the matcher learns from. */
export function loadKnowledge(dir: string = defaultFaqDir): KnowledgeBase {
  return loadKnowledgeBase(dir, requestPhrasings);
}
