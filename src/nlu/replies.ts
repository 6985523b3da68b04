import { fold } from './spelling.js';
import { dictionary } from '../dictionary.js';

// Short answers people type in a chat: commands, yes/no, menu numbers.

export type Command = 'menu' | 'back' | 'exit' | 'human' | 'cancel';

const COMMANDS: Readonly<Record<string, Command>> = dictionary({
  menu: 'menu', 'menu principal': 'menu', inicio: 'menu', 'voltar ao menu': 'menu', 'voltar para o menu': 'menu', 'ver menu': 'menu', opcoes: 'menu',
  voltar: 'back', volta: 'back', anterior: 'back', 'voltar uma etapa': 'back',
  sair: 'exit', encerrar: 'exit', finalizar: 'exit', 'encerrar atendimento': 'exit', 'finalizar atendimento': 'exit',
  atendente: 'human', 'falar com atendente': 'human', 'falar com um atendente': 'human', humano: 'human',
  cancelar: 'cancel', cancela: 'cancel', 'cancelar solicitacao': 'cancel', desistir: 'cancel',
});

/** A whole message that is one of the global commands (menu, voltar, sair, atendente, cancelar). */
export function parseCommand(text: string): Command | null {
  return COMMANDS[fold(text)] ?? null;
}

// Keycap emoji: a digit, an optional variation selector, the combining keycap (1️⃣); 🔟 is ten.
const KEYCAP = /([0-9])\uFE0F?\u20E3/g;

/** "3", "3)", "opção 3", "1️⃣1️⃣" -> the number; anything else -> null. */
export function parseChoice(text: string): number | null {
  if (text.length > 20) return null;
  const t = text.replace(KEYCAP, '$1').replace(/\u{1F51F}/gu, '10');
  const m = /^(?:op[cç][aã]o\s*|n[ºo°.]?\s*|#)?(\d{1,2})\s*[).-]?$/i.exec(t.trim());
  return m ? Number(m[1]) : null;
}

const YES = new Set(['sim', 's', 'ss', 'sss', 'sm', 'si', 'isso', 'isso mesmo', 'isso ai', 'isso e', 'pode', 'pode sim', 'pode ser', 'claro', 'claro que sim', 'com certeza', 'quero', 'quero sim', 'ok', 'okay', 'okk', 'certo', 'certinho', 'correto', 'esta correto', 'ta correto', 'confirmo', 'confirmar', 'confirma', 'confirmado', 'confere', 'positivo', 'yes', 'beleza', 'blz', 'bora', 'vamos', 'vamos la', 'exato', 'exatamente', 'afirmativo', 'uhum', 'aham', 'sim por favor', 'sim pode', 'sim quero', 'ta certo', 'esta certo', 'tudo certo', 'ta tudo certo', 'esta tudo certo', 'perfeito', 'sim esta certo', 'sim ta certo', 'pode abrir', 'pode seguir', 'sim pode abrir', 'pode registrar', 'pode mandar', 'pode enviar', 'manda', 'manda ver', 'fechado', 'show', 'top', 'joia', 'tranquilo', 'sim sim', 'sim claro', 'isso mesmo obrigado', 'correto sim', 'certissimo', 'yes sir']);
const NO = new Set(['nao', 'n', 'nn', 'nnn', 'no', 'nope', 'negativo', 'agora nao', 'nao obrigado', 'nao obrigada', 'nao quero', 'deixa', 'deixa pra la', 'depois', 'nao precisa', 'errado', 'esta errado', 'ta errado', 'nao esta certo', 'nao ta certo', 'incorreto', 'nao e isso', 'nao nao', 'de jeito nenhum', 'nem', 'nada disso', 'jamais', 'nunca', 'nop']);

// Thumbs, check marks and crosses answer a yes/no question on WhatsApp.
const YES_EMOJI = /^(?:\u{1F44D}|\u{2705}|\u{2714}|\u{1F44C}|\u{1F197}|\u{2611})(?:\u{FE0F}|\p{Emoji_Modifier})*$/u;
const NO_EMOJI = /^(?:\u{1F44E}|\u{274C}|\u{2716}|\u{1F6AB}|\u{274E})(?:\u{FE0F}|\p{Emoji_Modifier})*$/u;

/** sim/não and their chat variants (s, ss, 👍, ❌...); "1" and "2" count when the question offered them. */
export function parseYesNo(text: string, numbered = true): 'yes' | 'no' | null {
  const raw = text.trim().replace(/\s+/g, '');
  if (YES_EMOJI.test(raw)) return 'yes';
  if (NO_EMOJI.test(raw)) return 'no';
  const t = fold(text).replace(/\b(obrigad[oa]|por favor|pfv|pf)\b/g, '').trim().replace(/\s+/g, ' ') || fold(text);
  if (YES.has(t)) return 'yes';
  if (NO.has(t)) return 'no';
  if (numbered && t === '1') return 'yes';
  if (numbered && t === '2') return 'no';
  // ("isso não", "sim, digo, não": a yes word followed by a negation is no yes.)
  if (/^(sim|s|ss|isso|exato|correto|certo|pode|claro)\b/.test(t) && !/\b(nao|n|nn)\b/.test(t)) return 'yes';
  if (/^(nao|n|nn|negativo)\b/.test(t) && !/^nao (sei|lembro|tenho|faco ideia)\b/.test(t)) return 'no';
  // A short answer with a yes word and no negation: "agora sim 👍", "agora ta certo, confirma".
  if (t.split(' ').length <= 6 && !/\?/.test(text) && !/\b(nao|n|nn|errad[oa]|nada|nunca|como|assim)\b/.test(t)) {
    if (/\b(sim|isso|certo|certinho|correto|confirm\w*|perfeito|exato|beleza|blz|fechado|fechou|ok|okay|otimo|show|top|joia|maravilha|combinado|pode (mandar|seguir|registrar|abrir|enviar|ir|confirmar)|manda ver|bora|segue)\b/.test(t) || /[\u{1F44D}\u{2705}\u{2714}\u{1F44C}]/u.test(text)) return 'yes';
  }
  return null;
}

const ORDINALS: Array<[RegExp, number | 'last']> = [
  [/\b(primeir[oa]|1a|1o)\b/, 1],
  [/\b(segund[oa]|2a|2o)\b/, 2],
  [/\b(terceir[oa]|3a|3o)\b/, 3],
  [/\b(quart[oa]|4a|4o)\b/, 4],
  [/\b(ultim[oa])\b/, 'last'],
];

/** "a primeira", "o segundo", "a última opção" -> 1, 2, n; only short answers count. */
export function parseOrdinal(text: string, count: number): number | null {
  const t = fold(text);
  if (t.split(' ').length > 4) return null;
  const hits = ORDINALS.filter(([re]) => re.test(t));
  if (hits.length !== 1) return null;
  const n = hits[0][1] === 'last' ? count : hits[0][1];
  return n >= 1 && n <= count ? n : null;
}
