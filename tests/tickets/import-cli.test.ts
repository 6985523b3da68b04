import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runTs } from '../core/support/process.js';
import { tempDir } from '../support/harness.js';

// `bot import orders|partners FILE.csv` and `bot tickets list|show` as real processes on a real file.
const dir = tempDir('import-');
const db = path.join(dir, 'bot.db');
const env = { DATABASE_PATH: db, LOG_LEVEL: 'silent' };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('import orders', () => {
  it('imports the valid rows of a ;-separated file with BOM and reports each bad row by line', async () => {
    const file = write(
      'orders.csv',
      '\uFEFFpedido;documento;email;forma_pagamento;status_pagamento;data_compra;data_emissao;parceiro\n' +
        '48213;529.982.247-25;Joao@Gmail.com;boleto;vencido;20/11/2026 10:30;;P1\n' +
        '48214;111.444.777-00;x@y.com;boleto;pago;20/11/2026;;P1\n' + // bad CPF check digits
        '48215;11.222.333/0001-81;empresa@empresa.com.br;cartão;pago;2026-11-21T09:00:00-03:00;22/11/2026 14:00;P2\n' +
        '48216;52998224725;a@b.com;cheque;pago;31/02/2026;;P1\n' + // bad method and date
        '48217;12.abc.345/01de-35;fiscal@empresa.com.br;pix;pago;21/11/2026;;P2\n' + // alphanumeric CNPJ (2026)
        '48218;52998224725;c@d.com;constructor;constructor;21/11/2026;;P1\n', // names Object.prototype has are no method/status
    );
    const r = await runTs('src/cli.ts', ['import', 'orders', file], { env });
    expect(r.code).toBe(1); // some rows failed
    expect(r.stdout).toMatch(/linha 3: documento "111\.444\.777-00" não é CPF\/CNPJ válido/);
    expect(r.stdout).toMatch(/linha 5: .*forma_pagamento "cheque".*data_compra "31\/02\/2026"/);
    expect(r.stdout).toMatch(/linha 7: forma_pagamento "constructor".*status_pagamento "constructor"/);
    expect(r.stdout).toMatch(/3 pedidos importados, 3 linhas com erro/);
  });

  it('re-importing updates the order instead of duplicating it', async () => {
    const file = write('orders2.csv', 'pedido,documento,email,forma_pagamento,status_pagamento,data_compra,data_emissao,parceiro\n48213,52998224725,joao@gmail.com,boleto,pago,20/11/2026 10:30,,P1\n');
    const r = await runTs('src/cli.ts', ['import', 'orders', file], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 pedidos importados, 0 linhas com erro/);
    // The flow now sees the order as paid: no boleto ticket.
    const sim = await runTs('src/cli.ts', ['simulate'], { env, input: JSON.stringify({ from: '5511999990001', text: 'quero boleto atualizado do pedido 48213 cpf 52998224725' }) + '\n' });
    expect(sim.stdout).toMatch(/já está \*confirmado\*/);
  });

  it('refuses a file without the expected header with a clear message', async () => {
    const file = write('bad.csv', 'numero,cpf\n1,2\n');
    const r = await runTs('src/cli.ts', ['import', 'orders', file], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cabeçalho sem as colunas: pedido, documento/);
  });
});

describe('import partners', () => {
  it('accepts several WhatsApp numbers in any common format and rejects bad ones by line', async () => {
    const file = write(
      'partners.csv',
      'id,nome,documento,whatsapp,pagina_vendas\n' +
        'P1,Contabilidade Silva,11.222.333/0001-81,+55 (11) 99999-0001 | 11 98888-0002,https://loja.exemplo/silva\n' +
        'P2,Cartório Sul,,5521912345678,\n' +
        'P3,Sem Telefone,,12345,\n',
    );
    const r = await runTs('src/cli.ts', ['import', 'partners', file], { env });
    expect(r.stdout).toMatch(/linha 4: whatsapp "12345" não é um telefone brasileiro válido/);
    expect(r.stdout).toMatch(/2 parceiros importados, 1 linhas com erro/);
    // A registered partner number is recognised by the appointment-advance flow.
    const sim = await runTs('src/cli.ts', ['simulate'], {
      env,
      input: [JSON.stringify({ from: '5511988880002', text: 'menu' }), JSON.stringify({ from: '5511988880002', text: '10' }), JSON.stringify({ from: '5511988880002', text: '3' })].join('\n') + '\n',
    });
    expect(sim.stdout).toMatch(/Contabilidade Silva/);
    expect(sim.stdout).toMatch(/nome completo/);
  });
});

describe('tickets list and show', () => {
  it('lists tickets as JSON with the documented fields and shows one with its history', async () => {
    // requester, CPF (order 90001 came with the first message), reason, purchase date, issued?, payment, Pix key, confirm
    const dialogue = ['quero pedir estorno do pedido 90001', '1', '52998224725', '1', 'ontem', 'não', '3', '52998224725', 'sim']
      .map((text, i) => JSON.stringify({ from: '5511977770003', text, id: `t${i}` }))
      .join('\n');
    const sim = await runTs('src/cli.ts', ['simulate'], { env, input: dialogue + '\n' });
    const protocol = /Protocolo \*(FIN-\d{6})\*/.exec(sim.stdout)?.[1];
    expect(protocol).toBeDefined();

    const list = await runTs('src/cli.ts', ['tickets', 'list', '--team', 'finance', '--json'], { env });
    expect(list.code).toBe(0);
    const tickets = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    const t = tickets.find((x) => x.protocol === protocol)!;
    expect(t).toMatchObject({ type: 'refund', team: 'finance', status: 'open', contact: { chatId: '5511977770003' } });
    expect(t.createdAt).toEqual(expect.any(String));
    expect(t.data).toMatchObject({ orderNumber: '90001', document: '52998224725' });

    const support = await runTs('src/cli.ts', ['tickets', 'list', '--team', 'support', '--json'], { env });
    expect((JSON.parse(support.stdout) as unknown[]).length).toBe(0);

    const show = await runTs('src/cli.ts', ['tickets', 'show', protocol!], { env });
    expect(JSON.parse(show.stdout)).toMatchObject({ protocol, history: [{ kind: 'created', actor: 'bot' }] });
  });
});
