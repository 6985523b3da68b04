// How people write on WhatsApp, folded to plain Portuguese before matching.
// General language lives here; domain synonyms live in faq/lexicon.yaml (data).
import { dictionary } from '../dictionary.js';

// A Map, not an object: a word such as "constructor" must not find Object.prototype's.
export const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  vc: 'voce', vcs: 'voces', voc: 'voce',
  pq: 'porque', pk: 'porque', porq: 'porque',
  qdo: 'quando', qndo: 'quando', qnd: 'quando', qd: 'quando', qnto: 'quanto', qto: 'quanto', qnt: 'quanto', qts: 'quantos', qtos: 'quantos',
  q: 'que', oq: 'o que', oque: 'o que', oqe: 'o que',
  tb: 'tambem', tbm: 'tambem', tmb: 'tambem',
  msg: 'mensagem', msgs: 'mensagens', mensg: 'mensagem',
  n: 'nao', ñ: 'nao', nn: 'nao', naum: 'nao',
  td: 'tudo', tds: 'todos', hj: 'hoje', amn: 'amanha', dps: 'depois', agr: 'agora',
  pfv: 'por favor', pf: 'por favor', pfvr: 'por favor', plmds: 'por favor', pls: 'por favor',
  cmg: 'comigo', ctg: 'contigo', mt: 'muito', mto: 'muito', mts: 'muitos', msm: 'mesmo', ngm: 'ninguem',
  obg: 'obrigado', obgd: 'obrigado', obgda: 'obrigada', vlw: 'valeu', vlww: 'valeu', tmj: 'valeu',
  ta: 'esta', tá: 'esta', to: 'estou', tô: 'estou', tao: 'estao', tão: 'estao', tava: 'estava',
  pra: 'para', pro: 'para o', pras: 'para as', pros: 'para os', prum: 'para um', pruma: 'para uma',
  eh: 'e', kd: 'onde', cade: 'onde', cadê: 'onde',
  qq: 'qualquer', qlq: 'qualquer', qqr: 'qualquer', qlqr: 'qualquer',
  cert: 'certificado', certif: 'certificado', certificad: 'certificado', certficado: 'certificado',
  doc: 'documento', docs: 'documentos',
  agend: 'agendamento', agendam: 'agendamento',
  whats: 'whatsapp', wpp: 'whatsapp', zap: 'whatsapp', zapzap: 'whatsapp', wts: 'whatsapp',
  cel: 'celular', tel: 'telefone', info: 'informacao', infos: 'informacoes',
  emial: 'email', imeil: 'email', mail: 'email',
  vdd: 'verdade', blz: 'beleza', bjs: 'beijos', abs: 'abraco', fds: 'fim de semana', ctz: 'certeza', qro: 'quero', kero: 'quero',
  dnv: 'de novo', nd: 'nada', qm: 'quem', ond: 'onde', cm: 'como', fzr: 'fazer', hrs: 'horas', hr: 'hora', vlr: 'valor',
  porfavor: 'por favor', pfvor: 'por favor', dms: 'demais', tmbm: 'tambem', tbem: 'tambem',
  add: 'adicionar', ajd: 'ajuda', aki: 'aqui', aq: 'aqui', ent: 'entao',
}));

// "s/ cnh", "p/ o cliente", "c/ boleto": the slash forms must be read before punctuation goes.
const SLASH_FORMS: Array<[RegExp, string]> = [
  [/(^|\s)s\/\s*/g, '$1sem '],
  [/(^|\s)p\/\s*/g, '$1para '],
  [/(^|\s)c\/\s*/g, '$1com '],
  [/(^|\s)n\/\s*/g, '$1nao '],
];

// Accented letters to their base letter, computed once per character (most messages use the
// same dozen: á, ã, ç, é...); anything that is not a letter or digit becomes a space.
const baseOf = new Map<number, string>();
function base(code: number): string {
  let b = baseOf.get(code);
  if (b === undefined) {
    b = String.fromCharCode(code).normalize('NFD').replace(/\p{M}+/gu, '');
    // A combining accent typed on its own (decomposed text: "na\u0303o") joins its letter.
    if (b !== '' && !/^[a-z0-9]+$/.test(b)) b = ' ';
    baseOf.set(code, b);
  }
  return b;
}

// The same message is folded by many readers in one turn (signals, steps, router, matcher):
// the last few hundred short texts are kept.
const FOLDED = new Map<string, string>();

