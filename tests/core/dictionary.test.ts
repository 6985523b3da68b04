import { describe, expect, it } from '@jest/globals';
import { dictionary } from '../../src/dictionary.js';

describe('dictionary', () => {
  it('finds its own keys and nothing Object.prototype has', () => {
    const d = dictionary({ pix: 'pix', boleto: 'boleto' });
    expect(d.pix).toBe('pix');
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) expect(d[key]).toBeUndefined();
    expect(Object.isFrozen(d)).toBe(true);
  });
});
