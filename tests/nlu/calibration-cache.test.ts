import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { loadKnowledge } from '../../src/understanding.js';
import { Matcher } from '../../src/nlu/matcher.js';
import { projectRoot } from '../../src/paths.js';

// A start-up reads the calibration from the temp folder when the training data, the options and
// the code are the ones it was fitted on; anything else fits afresh.
const texts = ['qdo cai minha comissao?', 'quanto custa o e-cpf?', 'meu boleto venceu', 'oi', 'quero falar com uma pessoa', 'xkcd plim'];
const fits = () => jest.spyOn(Matcher.prototype as unknown as { calibrate: () => void }, 'calibrate');

describe('calibration cache', () => {
  const kb = loadKnowledge(path.join(projectRoot, 'faq'));

  it('a matcher read from the cache decides exactly as one fitted afresh', () => {
    new Matcher(kb); // fitted now or earlier: the cache holds it afterwards
    const spy = fits();
    const cached = new Matcher(kb);
    expect(spy).not.toHaveBeenCalled();
    // Keeping every example is the cross-validation path, which always fits afresh.
    const fresh = new Matcher(kb, undefined, () => true);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    for (const t of texts) expect(cached.classify(t)).toEqual(fresh.classify(t));
  });

  it('one more training example (a lesson from the panel) is a new fit, not the cached one', () => {
    const spy = fits();
    new Matcher(kb, undefined, undefined, [{ label: 'beneficios-percentual', text: `e o meu percentual, quanto dá? ${Date.now()}` }]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
