import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { proto } from '@whiskeysockets/baileys';
import { Db } from '../../src/db/database.js';
import { ImportError, importOrders, importPartners, ORDER_HEADERS, PARTNER_HEADERS } from '../../src/tickets/import.js';
import { startHarness, tempDir } from '../support/harness.js';
import { runTs } from '../core/support/process.js';
import { waMessage } from '../whatsapp/fakes.js';
import { startRig } from '../whatsapp/setup.js';

// Fuzzing: thousands of generated inputs — random unicode, huge texts, control characters,
// out-of-range numbers, every WhatsApp message kind, broken JSON and CSV — through the engine,
// the WhatsApp inbound path, `bot simulate` and the CSV imports. Nothing may crash, every chat
// must still answer "menu" afterwards. Seeded: FUZZ_SEED reproduces a run, FUZZ_N scales it.

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const N = Number(process.env.FUZZ_N ?? 3000);
const dir = tempDir('bot-fuzz-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** mulberry32: small, seedable, good enough for test inputs. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const PIECES = [
  'menu', 'voltar', 'sair', 'atendente', 'cancelar', 'sim', 'não', '1', '10', '11', '99', '0', '-1', '1e308', 'NaN', 'Infinity',
  'qdo recebo minha comissao?', 'quero o estorno', 'boleto vencido', '529.982.247-25', '12.ABC.345/01DE-35', 'joao@gmial.com', 'FIN-000001',
  'amanhã 14h', '31/02/2026', '29/02/2025', '99/99/9999', '25:61', 'segunda-feira', 'ontem', '🙏🏽👨‍👩‍👧‍👦', '\u200b\u200e\u202e', 'ﷺ', 'ǅ', 'ß', 'İ',
  '\u0000', '\u0007', '\r', '\n', '\t', '\u2028', '\uFEFF', '\uD800', '\uDFFF', '<script>alert(1)</script>', "'; drop table tickets; --", '%s%n%x', '{{7*7}}', '${process.exit()}', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype',
];

function fuzzText(r: Rng): string {
  switch (r.int(8)) {
    case 0:
      return '';
    case 1:
      return 'x'.repeat(r.pick([2001, 4001, 100_000]));
    case 2:
      return Array.from({ length: r.int(40) }, () => String.fromCodePoint(r.int(0x10ffff + 1) & (r.next() < 0.5 ? 0xffff : 0x10ffff))).join('');
    case 3:
      return Array.from({ length: 1 + r.int(6) }, () => r.pick(PIECES)).join(r.pick([' ', '', '\n', ', ']));
    default:
      return r.pick(PIECES);
  }
}
const fuzzTimestamp = (r: Rng): number | undefined => r.pick([undefined, 1e20, 8.64e15 + 1, -8.64e15 - 1, 1e300, -1, 0, Number.MAX_SAFE_INTEGER, NaN, Date.now(), Date.now() / 1000, 1]);
const MEDIA = ['audio', 'image', 'video', 'document', 'sticker', 'location', 'contact'] as const;

const MENU = /\*11\* - Falar com um atendente|Solicitações/;

