import { requestTypes } from '../flows/index.js';
import { loadKnowledgeBase, type KnowledgeBase } from './faq/knowledge.js';
import { defaultFaqDir } from './paths.js';
import { RequestRegistry } from './requests.js';

/** The request types registered in flows/index.ts. */
export function defaultRequests(): RequestRegistry {
  return new RequestRegistry(requestTypes);
}

/** The FAQ folder plus the registered request types' phrasings: everything the matcher learns from. */
export function loadKnowledge(dir: string = defaultFaqDir, requests: RequestRegistry = defaultRequests()): KnowledgeBase {
  return loadKnowledgeBase(dir, requests.phrasings());
}
