import { fold } from './spelling.js';

// Short answers people type in a chat: commands, yes/no, menu numbers.

export type Command = 'menu' | 'back' | 'exit' | 'human' | 'cancel';

const COMMANDS: Record<string, Command> = {
  menu: 'menu', 'menu principal': 'menu', inicio: 'menu', 'voltar ao menu': 'menu', 'voltar para o menu': 'menu', 'ver menu': 'menu', opcoes: 'menu',
  voltar: 'back', volta: 'back', anterior: 'back', 'voltar uma etapa': 'back',
  sair: 'exit', encerrar: 'exit', finalizar: 'exit', 'encerrar atendimento': 'exit', 'finalizar atendimento': 'exit',
  atendente: 'human', 'falar com atendente': 'human', 'falar com um atendente': 'human', humano: 'human',
  cancelar: 'cancel', cancela: 'cancel', 'cancelar solicitacao': 'cancel', desistir: 'cancel',
};

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

const YES = new Set(['sim', 's', 'ss', 'sm', 'isso', 'isso mesmo', 'pode', 'pode sim', 'pode ser', 'claro', 'quero', 'quero sim', 'ok', 'okay', 'certo', 'correto', 'confirmo', 'confirmar', 'confirma', 'positivo', 'yes', 'beleza', 'blz', 'bora', 'vamos', 'exato', 'afirmativo', 'uhum', 'aham', 'sim por favor', 'sim pode', 'sim quero', 'isso ai', 'ta certo', 'esta certo', 'tudo certo', 'perfeito', 'sim esta certo', 'sim ta certo', 'pode abrir', 'pode seguir', 'sim pode abrir']);
const NO = new Set(['nao', 'n', 'nn', 'no', 'nope', 'negativo', 'agora nao', 'nao obrigado', 'nao obrigada', 'nao quero', 'deixa', 'deixa pra la', 'depois', 'nao precisa', 'errado', 'esta errado', 'ta errado', 'nao esta certo', 'incorreto', 'nao e isso']);

/** sim/não and their chat variants; "1" and "2" count when the question offered them. */
export function parseYesNo(text: string, numbered = true): 'yes' | 'no' | null {
  const t = fold(text).replace(/\b(obrigad[oa]|por favor)\b/g, '').trim() || fold(text);
  if (YES.has(t) || YES.has(t.replace(/\s+/g, ' '))) return 'yes';
  if (NO.has(t)) return 'no';
  if (numbered && t === '1') return 'yes';
  if (numbered && t === '2') return 'no';
  if (/^(sim|s)\b/.test(t)) return 'yes';
  if (/^(nao|n)\b/.test(t)) return 'no';
  return null;
}
