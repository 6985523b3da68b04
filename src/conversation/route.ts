import { requestOfLabel, type FaqEntry, type KnowledgeBase } from '../faq/knowledge.js';
import type { Classification } from '../nlu/matcher.js';
import { parseYesNo } from '../nlu/replies.js';
import { fold } from '../nlu/spelling.js';
import { scanMessage } from '../validation/extract.js';
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
  /** `again`: the request that just ended without a ticket, with what it had ("não, é o outro pedido"). */
  | { kind: 'startFlow'; flow: string; again?: boolean }
  /** Data (a CPF, an order number, an e-mail) without a request: which one is it for? */
  | { kind: 'dataOnly' }
  /** "pera, vou pegar o CPF": the person will be back with it. */
  | { kind: 'wait' }
  /** An FAQ entry that describes a request: answered, then the request offered. */
  | { kind: 'answerAndOffer'; entry: string; flow: string }
  /** `also`: a sibling entry answered with it ("qual documento preciso?": Pessoa Física and Jurídica). */
  | { kind: 'answer'; entry: string; also?: string }
  /** A follow-up ("e pagando com pix?") the topic's answer does not cover: said honestly. */
  | { kind: 'followUpUnknown'; entry: string; about: string }
  | { kind: 'clarify'; options: string[] }
  /** A bare "sim"/"ok"/"não" with nothing pending. */
  | { kind: 'ack' }
  | { kind: 'noText' }
  | { kind: 'numberOnly' }
  | { kind: 'outOfScope' }
  | { kind: 'notUnderstood' };

export interface RouteContext {
  /** The FAQ entry answered last (follow-ups read with it). */
  topic: string | null;
  /** The request finished last ("agora outra" starts it again). */
  lastFlow?: string | null;
  /** The request finished last ended without a ticket and left its answers. */
  lastCarry?: boolean;
}

const PROTOCOL = /\b(FIN|SUP)(?:\s*-\s*|\s+)(\d{1,6})\b/i;
// Words that turn "the boleto expired" into "give me a new boleto": start the request at once.
export const REQUEST = /\b(quero|qro|qero|qer|kero|quer|queria|queremos|gostaria|gostariamos|preciso|precisa|precisamos|necessito|solicit\w*|pedir|peco|abrir|fazer o pedido|manda|mande|envia|envie|reenvi\w*|me (ve|da|passa)|pode(m|ria)? (me )?(mandar|enviar|fazer|abrir|emitir|gerar|estornar|antecipar|adiantar))\b/;
const ASKS_ABOUT = /\b(quero|queria|gostaria de|preciso) saber\b/;
// "dá pra fazer antes?" asks whether it can be done; with the request's data it asks for it.
const CAN_YOU = /\b(da pra|tem como|consegue|conseguem) (fazer|antecipar|adiantar|emitir|gerar|mandar|enviar|reenviar|estornar|devolver|trocar|mudar|passar)\b/;
const CHANGED_MIND = /\b(mudei de ideia|pensei melhor|pensando bem|quero continuar|vamos continuar|pode continuar|continuar (o|a|com o|com a) (pedido|solicitacao|estorno)|retomar|retoma (o|a)|na verdade (quero|pode) (sim|registrar|continuar|seguir)|(mesmo assim|entao|pode) registr\w*|registra (sim|pra analise|para analise|mesmo assim|por favor)|apertei (errado|nao sem querer)|foi sem querer|quis dizer sim|respondi errado|me arrependi)\b/;
const OTHER_ONE = /\b(e|era|foi|quero|queria|na verdade|pro|para o|do) (o |a )?outr[oa]\b|\b(esse|essa|este|esta) nao\b|\bnao (e|era|foi) (esse|essa|este|esta)\b|\bo (certo|correto) e\b/;
const ANOTHER = /^(e |agora |tem |mais )?(outr[oa]|mais um[a]?)\b|\b(agora|tenho|tem|preciso de|quero) (mais )?(outr[oa]|mais um[a]?)\b|\bmais (uma|um) (solicitacao|pedido|antecipacao)\b/;

