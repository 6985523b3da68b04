import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { insertUnanswered } from '../db/learning.js';
import type { UnansweredKind } from '../db/schema.js';
import { maskPii } from '../pii.js';
import type { Classification } from '../nlu/matcher.js';

// What the conversation side calls when the bot did not answer a message; the staff panel's
// "Perguntas não respondidas" reads these rows.

export type { UnansweredKind };

export interface Unanswered {
  chatId: string;
  /** The person's message, as received: it is masked here before it is stored. */
  text: string;
  /**
   * - `declined`: free text the bot said it could not answer (out of scope or not understood);
   * - `clarify-unresolved`: it asked "Você quis dizer" and the person did not pick an option;
   * - `not-this`: "não era isso" right after an answer (the answered question is the text);
   * - `handover-after-miss`: the person asked for a person right after a failed answer.
   */
  kind: UnansweredKind;
  /** The bot's guesses, best first (FAQ entry ids, `request:<id>`, `fora-do-escopo/<topic>`). */
  guesses: string[];
  /** When (epoch ms, ISO string or Date). */
  at: number | string | Date;
}

// Pix random keys (UUIDs) and alphanumeric CNPJs are personal data too; maskPii covers CPF/CNPJ
// digits, e-mail and phone.
const UUID = /\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi;
const ALNUM_CNPJ = /\b[0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}\/?[0-9A-Z]{4}-?\d{2}\b/g;
// What is left of an e-mail after maskPii ("j***@gmail.com"): the address is no one's business.
const MASKED_EMAIL = /\S\*\*\*@\S+/g;
const MAX_TEXT = 500;

/** The text as the learning loop keeps it: personal data replaced by markers ([cpf], [email]...). */
export function maskForLearning(text: string): string {
  return maskPii(text.replace(UUID, '[chave-pix]').replace(ALNUM_CNPJ, (m) => (/\d/.test(m) && /[A-Z]/.test(m) ? '[cnpj]' : m)))
    .replace(MASKED_EMAIL, '[email]')
    .replace(/\[tel…\d*\]/g, '[tel]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_TEXT);
}

/** One person, many messages: a one-way key (the chat id itself is not stored). */
export function chatKey(chatId: string): string {
  return createHash('sha256').update(`unanswered:${chatId}`).digest('hex').slice(0, 16);
}

/** The labels a classification considered, best first, as the learning loop stores them. */
export function guessesOf(c: Classification, max = 3): string[] {
  return c.candidates.slice(0, max).map((x) => (x.topic ? `${x.id}/${x.topic}` : x.id));
}

/** Keeps a message the bot did not answer for the "Perguntas não respondidas" page. */
export function recordUnanswered(db: Db, u: Unanswered): number | null {
  const text = maskForLearning(u.text);
  if (!/\p{L}{2}/u.test(text)) return null; // nothing a person could read and teach from
  const at = u.at instanceof Date ? u.at.toISOString() : typeof u.at === 'number' ? new Date(u.at).toISOString() : u.at;
  return insertUnanswered(db, { chatKey: chatKey(u.chatId), text, kind: u.kind, guesses: JSON.stringify(u.guesses.slice(0, 5)), at });
}
