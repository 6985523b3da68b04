import { loadKnowledge } from '../src/understanding.js';
import * as U from '../src/understanding.js';
console.log(Object.keys(U));