/** True when the message carries data only a request needs (a document, an order number, an e-mail). */
export function hasRequestData(text: string): boolean {
  const s = scanMessage(text, new Date());
  return s.documents.length + s.orders.length + s.emails.length + s.invalidDocuments.length > 0 || s.numbers.some((n) => n.value.length >= 4 && n.value.length <= 12);
}
/** "não era isso", "não foi isso que perguntei" (folded): the last answer missed. */
export const NOT_THIS = /^(nao|n) (era|e|foi) (bem |exatamente )?(isso|essa|esse)|\bnao (foi|era|e) (isso|essa) (que|q) (eu )?(perguntei|pedi|quis|queria)|\bnao respondeu (minha|a) (pergunta|duvida)|^(resposta errada|errado|nada a ver|nao tem nada a ver)\b|\bnao (e|era) sobre isso\b/;
// "e pagando com pix, muda?", "e se for pessoa jurídica?", "e pra empresa?": a question on the last topic.
const FOLLOW_UP = /^(e|mas e|e se|e no caso|e quando|e pra|e para|e pelo|e pela|e com|e sem|e o|e a|e os|e as|e pagando|e se for|tambem|vale tambem|serve tambem|e quem|e quanto|e onde|e como|e qual)\b/;
const FILLER = new Set(('e mas se no caso quando pra para pelo pela com sem o a os as um uma de do da dos das em na no nas nos muda mudar fica ficar vale serve tambem tb tbm ' +
  'isso esse essa como qual quais quem onde quanto que eu meu minha voce vcs for forem fosse fossem seja sejam era ser sendo tem ter pode posso seria funciona precisa preciso ai entao ' +
  'mesmo mesma coisa algo alguma algum igual diferente caso vez agora ainda tivesse tivessem tiver fizesse fizer ele ela eles elas sido ja nao mais da ' +
  // Words that ask about the same fact again, adding no new thing ("e isso pode aumentar ou é sempre esse valor?").
  'aumentar aumenta aumento diminuir diminui sempre valor fixo fixa continua padrao normal assim todo toda todos todas cada').split(' '));

/** The words a follow-up adds to its topic ("e pagando com pix, muda?" -> "pagando pix"). */
function addedWords(text: string): string[] {
  return fold(text).split(' ').filter((w) => w.length > 2 && !FILLER.has(w));
}

/** True when the entry's answer (or question) speaks of every word the follow-up adds. */
/** How an answer names what a follow-up calls otherwise ("e para a minha empresa?" is the Pessoa Jurídica case). */
const SAID_AS: ReadonlyMap<string, string> = new Map(Object.entries({ empresa: 'juridica', firma: 'juridica', cnpj: 'juridica', ecnpj: 'juridica', mei: 'juridica', ecpf: 'fisica', pessoal: 'fisica' }));

function answerCovers(entry: FaqEntry, words: string[]): boolean {
  const said = fold(`${entry.question} ${entry.answer}`);
  // A rough stem: "pago" is said by "pagas", "recebo" by "receberá", "pagando" by "pagas".
  const stem = (w: string) => {
    const gerund = /^(.{3,}?)(ando|endo|indo)$/.exec(w);
    return gerund ? gerund[1] : w.slice(0, w.length <= 5 ? Math.max(3, w.length - 1) : Math.max(4, w.length - 2));
  };
  return words.every((w) => said.includes(stem(w)) || (SAID_AS.has(w) && said.includes(SAID_AS.get(w)!)));
}

const ELSEWHERE = /\b(vou|vamos|irei) (falar|conversar|ver|resolver|perguntar|ligar) (com|pra|para|pro) (ela|ele|eles|elas|a loja|o parceiro|a parceira|o contador|a contadora|meu|minha|o meu|a minha|o vendedor|a vendedora|a moca|o moco)\b/;

const isFaqEntry = (kb: KnowledgeBase, id: string) => kb.entries.has(id);
/** The ids of a (fixed) list of flows, built once per list rather than once per message. */
const flowIdsOf = new WeakMap<object, Set<string>>();

