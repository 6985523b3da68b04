import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadKnowledge } from '../../src/understanding.js';
import { Matcher } from '../../src/nlu/matcher.js';
import { projectRoot } from '../../src/paths.js';

// A start-up reads the calibration from the temp folder when the training data, the options and
// the code are the ones it was fitted on; anything else fits afresh.
const dir = path.join(os.tmpdir(), 'indique-certo-bot-nlu');
const texts = ['qdo cai minha comissao?', 'quanto custa o e-cpf?', 'meu boleto venceu', 'oi', 'quero falar com uma pessoa', 'xkcd plim'];

describe('calibration cache', () => {
  it('a matcher read from the cache decides exactly as one fitted afresh', () => {
    const kb = loadKnowledge(path.join(projectRoot, 'faq'));
    fs.rmSync(dir, { recursive: true, force: true });
    const fresh = new Matcher(kb);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const cached = new Matcher(kb);
    for (const t of texts) expect(cached.classify(t)).toEqual(fresh.classify(t));
  });

  it('one more training example (a lesson from the panel) is a new fit, not the cached one', () => {
    const kb = loadKnowledge(path.join(projectRoot, 'faq'));
    new Matcher(kb);
    const before = new Set(fs.readdirSync(dir));
    new Matcher(kb, undefined, undefined, [{ label: 'beneficios-percentual', text: 'e o meu percentual, quanto dá?' }]);
    const added = fs.readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.json'));
    expect(added).toHaveLength(1);
  });
});
