import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadKnowledge } from '../../src/understanding.js';
import { Matcher } from '../../src/nlu/matcher.js';
import { parseChoice, parseCommand, parseYesNo } from '../../src/nlu/replies.js';
import { fold } from '../../src/nlu/spelling.js';
import { projectRoot } from '../../src/paths.js';

const kb = loadKnowledge(path.join(projectRoot, 'faq'));
const matcher = new Matcher(kb);
const { analyzer } = matcher;

describe('normalisation', () => {
  it('folds case, accents, punctuation and emoji', () => {
    expect(fold('Olá!!! Comissão?? 😀👍 ÇÃO')).toBe('ola comissao cao');
    expect(fold('s/ CNH, p/ o cliente')).toBe('sem cnh para o cliente');
  });

  it('expands WhatsApp spelling and drops stop words', () => {
    const a = analyzer.analyze('vc sabe qdo eu recebo a comissao pq preciso');
    expect(a.words).toEqual(expect.arrayContaining(['voce', 'quando', 'porque']));
    expect(a.stems).not.toContain('voc');
    expect(a.stems).toContain('quand');
  });

  it('corrects typos against the vocabulary and rewrites synonyms', () => {
    expect(analyzer.analyze('comisao').words).toContain('comissao');
    expect(analyzer.analyze('quero meu dinheiro de volta').words).toContain('estorno');
    expect(analyzer.analyze('fiz a chamada de video ontem').words).toContain('videoconferencia');
    expect(analyzer.analyze('nao tenho carteira de motorista').words).toContain('cnh');
  });

  it('reads "por favor" as politeness, never as a synonym of an abbreviation it expands from ("pf")', () => {
    expect([...analyzer.analyze('me ajuda por favor').features.keys()]).toEqual([]);
    expect(analyzer.analyze('pode pedir pra alguém me ligar, pf?').words).not.toContain('fisica');
    expect(matcher.classify('pode pedir pra alguém me ligar por favor?')).toMatchObject({ kind: 'answer', id: 'atendente' });
  });

  it('ignores numbers (orders, CPFs) but keeps model names like A3', () => {
    const a = analyzer.analyze('pedido 48213 cpf 52998224725 modelo A3');
    expect(a.words).not.toContain('48213');
    expect(a.words).toContain('a3');
  });

  it('produces the same features with or without accents and case', () => {
    expect(analyzer.analyze('QUANDO RECEBO MINHA COMISSÃO').stems).toEqual(analyzer.analyze('quando recebo minha comissao').stems);
  });
});

describe('short replies', () => {
  it('reads menu numbers in the ways people type them', () => {
    expect(parseChoice('3')).toBe(3);
    expect(parseChoice(' 10 ')).toBe(10);
    expect(parseChoice('opção 2')).toBe(2);
    expect(parseChoice('1️⃣')).toBe(1);
    expect(parseChoice('3 dias')).toBeNull();
  });

  it('reads global commands only as whole messages', () => {
    expect(parseCommand('Menu')).toBe('menu');
    expect(parseCommand('VOLTAR')).toBe('back');
    expect(parseCommand('encerrar')).toBe('exit');
    expect(parseCommand('atendente')).toBe('human');
    expect(parseCommand('o menu do restaurante')).toBeNull();
  });

  it('reads yes and no with their chat variants', () => {
    for (const y of ['sim', 'S', 'isso', 'pode', 'Sim, por favor', '1', 'ok']) expect(parseYesNo(y)).toBe('yes');
    for (const n of ['não', 'nao', 'N', 'agora não', '2', 'nao obrigado']) expect(parseYesNo(n)).toBe('no');
    expect(parseYesNo('talvez amanhã')).toBeNull();
  });
});