describe('fuzz', () => {
  it(`the engine: ${N} generated messages over 40 chats, no throw, every chat still answers "menu" (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const h = await startHarness({ env: { GREETING_ENABLED: 'false' } });
    try {
      for (let i = 0; i < N; i++) {
        const chat = `55119${String(r.int(40)).padStart(8, '0')}`;
        const media = r.next() < 0.1 ? { kind: r.pick(MEDIA), mimetype: r.pick([undefined, 'image/jpeg', 'application/pdf', '\u0000/\u0000']), fileName: r.next() < 0.5 ? fuzzText(r) : undefined } : undefined;
        const id = r.pick([undefined, `f${i}`, `f${r.int(i + 1)}`, '', 'x'.repeat(r.pick([129, 5000])), fuzzText(r)]);
        const res = h.app.engine.handle({ channel: 'fuzz', chatId: chat, phone: chat, text: fuzzText(r), id, timestamp: fuzzTimestamp(r), name: r.next() < 0.2 ? fuzzText(r) : undefined, media });
        expect(Array.isArray(res.replies)).toBe(true);
        for (const reply of res.replies) expect(typeof reply.text).toBe('string');
      }
      // No chat is stuck: "menu" works for every one of them (a hand-over stays quiet: the
      // person leaves it with "menu" too).
      for (let c = 0; c < 40; c++) {
        const chat = `55119${String(c).padStart(8, '0')}`;
        const text = h.app.engine.handle({ channel: 'fuzz', chatId: chat, phone: chat, text: 'menu', id: `end-${c}` }).replies.map((x) => x.text).join('\n');
        expect({ chat, menu: MENU.test(text) }).toEqual({ chat, menu: true });
      }
      const longest = h.app.db.sqlite.prepare('select max(length(message_id)) n, max(length(text)) t from inbound_messages').get() as { n: number; t: number };
      expect(longest.n).toBeLessThanOrEqual(128);
      expect(longest.t).toBeLessThanOrEqual(4000);
    } finally {
      await h.close();
    }
  }, 120_000);

  it(`WhatsApp inbound: every message kind with generated content and timestamps (seed ${SEED})`, async () => {
    const r = rng(SEED + 1);
    const rig = await startRig();
    try {
      const kinds: Array<() => proto.IMessage> = [
        () => ({ conversation: fuzzText(r) }),
        () => ({ extendedTextMessage: { text: fuzzText(r) } }),
        () => ({ imageMessage: { caption: fuzzText(r), mimetype: 'image/jpeg', fileLength: r.pick([0, 10, 1e12]) } }),
        () => ({ videoMessage: { caption: fuzzText(r) } }),
        () => ({ audioMessage: { mimetype: 'audio/ogg' } }),
        () => ({ documentMessage: { fileName: fuzzText(r), mimetype: r.pick(['application/pdf', 'text/plain', '']), caption: fuzzText(r), fileLength: r.pick([1, 1e15]) } }),
        () => ({ stickerMessage: { mimetype: 'image/webp' } }),
        () => ({ locationMessage: { degreesLatitude: r.next() * 1e6, degreesLongitude: -1e9 } }),
        () => ({ contactMessage: { displayName: fuzzText(r) } }),
        () => ({ buttonsResponseMessage: { selectedDisplayText: fuzzText(r) } }),
        () => ({ listResponseMessage: { title: fuzzText(r) } }),
        () => ({ reactionMessage: { text: '👍', key: { id: 'x' } } }),
        () => ({ protocolMessage: { type: 0, key: { id: 'x' } } }),
        () => ({ ephemeralMessage: { message: { conversation: fuzzText(r) } } }),
        () => ({ viewOnceMessage: { message: { imageMessage: { caption: fuzzText(r) } } } }),
        () => ({}),
      ];
      const outcomes: Record<string, number> = {};
      for (let i = 0; i < Math.min(N, 1500); i++) {
        const from = `55119777${String(r.int(30)).padStart(5, '0')}@s.whatsapp.net`;
        const m = waMessage({ from, message: r.pick(kinds)(), ts: r.pick([undefined, 1e15, 2 ** 40, 1, Math.floor(Date.now() / 1000)]), pushName: r.next() < 0.3 ? fuzzText(r) : undefined, id: r.next() < 0.1 ? `dup${r.int(5)}` : undefined });
        const [o] = await rig.channel.inbound.upsert(rig.sock(), { type: r.pick(['notify', 'append'] as const), messages: [m] });
        outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
        // An error inside is an 'ignored' with reason 'error': never acceptable.
        expect(o).not.toMatchObject({ reason: 'error' });
      }
      expect(outcomes.handled).toBeGreaterThan(100);
      await rig.settle();
    } finally {
      await rig.close();
    }
  }, 120_000);

  it(`bot simulate: broken JSON, junk bytes, huge and odd fields; exits 0 and answers the last line (seed ${SEED})`, async () => {
    const r = rng(SEED + 2);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      switch (r.int(6)) {
        case 0:
          lines.push(fuzzText(r).replace(/\n/g, ' '));
          break;
        case 1:
          lines.push(JSON.stringify({ from: r.pick([5511999990001, '5511999990002', '', null, {}, [], '+55 (11) 99999-0003', 'abc', 1e300]), text: r.pick([fuzzText(r), 42, null, ['a'], { a: 1 }]), id: r.pick([i, `s${i}`, null, 'y'.repeat(1000), {}]), timestamp: fuzzTimestamp(r) ?? r.pick(['ontem', '2026-13-45', null, {}]) }));
          break;
        case 2:
          lines.push(JSON.stringify(fuzzText(r)));
          break;
        default:
          lines.push(JSON.stringify({ from: `55119${String(r.int(20)).padStart(8, '0')}`, text: fuzzText(r).replace(/\n/g, ' '), id: `s${i}`, timestamp: fuzzTimestamp(r) }));
      }
    }
    lines.push(JSON.stringify({ from: '5511988880000', text: 'menu', id: 'last' }));
    const res = await runTs('src/cli.ts', ['simulate'], { env: { DATABASE_PATH: path.join(dir, 'sim.db'), GREETING_ENABLED: 'false', LOG_LEVEL: 'warn' }, input: lines.join('\n') + '\n' });
    expect({ code: res.code, crash: /\n\s+at |RangeError|TypeError/.test(res.stderr) ? res.stderr.slice(0, 2000) : '' }).toEqual({ code: 0, crash: '' });
    const out = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { inReplyTo?: string; text?: string });
    expect(out.find((o) => o.inReplyTo === 'last')?.text).toMatch(MENU);
  }, 120_000);

  it(`CSV imports: generated files are imported or refused with line-numbered errors, never a crash (seed ${SEED})`, async () => {
    const r = rng(SEED + 3);
    const db = await Db.open(path.join(dir, 'csv.db'));
    try {
      const cell = () => r.pick([fuzzText(r), '"', '""', '"a,b"', ';', '', ' ', '529.982.247-25', '12ABC34501DE35', 'joao@gmail.com', 'boleto', 'PIX', 'vencido', '20/11/2026 10:00', '31/02/2026', '9'.repeat(400), '=cmd|calc']);
      for (let f = 0; f < 150; f++) {
        const orders = r.next() < 0.5;
        const headers = orders ? [...ORDER_HEADERS] : [...PARTNER_HEADERS];
        const sep = r.pick([',', ';', '\t', '|']);
        const head = r.next() < 0.85 ? headers.join(sep) : fuzzText(r);
        const rows = Array.from({ length: r.int(30) }, () => Array.from({ length: headers.length + r.int(3) - 1 }, cell).join(sep));
        const content = [head, ...rows].join(r.pick(['\n', '\r\n', '\r']));
        try {
          const report = orders ? importOrders(db, content) : importPartners(db, content);
          // What matters is that nothing but an ImportError is thrown; a bad row is reported by its line.
          for (const e of report.errors) expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
        } catch (err) {
          expect({ file: f, error: err instanceof ImportError ? 'ImportError' : String((err as Error).stack) }).toEqual({ file: f, error: 'ImportError' });
        }
      }
    } finally {
      await db.close();
    }
  }, 120_000);
});
