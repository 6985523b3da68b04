import { requestOfLabel, type FaqEntry, type KnowledgeBase } from '../faq/knowledge.js';
import type { Classification } from '../nlu/matcher.js';
import { fold } from '../nlu/spelling.js';
import type { MessageEvent } from './events.js';
import { readSignals, type SmallTalk } from './signals.js';

// What free text means outside a request (home, menus, after an answer): one decision per
// message, computed once and read by the router's transitions by kind.

export type TextDecision =
  | { kind: 'smallTalk'; small: SmallTalk }
  | { kind: 'thanks' }
  | { kind: 'goodbye' }
  | { kind: 'human'; team: 'finance' | 'support' | null }
  | { kind: 'status'; protocol: string | null }
  /** "não era isso" right after an answer: the runner-ups, or a person. */
  | { kind: 'notThis' }
  /** A request asked for in so many words ("quero estorno do pedido 48213"). */
  | { kind: 'startFlow'; flow: string }
  /** An FAQ entry that describes a request: answered, then the request offered. */
  | { kind: 'answerAndOffer'; entry: string; flow: string }
  | { kind: 'answer'; entry: string }
  /** A follow-up ("e pagando com pix?") the topic's answer does not cover: said honestly. */
  | { kind: 'followUpUnknown'; entry: string; about: string }
  | { kind: 'clarify'; options: string[] }
  | { kind: 'noText' }
  | { kind: 'numberOnly' }
  | { kind: 'outOfScope' }
  | { kind: 'notUnderstood' };

export interface RouteContext {
  /** The FAQ entry answered last (follow-ups read with it). */
  topic: string | null;
}

const PROTOCOL = /\b(FIN|SUP)(?:\s*-\s*|\s+)(\d{1,6})\b/i;
// Words that turn "the boleto expired" into "give me a new boleto": start the request at once.
const REQUEST = /\b(quero|queria|gostaria|preciso|solicit\w*|pedir|peco|abrir|fazer o pedido|manda|mande|envia|envie|reenvi\w*|me (ve|da|passa)|pode (me )?(mandar|enviar|fazer|abrir))\b/;
// Data that only makes sense for a request: an order or document number, an e-mail address.
const HAS_DATA = /\d{4,}|\d{3}[.\s]\d{3}[.\s]\d{3}|[^\s@]+@[^\s@]+\.\w{2,}/;
const NOT_THIS = /^(nao|n) (era|e|foi) (bem |exatamente )?(isso|essa|esse)|\bnao (foi|era|e) (isso|essa) (que|q) (eu )?(perguntei|pedi|quis|queria)|\bnao respondeu (minha|a) (pergunta|duvida)|^(resposta errada|errado|nada a ver|nao tem nada a ver)\b|\bnao (e|era) sobre isso\b/;
// "e pagando com pix, muda?", "e se for pessoa jurídica?", "e pra empresa?": a question on the last topic.
const FOLLOW_UP = /^(e|mas e|e se|e no caso|e quando|e pra|e para|e pelo|e pela|e com|e sem|e o|e a|e os|e as|e pagando|e se for|tambem|vale tambem|serve tambem|e quem|e quanto|e onde|e como|e qual)\b/;
const FILLER = new Set(('e mas se no caso quando pra para pelo pela com sem o a os as um uma de do da dos das em na no nas nos muda mudar fica ficar vale serve tambem tb tbm ' +
  'isso esse essa como qual quais quem onde quanto que eu meu minha voce vcs for ser sendo tem ter pode posso seria funciona precisa preciso ai entao').split(' '));

/** The words a follow-up adds to its topic ("e pagando com pix, muda?" -> "pagando pix"). */
function addedWords(text: string): string[] {
  return fold(text).split(' ').filter((w) => w.length > 2 && !FILLER.has(w));
}

/** True when the entry's answer (or question) speaks of every word the follow-up adds. */
function answerCovers(entry: FaqEntry, words: string[]): boolean {
  const said = fold(`${entry.question} ${entry.answer}`);
  return words.every((w) => said.includes(w.slice(0, Math.max(4, w.length - 2))));
}