describe('classification', () => {
  it('answers indirect descriptions', () => {
    const c = matcher.classify('paguei nao, o boleto venceu, e agora?');
    expect(c.kind === 'answer' || c.kind === 'clarify').toBe(true);
    expect(c.kind === 'answer' ? c.id : c.kind === 'clarify' ? c.options[0] : null).toBe('financeiro-boleto-vencido');
  });

  it('separates a greeting from the question that follows it', () => {
    const c = matcher.classify('bom dia! quando cai a comissao?');
    expect(c.kind).toBe('answer');
    expect(c.kind === 'answer' && c.id).toBe('beneficios-comissao-quando');
    expect(c.greeting).toBe(true);
    expect(matcher.classify('oi, bom dia').kind).toBe('smalltalk');
  });

  it('greetings, thanks and goodbyes as people type them are smalltalk of the right kind', () => {
    const kind = (t: string) => {
      const c = matcher.classify(t);
      return c.kind === 'smalltalk' ? c.id : `${c.kind}`;
    };
    // Letters typed again, augmentatives, a courtesy word beside them.
    expect(kind('oiee')).toBe('saudacao');
    expect(kind('obrigaduuu')).toBe('agradecimento');
    expect(kind('valeuzão 👍')).toBe('agradecimento');
    expect(kind('brigadão, de coração')).toBe('agradecimento');
    expect(kind('nossa, muito obrigada pela paciência!')).toBe('agradecimento');
    expect(kind('perfeito, tirou minha dúvida. grato!')).toBe('agradecimento');
    // "equipe" beside a greeting is not a request for a person.
    expect(kind('Bom dia, equipe!')).toBe('saudacao');
    expect(kind('Tenha um bom dia, até logo.')).toBe('despedida');
    expect(kind('flw, até outro dia')).toBe('despedida');
    // Courtesy words alone, or inside a question, are not smalltalk.
    expect(kind('perfeito')).not.toBe('agradecimento');
    const q = matcher.classify('ah pera, pra desistir é até quantos dias mesmo?');
    expect(q.kind === 'answer' && q.id).toBe('compra-desistencia');
    const h = matcher.classify('bom dia, equipe, quero falar com um atendente');
    expect(h.kind === 'answer' && h.id).toBe('atendente');
  });

  it('one word several entries share asks which one, even when an out-of-scope topic shares it too', () => {
    const c = matcher.classify('senha');
    expect(c.kind).toBe('clarify');
    expect(c.kind === 'clarify' && c.options).toEqual(expect.arrayContaining(['agendamento-senha-emissao', 'compra-senha-carrinho']));
  });

  it('an answer carries the entries to offer after "não era isso": the close sibling first', () => {
    const c = matcher.classify('senha do carrinho serve pra que');
    expect(c.kind === 'answer' && c.id).toBe('compra-senha-carrinho');
    expect(c.kind === 'answer' && c.alternatives[0]).toBe('agendamento-senha-emissao');
    const d = matcher.classify('qual documentação pra pessoa fisica');
    expect(d.kind === 'answer' && d.alternatives).toContain('documentacao-pessoa-juridica');
  });

  it('answers an entry whose examples are clearly closer than anything out of scope, though the topics together are likelier', () => {
    // Each of these was declined: the out-of-scope topics' summed probability led.
    const cases: Array<[string, string]> = [
      ['Tem algum requisito para ser um(a) afiliado(a)?', 'sobre-para-quem'],
      ['me passa pra alguém de verdade por favor', 'atendente'],
      ['tenho que fazer o da firma agora, oq mais alem da carteira?', 'documentacao-pessoa-juridica'],
    ];
    for (const [text, id] of cases) {
      const c = matcher.classify(text);
      expect(c.kind === 'answer' ? c.id : `${c.kind}`).toBe(id);
    }
  });

  it('does not answer questions outside the FAQ with an FAQ entry', () => {
    for (const t of ['qual o preço do e-cpf a1', 'vcs vendem seguro de carro?', 'me conta uma piada']) {
      expect(matcher.classify(t).kind).toBe('none');
    }
  });
});
