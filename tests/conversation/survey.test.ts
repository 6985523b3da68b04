import { afterEach, describe, expect, it } from '@jest/globals';
import { parseRating } from '../../src/conversation/survey.js';
import { startHarness, type Harness } from '../support/harness.js';

// After staff resolve a ticket the customer is asked, once, how it went: the chat side of the survey.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function withRatings() {
  h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
  const ratings: Array<{ ticketId: number; rating: number; comment: string | null }> = [];
  h.app.services.recordRating = (r) => ratings.push({ ticketId: r.ticketId, rating: r.rating, comment: r.comment });
  return { h, ratings, ask: () => h!.app.engine.notify('5511999990001', { type: 'survey.start', protocol: 'FIN-000007', ticketId: 7 }).map((r) => r.text).join('\n') };
}

describe('satisfaction survey (chat side)', () => {
  it('asks once, takes "nota 4" then a comment, and thanks', async () => {
    const { h, ratings, ask } = await withRatings();
    h.say('oi');
    expect(ask()).toContain('FIN-000007');
    expect(h.ask('nota 4')).toContain('comentário');
    expect(h.ask('foram rápidos, mas demorou pra começar')).toContain('Obrigado pela avaliação');
    expect(ratings).toEqual([
      { ticketId: 7, rating: 4, comment: null },
      { ticketId: 7, rating: 4, comment: 'foram rápidos, mas demorou pra começar' },
    ]);
    // Back to normal: the next message is the FAQ again.
    expect(h.ask('quando recebo minha comissao?')).toContain('15º dia útil');
  });

  it('a rating with its comment in one message, or stars, closes the survey at once', async () => {
    const { h, ratings, ask } = await withRatings();
    ask();
    expect(h.ask('5, foram muito atenciosos')).toContain('Obrigado pela avaliação');
    expect(ratings.at(-1)).toEqual({ ticketId: 7, rating: 5, comment: 'foram muito atenciosos' });
    ask();
    expect(h.ask('⭐⭐⭐')).toContain('comentário');
    expect(h.ask('não')).toContain('Obrigado pela avaliação');
    expect(ratings.at(-1)?.rating).toBe(3);
  });

  it('a question instead of a rating is answered as usual and the survey is dropped', async () => {
    const { h, ratings, ask } = await withRatings();
    ask();
    expect(h.ask('quando recebo minha comissao?')).toContain('15º dia útil');
    expect(ratings).toEqual([]);
    expect(h.ask('5')).not.toContain('avaliação');
  });

  it('is not asked in the middle of a request', async () => {
    const { h, ask } = await withRatings();
    h.say('quero boleto atualizado');
    expect(ask()).toBe('');
    expect(h.ask('52998224725')).toContain('número do pedido');
  });

  it('reads ratings the way people write them', () => {
    expect(parseRating('5')?.rating).toBe(5);
    expect(parseRating('4 estrelas')?.rating).toBe(4);
    expect(parseRating('5/5')?.rating).toBe(5);
    expect(parseRating('⭐⭐')?.rating).toBe(2);
    expect(parseRating('péssimo')?.rating).toBe(1);
    expect(parseRating('2 dias')).toBeNull();
    expect(parseRating('10')).toBeNull();
    expect(parseRating('quando recebo minha comissao')).toBeNull();
  });
});