const isFaqEntry = (kb: KnowledgeBase, id: string) => kb.entries.has(id);

/** The router's reading of a free-text message. */
export function decideText(
  kb: KnowledgeBase,
  flowIds: Set<string>,
  ctx: RouteContext,
  ev: MessageEvent,
  classify: (text: string) => Classification,
): TextDecision {
  const text = ev.text;
  const folded = fold(text);
  const s = readSignals(text, folded);
  const nlu = ev.nlu;
  const intent = nlu.kind === 'answer' ? nlu.id : null;

  if (s.human || intent === 'atendente') return { kind: 'human', team: s.human?.team ?? null };
  const protocol = PROTOCOL.exec(text);
  if (protocol || s.status || intent === 'status-protocolo') return { kind: 'status', protocol: protocol ? `${protocol[1].toUpperCase()}-${protocol[2].padStart(6, '0')}` : null };
  if (ctx.topic && NOT_THIS.test(folded)) return { kind: 'notThis' };

  // A follow-up keeps the topic: the other reading must be clearly about something else.
  const topic = ctx.topic ? kb.entries.get(ctx.topic) : undefined;
  if (topic && FOLLOW_UP.test(folded)) {
    if (intent && intent !== topic.id && isFaqEntry(kb, intent)) return { kind: 'answer', entry: intent };
    const within = classify(`${topic.question} ${text}`);
    if (within.kind === 'answer' && within.id !== topic.id && isFaqEntry(kb, within.id)) return { kind: 'answer', entry: within.id };
    const added = addedWords(text);
    if (added.length && !answerCovers(topic, added)) return { kind: 'followUpUnknown', entry: topic.id, about: added.join(' ') };
    return { kind: 'answer', entry: topic.id };
  }

  if (nlu.kind === 'smalltalk') {
    if (s.smallTalk === 'impatience' || s.smallTalk === 'howAreYou' || s.smallTalk === 'robot' || s.smallTalk === 'audio') return { kind: 'smallTalk', small: s.smallTalk };
    if (nlu.id === 'agradecimento') return { kind: 'thanks' };
    if (nlu.id === 'despedida') return { kind: 'goodbye' };
    return { kind: 'smallTalk', small: s.smallTalk ?? 'greeting' };
  }
  if (s.smallTalk === 'impatience' || s.smallTalk === 'audio' || s.smallTalk === 'robot') return { kind: 'smallTalk', small: s.smallTalk };

  if (intent) {
    const requested = requestOfLabel(intent);
    if (requested && flowIds.has(requested)) return { kind: 'startFlow', flow: requested };
    const entry = kb.entries.get(intent);
    if (entry?.flow && flowIds.has(entry.flow)) {
      if (REQUEST.test(folded) || HAS_DATA.test(text)) return { kind: 'startFlow', flow: entry.flow };
      return { kind: 'answerAndOffer', entry: entry.id, flow: entry.flow };
    }
    if (entry) return { kind: 'answer', entry: entry.id };
  }
  if (nlu.kind === 'clarify') return { kind: 'clarify', options: nlu.options };
  if (nlu.kind === 'none' && nlu.reason === 'empty' && !/\d/.test(text)) return s.smallTalk === 'emoji' || s.smallTalk === 'laugh' ? { kind: 'smallTalk', small: s.smallTalk } : { kind: 'noText' };
  if (/^[\d\s.,/#-]+$/.test(text)) return { kind: 'numberOnly' };
  if (nlu.kind === 'none' && nlu.reason === 'out-of-scope') return { kind: 'outOfScope' };
  return { kind: 'notUnderstood' };
}

/** The FAQ entries other than `answered` that the classification also found plausible ("não era isso"). */
export function alternativesOf(kb: KnowledgeBase, nlu: Classification, answered: string): string[] {
  return nlu.candidates.filter((c) => c.id !== answered && kb.entries.has(c.id) && c.score >= 0.2).slice(0, 3).map((c) => c.id);
}