/** Lower case, accents folded, WhatsApp slash forms expanded, emoji and punctuation removed. */
export function fold(text: string): string {
  if (text.length > 300) return foldUncached(text);
  const hit = FOLDED.get(text);
  if (hit !== undefined) return hit;
  if (FOLDED.size >= 512) FOLDED.clear();
  const out = foldUncached(text);
  FOLDED.set(text, out);
  return out;
}

function foldUncached(text: string): string {
  let t = text.toLowerCase();
  // Cheap tests first: most messages have no slash, hyphen or "2ª via".
  if (t.includes('/')) for (const [re, to] of SLASH_FORMS) t = t.replace(re, to);
  if (t.includes('e-')) t = t.replace(/e-mail/g, 'email').replace(/e-(cpf|cnpj)/g, 'e$1');
  if (t.includes('via')) t = t.replace(/\b2\s*[ªºa°]\s*via\b/g, 'segunda via');
  if (t.includes('line')) t = t.replace(/\bon[\s-]line\b/g, 'online');
  // "Antes, uma pergunta: ..." announces a question; it is not "antes" as in an earlier date.
  if (t.startsWith('antes')) t = t.replace(/^antes(\s*,\s*|\s+de\s+(mais\s+nada|tudo|continuar|seguir)\s*,?\s*|\s+)((s[oó]|rapidinho)\s+)?(uma|outra|umas)\s+(pergunta|d[uú]vida|coisa)s?\b/, 'uma $6');
  // "nº 48213", "n. 48213" is a number, not the chat "n" (não).
  if (/n\s*[º°.]\s*\d/.test(t)) t = t.replace(/\bn\s*[º°.]\s*(?=\d)/g, 'numero ');
  // One pass: letters and digits kept (accents folded), runs of anything else become one space.
  let out = '';
  let space = true; // no leading space
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    let ch: string;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) ch = t[i];
    else if (c < 128) ch = ' ';
    else if (c >= 0xd800 && c <= 0xdbff) {
      ch = ' '; // emoji and other astral characters (a surrogate pair)
      i++;
    } else ch = base(c);
    if (ch === '') continue;
    if (ch === ' ') {
      if (!space) out += ' ';
      space = true;
    } else {
      out += ch;
      space = false;
    }
  }
  if (space && out.length) out = out.slice(0, -1);
  // "boletooo" -> "boleto", "ooi" stays (only letters are left by now).
  if (/([a-z])\1\1/.test(out)) out = out.replace(/([a-z])\1{2,}/g, '$1');
  // The few chat abbreviations every rule downstream would otherwise have to spell out:
  // "n ta no spam", "nn", "q", "vc", "qdo". (The matcher expands the rest itself.)
  if (hasChatWord(out)) out = out.replace(CHAT_WORDS, (w) => CHAT_EXPANSION[w] ?? w);
  // What people who do not know the word call a boleto ("o papel do banco pra pagar na lotérica").
  if (out.includes('papel')) out = out.replace(LAY_BOLETO, 'boleto');
  return out;
}

const LAY_BOLETO = /\bpapel(zinho)? (do banco|de banco|da loterica|pra (eu )?pagar|para (eu )?pagar|de pagar|de pagamento|pra pagamento)\b|(?<=\b(outro|novo|o|esse|um) )papel(zinho)?(?= (venceu|vencido|vence|expirou|atualizado|pra pagar|para pagar|pra eu pagar|para eu pagar|que pedi|ja saiu))/g;

/** A word of at most four letters that CHAT_EXPANSION knows (a scan, cheaper than the regex on every text). */
function hasChatWord(s: string): boolean {
  let start = 0;
  while (start < s.length) {
    let end = s.indexOf(' ', start);
    if (end < 0) end = s.length;
    if (end - start <= 4 && CHAT_EXPANSION[s.slice(start, end)] !== undefined) return true;
    start = end + 1;
  }
  return false;
}

const CHAT_EXPANSION: Readonly<Record<string, string>> = dictionary({ n: 'nao', nn: 'nao', naum: 'nao', q: 'que', vc: 'voce', vcs: 'voces', pq: 'porque', vdd: 'verdade', qdo: 'quando', qnd: 'quando', qto: 'quanto', dps: 'depois', hj: 'hoje' });
const CHAT_WORDS = new RegExp(`(?<=^| )(?:${Object.keys(CHAT_EXPANSION).join('|')})(?= |$)`, 'g');
