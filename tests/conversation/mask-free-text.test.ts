import { describe, expect, it } from '@jest/globals';
import { maskPersonalData } from '../../src/conversation/steps.js';

// A free-text answer (the refund's reason) is shown back in the summary: what the person wrote
// along with it is masked like every other field.
describe('maskPersonalData', () => {
  it('masks CPFs, CNPJs (alphanumeric too), e-mails and phone numbers, and nothing else', () => {
    const out = maskPersonalData('meu cpf é 430.060.557-21, cnpj 12.ABC.345/01DE-35, email ana.paula@gmail.com, fone 11 98765-4321, pedido 81620');
    for (const raw of ['430.060.557-21', '12.ABC.345/01DE-35', 'ana.paula@gmail.com', '98765-4321']) expect(out).not.toContain(raw);
    expect(out).toContain('pedido 81620');
    expect(out).toContain('meu cpf é');
  });

  it('leaves text without personal data as it was', () => {
    const text = 'a foto não deu os 80 por cento, só presencial';
    expect(maskPersonalData(text)).toBe(text);
  });
});
