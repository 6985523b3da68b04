import { describe, expect, it } from '@jest/globals';
import { Db } from '../../src/db/database.js';
import { listOpenUnanswered } from '../../src/db/learning.js';
import { chatKey, recordUnanswered } from '../../src/learning/unanswered.js';
import { startHarness } from '../support/harness.js';

// The learning loop end to end on the real engine: what the bot did not answer is kept (masked),
// grouped, taught by staff, and the running bot answers the next similar message.

describe('unanswered messages', () => {
  it('are stored masked: no CPF, CNPJ, e-mail, phone or Pix key, and no chat id', async () => {
    const db = await Db.open(':memory:');
    try {
      recordUnanswered(db, {
        chatId: '5511987654321',
        text: 'meu cpf 529.982.247-25, cnpj 11.222.333/0001-81, email joao.silva@gmail.com, tel (11) 98765-4321, pix 123e4567-e89b-12d3-a456-426614174000: vcs fazem site?',
        kind: 'declined',
        guesses: ['fora-do-escopo/outros-produtos'],
        at: Date.parse('2026-12-01T12:00:00Z'),
      });
      const [row] = listOpenUnanswered(db);
      expect(row.text).not.toMatch(/529|982|247|11\.222|0001|joao|silva|98765|4321|123e4567/);
      expect(row.text).toContain('vcs fazem site?');
      expect(row.text).toMatch(/\[cpf\].*\[cnpj\].*\[email\]/);
      expect(row.chat_key).toBe(chatKey('5511987654321'));
      expect(row.chat_key).not.toContain('987654321');
      expect(JSON.parse(row.guesses)).toEqual(['fora-do-escopo/outros-produtos']);
    } finally {
      await db.close();
    }
  });

  it('the engine keeps free text it declined outside a request, but not data typed inside one, emoji or a protocol number', async () => {
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      h.say('vcs tem integração com o meu erp?');
      h.say('👍👍');
      h.say('FIN-000123');
      h.say('quero pedir o estorno da minha compra'); // starts the refund request
      h.say('Joana da Silva Pereira'); // an answer inside the request, whatever its classification
      const rows = listOpenUnanswered(h.app.db);
      expect(rows.map((r) => r.text)).toEqual(['vcs tem integração com o meu erp?']);
      expect(rows[0].kind).toBe('declined');
    } finally {
      await h.close();
    }
  });
});