/** The router's reading of a free-text message. */
export function decideText(
  kb: KnowledgeBase,
  flows: Array<{ id: string; cues?: RegExp }>,
  ctx: RouteContext,
  ev: MessageEvent,
  classify: (text: string) => Classification,
): TextDecision {
  let flowIds = flowIdsOf.get(flows);
  if (!flowIds) flowIdsOf.set(flows, (flowIds = new Set(flows.map((f) => f.id))));
  const text = ev.text;
  const folded = fold(text);
  const s = readSignals(text, folded);
  const nlu = ev.nlu;
  const intent = nlu.kind === 'answer' ? nlu.id : null;

  // "então vou falar com ela, obg": the person will sort it out elsewhere, not a hand-over.
  if (!s.human && intent === 'atendente' && ELSEWHERE.test(folded)) return /\b(obg|obrigad[oa]|valeu|vlw|brigad[oa])\b/.test(folded) ? { kind: 'thanks' } : { kind: 'ack' };
  // "é urgente" alone says how soon, not what: asked like a plea for help.
  if (!s.human && s.smallTalk === 'urgency') return { kind: 'smallTalk', small: 'help' };
  // ("vc é um robô?" is asked, not a hand-over: the answer says how to reach a person.)
  if (s.human || (intent === 'atendente' && s.smallTalk !== 'robot')) return { kind: 'human', team: s.human?.team ?? null };
  const protocol = PROTOCOL.exec(text);
  if (protocol || s.status) return { kind: 'status', protocol: protocol ? `${protocol[1].toUpperCase()}-${protocol[2].padStart(6, '0')}` : null };
  if (NOT_THIS.test(folded)) {
    // "não era isso, eu quero saber o que acontece depois da vídeo": the question said again, answered.
    const rest = folded.replace(NOT_THIS, ' ').trim().split(' ').filter(Boolean);
    if (rest.length >= 4 && nlu.kind === 'answer' && isFaqEntry(kb, nlu.id) && nlu.id !== ctx.topic) return { kind: 'answer', entry: nlu.id };
    // Without a topic (the answer was inside a request, or long ago) it still says the reply missed.
    if (ctx.topic || rest.length < 4) return { kind: 'notThis' };
  }
  if (s.wait && !hasRequestData(text)) return { kind: 'wait' };

  // A follow-up ("e se for pessoa jurídica?") is read with its topic: a sure reading of its own,
  // a sibling question of the same category, the topic itself, or an honest "I don't know that".
  const topic = ctx.topic ? kb.entries.get(ctx.topic) : undefined;
  if (topic && FOLLOW_UP.test(folded) && folded.split(' ').length <= 12) {
    // A plausible sibling of the topic's category wins over a reading of its own that is not sure.
    const sibling = nlu.candidates.find((c) => isFaqEntry(kb, c.id) && c.score >= 0.25 && c.id !== topic.id && kb.entries.get(c.id)!.category === topic.category);
    if (nlu.kind === 'answer' && nlu.confidence >= (sibling && sibling.id !== nlu.id ? 0.85 : 0.6) && isFaqEntry(kb, nlu.id) && nlu.id !== topic.id) return { kind: 'answer', entry: nlu.id };
    if (sibling) return { kind: 'answer', entry: sibling.id };
    const within = classify(`${topic.question} ${text}`);
    const added = addedWords(text);
    if (within.kind === 'answer' && isFaqEntry(kb, within.id) && within.id !== topic.id) return { kind: 'answer', entry: within.id };
    // Read with the topic, a sibling of its category that speaks of what the follow-up adds and the
    // topic does not ("e se for para a minha empresa?" after the Pessoa Física documents).
    if (within.kind !== 'answer' && added.length && !answerCovers(topic, added)) {
      const covering = within.candidates.find((c) => c.id !== topic.id && c.score >= 0.25 && isFaqEntry(kb, c.id) && kb.entries.get(c.id)!.category === topic.category && answerCovers(kb.entries.get(c.id)!, added));
      if (covering) return { kind: 'answer', entry: covering.id };
    }
    if (within.kind === 'answer' && within.id === topic.id) {
      if (!added.length || answerCovers(topic, added)) return { kind: 'answer', entry: topic.id };
      // What the topic does not cover, the message's own reading may ("e quanto é a porcentagem?").
      if (nlu.kind === 'answer' && isFaqEntry(kb, nlu.id)) return { kind: 'answer', entry: nlu.id };
      return { kind: 'followUpUnknown', entry: topic.id, about: added.join(' ') };
    }
    if (nlu.kind === 'answer' && isFaqEntry(kb, nlu.id)) return { kind: 'answer', entry: nlu.id };
    if (nlu.kind === 'clarify') return nlu.options.includes(topic.id) ? { kind: 'answer', entry: topic.id } : { kind: 'clarify', options: nlu.options };
    // "e como faz pra ter um? quais as etapas?" asks something of its own: read like any message.
    const ownQuestion = /\b(qual|quais|como|quando|onde|quanto|quantos|quem|porque|por que)\b/.test(folded);
    if (!ownQuestion) {
      if (added.length && !answerCovers(topic, added)) return { kind: 'followUpUnknown', entry: topic.id, about: added.join(' ') };
      return { kind: 'answer', entry: topic.id };
    }
  }

  if (nlu.kind === 'smalltalk') {
    if (s.smallTalk === 'impatience' || s.smallTalk === 'howAreYou' || s.smallTalk === 'robot' || s.smallTalk === 'audio') return { kind: 'smallTalk', small: s.smallTalk };
    if (nlu.id === 'agradecimento') return { kind: 'thanks' };
    // "isso ✅" is agreement, not a goodbye.
    if (nlu.id === 'despedida' && !s.goodbye && parseYesNo(text, false)) return { kind: 'ack' };
    if (nlu.id === 'despedida') return { kind: 'goodbye' };
    return { kind: 'smallTalk', small: s.smallTalk ?? 'greeting' };
  }
  if (s.smallTalk === 'impatience' || s.smallTalk === 'audio' || s.smallTalk === 'robot' || s.smallTalk === 'foreign' || s.smallTalk === 'replyHere') return { kind: 'smallTalk', small: s.smallTalk };
  // "bom dia, preciso de uma ajuda urgente": nothing said yet about what.
  if (s.wantsHelp) return { kind: 'smallTalk', small: 'help' };

  // "Gostaria de solicitar o estorno de uma compra que fiz por engano": a request verb and the
  // words of exactly one request start it, however long the message (not a question about it).
  // Scanning for documents and dates costs more than the rest: only when a decision needs it.
  let scanned: boolean | undefined;
  const data = () => (scanned ??= hasRequestData(text));
  const asking = ((REQUEST.test(folded) && !s.question) || (CAN_YOU.test(folded) && data())) && !ASKS_ABOUT.test(folded);
  if (asking) {
    const named = flows.filter((f) => f.cues?.test(folded));
    if (named.length === 1) return { kind: 'startFlow', flow: named[0].id };
  }
  // "pensando bem, pode registrar sim" after "não registrei nada": the request again, with what it had.
  if (ctx.lastFlow && ctx.lastCarry && flowIds.has(ctx.lastFlow) && CHANGED_MIND.test(folded) && !s.question) return { kind: 'startFlow', flow: ctx.lastFlow, again: true };
  // "não, esse não, é o outro: 50912" after "o pedido já está pago": the same request again, for that one.
  if (ctx.lastFlow && ctx.lastCarry && flowIds.has(ctx.lastFlow) && OTHER_ONE.test(folded) && !s.question && data()) return { kind: 'startFlow', flow: ctx.lastFlow, again: true };
  // "agora outra, do cliente Carlos": another one of the request just finished.
  if (ctx.lastFlow && flowIds.has(ctx.lastFlow) && ANOTHER.test(folded) && !s.question) return { kind: 'startFlow', flow: ctx.lastFlow };
  if (intent === 'status-protocolo') return { kind: 'status', protocol: null };

  if (intent) {
    const requested = requestOfLabel(intent);
    if (requested && flowIds.has(requested)) return { kind: 'startFlow', flow: requested };
    const entry = kb.entries.get(intent);
    if (entry?.flow && flowIds.has(entry.flow)) {
      // "cliente meu quer desistir, até quando pode?" is a question about it: answered, then offered.
      if ((REQUEST.test(folded) && !s.question) || data()) return { kind: 'startFlow', flow: entry.flow };
      return { kind: 'answerAndOffer', entry: entry.id, flow: entry.flow };
    }
    // "o cpf dele é 935.411.347-80" is data for a request, whatever entry speaks of CPFs.
    if (entry) return data() && !s.question ? { kind: 'dataOnly' } : { kind: 'answer', entry: entry.id };
  }
  if (nlu.kind === 'clarify') {
    // "nao paguei o boleto a tempo, preciso de um novo. pedido 50001": unsure which entry, sure it is that request.
    // (Of the options, the topic just answered is the one meant: "meu boleto venceu" ... "preciso de outro".)
    const top = kb.entries.get(nlu.options.find((id) => id === ctx.topic && kb.entries.get(id)?.flow) ?? nlu.options[0]);
    // (Not "quero", "quero o menu": a request verb and next to nothing else starts no request.)
    const saysWhat = folded.split(' ').length > 4 || flows.some((f) => f.id === top?.flow && f.cues?.test(folded));
    if (top?.flow && flowIds.has(top.flow) && ((asking && saysWhat) || data())) return { kind: 'startFlow', flow: top.flow };
    if (data()) return { kind: 'dataOnly' };
    const pair = shortSiblings(kb, nlu.options);
    if (pair) return { kind: 'answer', entry: pair[0], also: pair[1] };
    return { kind: 'clarify', options: nlu.options };
  }
  if (data()) return { kind: 'dataOnly' };
  if (nlu.kind === 'none' && nlu.reason === 'empty' && !/\d/.test(text)) {
    if (s.smallTalk === 'emoji' || s.smallTalk === 'laugh') return { kind: 'smallTalk', small: s.smallTalk };
    // "ok", "sim" with nothing pending is agreement; "ajuda" asks for help: both are text, not media.
    if (parseYesNo(text, false)) return { kind: 'ack' };
    if (/^(ajuda|help|socorro)\b/.test(folded)) return { kind: 'smallTalk', small: 'help' };
    return /\p{L}/u.test(text) ? { kind: 'notUnderstood' } : { kind: 'noText' };
  }
  if (/^[\d\s.,/#-]+$/.test(text)) return { kind: 'numberOnly' };
  if (folded.split(' ').length <= 3 && parseYesNo(text, false)) return { kind: 'ack' };
  if (nlu.kind === 'none' && nlu.reason === 'out-of-scope') return { kind: 'outOfScope' };
  return { kind: 'notUnderstood' };
}

/**
 * Two likely entries of one category with short answers and no request behind them ("qual
 * documento preciso pra fazer por vídeo?": Pessoa Física or Jurídica): both answers beat a question back.
 */
function shortSiblings(kb: KnowledgeBase, options: string[]): [string, string] | null {
  if (options.length < 2) return null;
  const [a, b] = [kb.entries.get(options[0]), kb.entries.get(options[1])];
  if (!a || !b || a.category !== b.category || a.flow || b.flow) return null;
  return a.answer.length <= 300 && b.answer.length <= 300 ? [a.id, b.id] : null;
}

/** The FAQ entries other than `answered` that the classification also found plausible ("não era isso"). */
export function alternativesOf(kb: KnowledgeBase, nlu: Classification, answered: string): string[] {
  return nlu.candidates.filter((c) => c.id !== answered && kb.entries.has(c.id) && c.score >= 0.2).slice(0, 2).map((c) => c.id);
}
