import { describe, expect, it } from '@jest/globals';
import { createLogger, type Logger } from '../../src/logger.js';

// LGPD: no log line may carry a raw CPF, CNPJ, e-mail or phone number, wherever it appears.

const CPF_FMT = '529.982.247-25';
const CPF_RAW = '52998224725';
const CNPJ_FMT = '11.222.333/0001-81';
const CNPJ_RAW = '11222333000181';
const EMAIL = 'maria.silva@exemplo.com.br';
const PHONE_FMT = '(11) 98765-4321';
const PHONE_INTL = '+55 11 98765-4321';
const PHONE_RAW = '5511987654321';
const ALL = [CPF_FMT, CPF_RAW, CNPJ_FMT, CNPJ_RAW, EMAIL, PHONE_FMT, PHONE_INTL, PHONE_RAW];
const SENTENCE = `cliente CPF ${CPF_FMT} (${CPF_RAW}), empresa ${CNPJ_FMT} / ${CNPJ_RAW}, e-mail ${EMAIL}, fone ${PHONE_FMT}, ${PHONE_INTL}, wa ${PHONE_RAW}`;

function capture(): { logger: Logger; output: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const logger = createLogger({ level: 'trace', format: 'json', stream: { write: (s: string) => void chunks.push(s) } });
  return {
    logger,
    output: () => chunks.join(''),
    lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The digits of a number with any formatting, to catch "529 982 247 25" style leaks too. */
const digitsOnly = (s: string) => s.replace(/\D/g, '');

function expectClean(out: string): void {
  expect(out.length).toBeGreaterThan(0);
  for (const pii of ALL) expect(out).not.toContain(pii);
  // Also not the bare digit runs (e.g. a CPF re-formatted by a serializer) nor the e-mail's user part.
  const allDigits = digitsOnly(out);
  for (const pii of [CPF_RAW, CNPJ_RAW, '987654321']) expect(allDigits.includes(pii) && out.includes(pii)).toBe(false);
  expect(out).not.toContain('maria.silva');
}

describe('logger: personal data never reaches a log line', () => {
  it('in the message string (every level, with printf-style arguments too)', () => {
    const c = capture();
    c.logger.info(SENTENCE);
    c.logger.warn('recebido de %s: %s', PHONE_RAW, SENTENCE);
    c.logger.error({ step: 'x' }, SENTENCE);
    c.logger.debug(`texto: ${CPF_RAW}`);
    expect(c.lines()).toHaveLength(4);
    expectClean(c.output());
  });

  it('the alphanumeric CNPJ too, formatted or not, while a word of the same shape stays', () => {
    const c = capture();
    c.logger.info('cnpj 12.ABC.345/01DE-35 e r7t2m9q4000129, palavra abcdefghijkl12');
    const out = c.output();
    expect(out).not.toContain('12.ABC.345/01DE-35');
    expect(out.toLowerCase()).not.toContain('r7t2m9q4000129');
    expect(out).toContain('abcdefghijkl12');
  });

  it('in nested objects and arrays, under any key name', () => {
    const c = capture();
    c.logger.info(
      {
        text: SENTENCE,
        customer: { doc: CPF_RAW, contact: { mail: EMAIL, whatsapp: PHONE_RAW, list: [CPF_FMT, { deep: CNPJ_FMT }] } },
        cpf: CPF_RAW,
        email: EMAIL,
        phone: PHONE_INTL,
        chatId: PHONE_RAW,
      },
      'mensagem recebida',
    );
    const [line] = c.lines();
    expect(line.msg).toBe('mensagem recebida');
    expectClean(c.output());
    // The structure survives (masked, not dropped wholesale): the reader still sees a tail.
    expect(JSON.stringify(line)).toMatch(/4321/);
  });

  it('in an Error: as the err field, as the only argument, and in its stack', () => {
    const c = capture();
    const err = new Error(`CPF ${CPF_FMT} inválido para ${EMAIL}`);
    c.logger.error({ err }, 'falha ao validar');
    c.logger.error(err);
    c.logger.error({ nested: { cause: new TypeError(`telefone ${PHONE_RAW} / CNPJ ${CNPJ_RAW}`) } }, 'falha');
    expect(c.lines()).toHaveLength(3);
    expectClean(c.output());
    // Still useful: the error's type and the rest of its message are kept.
    expect(c.output()).toMatch(/inválido para/);
  });

  it('in child logger bindings', () => {
    const c = capture();
    c.logger.child({ chatId: PHONE_RAW, who: EMAIL }).info({ doc: CPF_FMT }, 'olá');
    expectClean(c.output());
  });

  it('still logs everything that is not personal data', () => {
    const c = capture();
    c.logger.info({ orderNumber: 'PED-123', protocol: 'FIN-000123', count: 42 }, 'pedido %s', 'PED-123');
    const [line] = c.lines();
    expect(line).toMatchObject({ orderNumber: 'PED-123', protocol: 'FIN-000123', count: 42, msg: 'pedido PED-123' });
  });
});
