import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadKnowledge } from '../../src/understanding.js';
import { Matcher } from '../../src/nlu/matcher.js';
import { stripCourtesy } from '../../src/nlu/courtesy.js';
import { projectRoot } from '../../src/paths.js';

const matcher = new Matcher(loadKnowledge(path.join(projectRoot, 'faq')));
const decision = (text: string) => {
  const c = matcher.classify(text);
  return c.kind === 'answer' || c.kind === 'smalltalk' ? c.id : c.kind;
};

describe('who is writing and how they sign off', () => {
  it('drops e-mail sign-offs and the signature after them, one after another', () => {
    expect(stripCourtesy('Prezados, qual a documentação para PJ? Atenciosamente, Maria Souza').body).toBe('Prezados, qual a documentação para PJ?');
    const closing = stripCourtesy('Sem mais para o momento, despeço-me cordialmente. Atenciosamente, Roberto Almeida.');
    expect(closing).toEqual({ body: '', introduced: false, signedOff: true });
    expect(stripCourtesy('Obrigado, Carlos').body).toBe('Obrigado');
  });

  it('keeps a question that only ends with a name or with capital letters', () => {
    expect(stripCourtesy('quero falar com a Maria').body).toBe('quero falar com a Maria');
    expect(stripCourtesy('Qual a documentação para PJ?').body).toBe('Qual a documentação para PJ?');
    expect(stripCourtesy('o boleto veio sem mais informações').body).toBe('o boleto veio sem mais informações');
  });

  it('drops a sentence that only says who is writing, keeping the greeting and the question', () => {
    expect(stripCourtesy('Boa tarde, aqui é a Márcia da Contabilidade Horizonte, parceira de vocês')).toEqual({ body: 'Boa tarde', introduced: true, signedOff: false });
    expect(stripCourtesy('Oi, aqui é o João da Loja X. Quando recebo minha comissão?').body).toBe('Oi, Quando recebo minha comissão?');
    // An introduction that asks something in the same sentence stays whole.
    expect(stripCourtesy('Meu nome é Carla e quero saber quando recebo a comissão').introduced).toBe(false);
  });

  it('a greeting with an introduction is a greeting; a sign-off alone is a goodbye; the question around them is still answered', () => {
    expect(decision('Boa tarde, aqui é a Márcia da Contabilidade Horizonte, parceira de vocês')).toBe('saudacao');
    expect(decision('Sem mais para o momento, despeço-me cordialmente. Atenciosamente, Roberto Almeida.')).toBe('despedida');
    expect(decision('att, Carlos')).toBe('despedida');
    expect(decision('Oi, aqui é o João da Loja X. Quando recebo minha comissão?')).toBe('beneficios-comissao-quando');
    expect(decision('Prezados, qual a documentação para emitir o certificado da empresa? Atenciosamente, Maria Souza')).toBe('documentacao-pessoa-juridica');
  });

  it('smalltalk people actually type: slips, phrases inside, a greeting with words the FAQ does not know', () => {
    expect(decision('oiii boa tade')).toBe('saudacao');
    expect(decision('blz, ate mais')).toBe('despedida');
    expect(decision('Boa tarde! Tudo bem com vocês?')).toBe('saudacao');
    expect(decision('Agradeço imensamente a atenção dispensada e os esclarecimentos prestados.')).toBe('agradecimento');
    // A four-letter word the FAQ knows is not taken for a slip of a greeting.
    expect(decision('boa tarde, a taxa do boleto')).not.toBe('saudacao');
  });
});

describe('greetings that carry more than a hello', () => {
  it('"tudo certo por aí?" inside an introduction, good wishes and "só passando pra me apresentar" are a greeting', () => {
    expect(decision('Oi, aqui é a Marcela da Gráfica Rápida Centro, tudo certo por aí?')).toBe('saudacao');
    expect(decision('Boa tarde, prezados. Espero que estejam todos bem.')).toBe('saudacao');
    expect(decision('Bom dia, tudo bem? Aqui é o Rogério, da Contábil Horizonte. Só passando pra me apresentar.')).toBe('saudacao');
    expect(decision('obgda pela ajdua')).toBe('agradecimento');
  });

  it('"o que é..." is no greeting, even though greeting examples have "o" and "que"', () => {
    const c = matcher.classify('O que é X509.V3?');
    expect(c.kind).not.toBe('smalltalk');
    expect(c.greeting).toBe(false);
  });
});
