import { ABBREVIATIONS, fold } from '../nlu/spelling.js';

// What a message says about the conversation itself, beyond the answer to the question on
// screen: giving up, wanting a person, asking about one's own tickets, not knowing, asking to
// repeat, impatience and small talk, correcting oneself. Pure functions over the text, shared
// by the router and every request (Rasa's conversation-repair patterns, deterministic and pt-BR).
// Each takes the folded text (see `fold`): lower case, no accents, no punctuation.

export type SmallTalk = 'greeting' | 'howAreYou' | 'impatience' | 'urgency' | 'thanks' | 'audio' | 'robot' | 'ack' | 'emoji' | 'laugh' | 'help' | 'foreign' | 'replyHere';

export interface Signals {
  /** "deixa pra lá", "esquece", "desisti de pedir", "o cliente já conseguiu sozinho". */
  cancel: 'strong' | 'weak' | null;
  /** "quero falar com uma pessoa", "tem como um humano me ajudar?"; the team when named. */
  human: { team: 'finance' | 'support' | null } | null;
  /** "e o meu estorno?", "o boleto que pedi já saiu?", "meus chamados". */
  status: boolean;
  /** "não sei", "não lembro", "não tenho aqui". */
  dontKnow: boolean;
  /** "pode repetir?", "como assim?", "qual pergunta?". */
  repeat: boolean;
  smallTalk: SmallTalk | null;
  /** "ops, errei", "na verdade", "o certo é": the message corrects something said before. */
  correction: boolean;
  /** The message reads as a question (question mark or question words). */
  question: boolean;
  /** "tchau", "até mais", "era só isso". */
  goodbye: boolean;
  /** "posso mandar o comprovante em foto?" */
  asksToSendFile: boolean;
  /** "preciso de uma ajuda", "pode me ajudar?" and nothing about what. */
  wantsHelp: boolean;
  /**
   * "pera, ele tá me mandando", "só um minuto", "vou perguntar pra ela e já te falo": the answer
   * is on its way, and the message says nothing else (not "pera, me confundi, quero o boleto").
   */
  wait: boolean;
}

const WAIT = /\b(pera+|perai|peraí|espera (ai|um pouco|um pouquinho|so um)|aguarda (ai|um pouco|so um)|(so )?um (momento|minuto|minutinho|segundo|segundinho|instante)|ja (te )?(mando|passo|envio|falo)|vou (ver|pegar|procurar|conferir|olhar|perguntar)( aqui| pra ele| pra ela| com ele| com ela)?|deixa eu (ver|pegar|olhar|procurar|conferir)|(preciso|tenho que|vou ter que|vou precisar) (procurar|ver|olhar|achar|pegar|conferir)|(ele|ela|o cliente|a cliente) (ta|esta) (me )?(mandando|passando|procurando|vendo|ligando|chamando))\b/;

const STRONG_CANCEL = new RegExp(
  [
    '\\bdeixa (para|pra) la\\b',
    '\\bdeixa (quieto|isso|pra depois|para depois)\\b',
    '\\besquece (isso|tudo|o pedido|a solicitacao|esse pedido|essa solicitacao|o que eu (falei|disse|pedi))\\b',
    '^esquece$',
    '\\b(desisti|desisto|desistimos|vou desistir) (de pedir|de solicitar|do pedido|da solicitacao|de fazer|de abrir|disso|desse pedido|dessa solicitacao)\\b',
    '\\bnao (quero|preciso) mais (pedir|solicitar|fazer o pedido|abrir|desse pedido|dessa solicitacao|do pedido|da solicitacao|disso|nada)\\b',
    '\\b(o|a|meu|minha) client[ea] (ja )?(conseguiu|resolveu|achou|encontrou|fez)( sozinh[oa]| por conta)?\\b',
    '\\bja (consegui|resolvi|resolveu|resolvemos|deu certo|conseguimos|foi resolvido)( sozinh[oa]| aqui| por aqui| por conta)?$',
    '\\b(nao precisa|nem precisa) mais\\b',
    '\\bcancela (isso|tudo|a solicitacao|essa solicitacao|esse pedido|o atendimento)\\b',
    '\\b(pode )?cancelar (isso|tudo|a solicitacao|essa solicitacao)\\b',
    '\\bpara (com isso|por aqui|tudo)\\b',
    '\\bdeixa(r)? pra (la|outro dia|outra hora)\\b',
    '\\bnao (vou|quero) (mais )?continuar\\b',
    '\\bmelhor (deixar|esquecer)\\b',
  ].join('|'),
);
const WEAK_CANCEL = /^(desisti|desisto|esquece|deixa|cancela|nao quero mais|mudei de ideia|nao quero|para|chega|nada|esquece ai)$/;

// Asking for a person, not talking about one ("o atendente da video falou que..." is not a request).
const HUMAN = new RegExp(
  [
    '^(atendente|humano|uma pessoa|operador|um atendente)( por favor| pfv| pf| ai| agora| urgente)?$',
    '\\b(falar|conversar|tratar|resolver|ser atendid[oa]|atendimento) (isso )?(com|por) (alguem|uma pessoa|um atendente|atendente|um humano|gente|o financeiro|o suporte|o setor|um funcionario|uma funcionaria|um consultor|um operador|voces|vcs|pessoa|humano)\\b',
    '\\b(quero|queria|preciso de|preciso|chama|chame|chamar|cade|tem|tem um|tem uma|existe|gostaria de|prefiro) (um |uma |o |a |algum |alguma )?(atendente|humano|pessoa de verdade|pessoa real|atendimento humano)\\b',
    '\\b(pessoa|alguem|gente|atendente) (de verdade|real|de carne e osso|humana|humano)\\b',
    '\\bcarne e osso\\b',
    '\\b(me )?(passa|passe|transfere|transfira|coloca|coloque|encaminha|encaminhe|manda|mande) (pra|para|com|pro|ao|a) (alguem|uma pessoa|um humano|um atendente|atendente|o financeiro|o suporte|financeiro|suporte|o setor|uma atendente)\\b',
    '\\b(alguem|uma pessoa) (do|da) (financeiro|suporte|equipe|empresa|setor)\\b',
    '\\b(alguem|uma pessoa|um humano) (pra|para|que possa|que pode|pode|podia|poderia) (me )?(ajudar|atender|resolver|responder|ver isso)\\b',
    '\\bhumano (me )?(ajudar|atender|responder)\\b',
    '\\bnao quero (falar com |conversar com )?(robo|bot|maquina)\\b',
    '\\bsem ser (robo|bot)\\b',
    '\\b(me )?(liga|ligue|ligar) (pra|para) mim\\b',
  ].join('|'),
);
/** The hand-over words negated ("não quero atendente", "nem precisa chamar ninguém"). */
const NO_HUMAN = /\b(nao|nem) (quero|queria|preciso|precisa|vou|precisamos)( de)?( (falar|conversar|chamar|ser atendid[oa]))?( com)? (um |uma |o |a |nenhum |ninguem)?(atendente|humano|pessoa|ninguem)\b/;

const REQUEST_NOUN = '(estorno|reembolso|boleto|pedido|solicitacao|chamado|protocolo|antecipacao|reenvio|atendimento|dinheiro|devolucao|ticket|caso)';
const STATUS = new RegExp(
  [
    `\\b(e|cade|como (esta|ta|anda|fica|ficou)|como que (esta|ta)|onde (esta|ta)|alguma novidade (do|da|sobre o|sobre a)) (o |a )?(meu|minha|nosso|nossa) ${REQUEST_NOUN}\\b`,
    `\\b(o|a|aquele|aquela) ((outr[oa]|primeir[oa]|ultim[oa]|anterior) )?${REQUEST_NOUN}( de \\w+)? (que|q) (eu )?(pedi|solicitei|abri|fiz|mandei)\\b.*\\b(saiu|ficou|andou|foi|esta|ta|resolv|novidade|pronto|aprovad|feito|conseguiram|antecip\\w*|reenvi\\w*|estorn\\w*|emiti\\w*)`,
    // "e aquela da Fernanda que pedi, já conseguiram?", "e aquele primeiro que pedi, já foi reenviado?"
    '\\b(aquel[ea]|o outro|a outra|o primeiro|a primeira|o anterior|a anterior)\\b.{0,30}\\b(que|q) (eu )?(pedi|solicitei|abri|fiz|mandei)\\b.*\\b(ja|saiu|conseguiram|resolv\\w*|feito|foi|pronto|novidade|andamento)\\b',
    '\\b(o que|oque|quais|qual) (eu )?(ja )?(pedi|solicitei|abri)\\b',
    `\\b(o|a) (outr[oa]|primeir[oa]|anterior) ${REQUEST_NOUN}\\b.*\\b(ja|saiu|feito|foi|pronto|resolv\\w*|novidade)\\b`,
    `\\b(meu|minha) ${REQUEST_NOUN}( de \\w+)? (ja )?(saiu|foi (feito|aprovado|resolvido|pago|liberado)|esta pronto|ta pronto|andou)\\b`,
    `\\b(status|andamento|situacao) (do|da|de) (meu|minha|meus|minhas)? ?${REQUEST_NOUN}`,
    '\\b(meus|minhas) (pedidos|chamados|protocolos|tickets|solicitacoes)\\b',
    '\\b(alguma|tem) (novidade|resposta|retorno)( sobre| do| da)? ?(meu|minha|o|a)? ?(pedido|solicitacao|estorno|boleto|chamado|protocolo|caso)?\\b.*$',
    '\\bstatus do (meu )?protocolo\\b',
    // "qual ficou o protocolo?", "qual foi o número do protocolo?", "me passa o protocolo"
    '\\bqual (ficou|foi|e|era)? ?(o )?(numero do |n do )?protocolo\\b',
    '\\b(me )?(passa|manda|informa|diz|fala)( ai| pra mim)? o (numero do )?protocolo\\b',
  ].join('|'),
);

export const DONT_KNOW = /\b(nao sei|nao lembro|nao (tenho|possuo|temos|possuimos|tem) (isso|aqui|agora|como|o numero|ele|ela|anotado|em maos|mais|o pedido|numero)|nao tenho$|(eu )?nao (tenho|sei) nao\b|^(o )?(pedido|numero|email|e-mail|data|cpf)?\s*sei nao\b|(numero|pedido|email|e-mail|data) (eu )?nao (tenho|sei|lembro)|esqueci|sei la|nao faco (a menor )?ideia|nao sabe|nao lembra|nao tem (como|isso)|nao (achei|achou|acharam|achamos|encontrei|encontrou|encontramos) (o numero|o pedido|o email|a data|nada)|nao encontro|nao sei informar|nao consigo (achar|encontrar|lembrar))\b/;

/** "não sei o pedido" (folded text); "ah esqueci, o horário é 9h30" forgot to say it, and says it. */
export function saysDontKnow(folded: string): boolean {
  if (!DONT_KNOW.test(folded)) return false;
  return !(/\besqueci\b/.test(folded) && /\d/.test(folded) && !DONT_KNOW.test(folded.replace(/\besqueci\b/g, '')));
}

const REPEAT = /\bnao entendi( nada| bem| direito)?$|\bque (pasta|pergunta|opcao|coisa) e essa\b|\b(o que|oq|que) (e|seria|significa|quer dizer) (isso|esse|essa|spam|lixo eletronico|periodo|chave pix|pix)\b|^(pode|poderia|consegue) repetir|^repete\b|\brepete (a pergunta|por favor|ai)\b|^como assim\b|^nao entendi\b|\bnao entendi (a pergunta|o que|oq|direito)\b|^qual (pergunta|era a pergunta)\b|\bqual (era|foi) (a|mesmo a) pergunta\b|\bqual era a pergunta\b|\bo que (voce|vc|vcs|voces) (quer|precisa|pediu)( saber)?\b|^(hein|han|hm+|ue) ?$|^o que$|^qual$|\bexplica (melhor|de novo)\b|\bcomo (eu )?(respondo|faco isso)\b/;

// "comprei o modelo errado" is a reason, not a correction: only errors of what was typed here count.
const CORRECTION = /\b(errei|(me )?confundi|melhor (mandar|usar|colocar|por|ser|trocar)|prefiro (usar|mandar|que)|(em vez|ao inves) d[eo]|tudo junto|(esta|ta|estava|tava|saiu|ficou) incomplet[oa]|faltou (o|a) \w+|(o )?sobrenome (e|eh|certo|correto)|(so )?um detalhe|com (z|s|ss|ç|x|y|w|k) no final|e com (z|s|ss|ç|x|y|w|k)|(\w+ )com (z|s|ss|ç|x|y|w|k)(?=[ ,.!]|$)|(esta|ta|estava|tava|saiu|foi) errad[oa]|me enganei|digitei errado|escrevi errado|mandei errado|passei errado|troquei|inverti\w*|corrig\w*|corrige|na verdade|certo e|certa e|correto e|correta e|quis dizer|queria dizer|ops|opa|foi mal|nao e esse|nao e essa|e outro|e outra|digo|(usa|use|usar|coloca|coloque|poe|bota|troca|troque|muda|mude) (o|a|outro|outra|pra|para|por|que foi)|(de|e de|era de) outro banco|nao (e|era) (mais )?(esse|essa|o|a) (email|chave|cpf|pix))\b/;

const QUESTION_WORDS = /^(o que|oque|qual|quais|quando|como|onde|aonde|quanto|quantos|quantas|por que|porque|pq|quem|e se|e possivel|existe)\b/;
// "pode reenviar?", "tem como me mandar o boleto?": a request phrased as a question.
const ASKS_FOR_ACTION = /^(pode|podem|poderia|poderiam|voce pode|vc pode|vcs podem|voces podem|tem como|consegue|conseguem|da pra|da para|me (manda|envia|passa|ve))\b/;

/** True when the message is a question (a question mark, or a question word leading a clause), not a request worded as one. */
export function isQuestion(raw: string, folded = fold(raw)): boolean {
  if (ASKS_FOR_ACTION.test(folded)) return false;
  // "não recebi o e-mail, pode reenviar?": a later clause may be the request (folded only when it can be).
  if (/[,.;!?\n]/.test(raw) && /\b(pode|podem|poderia|tem como|consegue|da pra|dá pra|me (manda|envia|passa))/i.test(raw) && raw.split(/[,.;!?\n]+/).some((clause) => ASKS_FOR_ACTION.test(fold(clause)))) return false;
  return /\?/.test(raw) || QUESTION_WORDS.test(folded) || /\b(sabe me dizer|gostaria de saber|queria saber|me (diz|diga|explica|fala))\b/.test(folded);
}

const IMPATIENCE = /\b(tem alguem|alguem (ai|me ouvindo|ouvindo|lendo|responde)|cade (voces|voce|vc|vcs|todo mundo|o atendimento)|ninguem (responde|me responde|atende)|(vai|vao) (me )?responder|que demora|demora (hein|heim|muito|demais|ai)|demorou|ta demorando|esta demorando|demorando (muito|demais)|to esperando|estou esperando|ainda esperando|ta ai|esta ai|esta me ouvindo|ta me ouvindo|oi+ (oi+ ?)+|alo+)\b/;
const IMPATIENCE_ALL = new RegExp(IMPATIENCE.source, 'g');

function smallTalkOf(raw: string, t: string): SmallTalk | null {
  if (t === '') return /\p{Extended_Pictographic}/u.test(raw) ? 'emoji' : null;
  if (/^(k{3,}|(ha){2,}h?|(rs)+|hehe+|kkk+)$/.test(t)) return 'laugh';
  if (/\b(do you|can you|speak english|english please|hello|how are you|i need|i want|thank you)\b|\b(hablas|hablan|necesito|quiero) /.test(t) && !/\b(voce|vc|eu|meu|minha|preciso|quero|nao)\b/.test(t)) return 'foreign';
  if (/\b(audio|audios|mensagem de voz|gravar|gravacao)\b/.test(t)) return 'audio';
  // "a resposta vem por aqui mesmo né?": where the team's answer arrives.
  if (/\b(a )?(resposta|retorno)\b.{0,20}\b(vem|chega|sai|volta|e|sera)\b.{0,12}\b(por aqui|aqui|pelo whatsapp|neste whatsapp|nesse whatsapp|no whatsapp|pelo zap)\b/.test(t) && /\?|\b(ne|mesmo|ok)\b/.test(raw + ' ' + t)) return 'replyHere';
  if (/\b(voce|vc|isso) e (um )?(robo|bot|maquina|gente)\b|\b(e|sou falando com) (um )?(robo|bot)\b|^robo\b/.test(t)) return 'robot';
  if (IMPATIENCE.test(t) || /^(oi+|ola|alo+|e ai)\s*$/.test(t) && /\?{2,}|!{2,}/.test(raw)) {
    // "oi tem alguém aí? preciso de um boleto novo, venceu": the rest of the message is what counts.
    const rest = t.replace(IMPATIENCE_ALL, ' ').replace(/\b(oi+|ola|ai|e|bom dia|boa tarde|boa noite|por favor)\b/g, ' ').trim().split(/\s+/).filter(Boolean);
    return rest.length > 3 ? null : 'impatience';
  }
  // "é urgente 🙏", "to com pressa": how soon, not a request for a person.
  // "oi?? to com pressa": a greeting or a call before it says no more.
  if (/^((oi+|ola|alo+|e ai|ei+|ow|opa|gente|pessoal|moco|moca|por favor|pfv) )*(e |eh |ta |esta |isso e |e bem |e muito )?(muito |super |bem )?(urgente|urgencia|pra ontem|para ontem|com pressa|tenho pressa|to com pressa|estou com pressa|preciso rapido|preciso com urgencia)( mesmo| demais| viu| ta| por favor| pfv| pf)*$/.test(t)) return 'urgency';
  // ("bom diaaa tudo bem com vcs?": letters stretched for warmth, a greeting before the question.)
  const warm = t.replace(/([a-z])\1{2,}/g, '$1').replace(/^((oi|ola|oie|opa|bom dia|boa tarde|boa noite|e ai|eai|salve|hey|fala|gente|pessoal) )+(?=tudo|como|td)/, '');
  if (/^(tudo (bem|bom|certo|joia|tranquilo|ok)|como (vai|voce esta|vc esta|esta|vai voce|vao|estao)|td bem|tudo bem com voce)\b/.test(warm) || /\b(tudo bem|tudo bom|td bem)( (com|c) (voce|voces|o senhor|a senhora|a equipe|o pessoal))?$/.test(warm)) return 'howAreYou';
  if (/^(oi+|ola|oie|opa|bom dia|boa tarde|boa noite|e ai|eai|salve|hey|fala)( (tudo bem|tudo bom|pessoal|gente))?$/.test(t.replace(/([a-z])\1{2,}/g, '$1'))) return 'greeting';
  // (The chat spelling of the first word too: "obgda pela ajuda", "obgd".)
  const opening = t.split(' ', 1)[0];
  if (/^(obrigad[oa]|valeu|vlw|obg|brigad[oa]|grat[oa]|agradeco)\b/.test(ABBREVIATIONS.get(opening) ?? opening) && t.split(' ').length <= 4) return 'thanks';
  if (/^(ok|okay|blz|beleza|certo|ta bom|ta|entendi|entendido|perfeito|show|top|otimo|hum+|ah|aham|uhum|tranquilo|joia)$/.test(t)) return 'ack';
  return null;
}

export function readSignals(raw: string, folded = fold(raw)): Signals {
  const t = folded;
  // "não quero falar com atendente, só quero saber...": a person refused is no hand-over.
  const human = HUMAN.test(t) && !NO_HUMAN.test(t) ? { team: /\bfinanceir/.test(t) ? ('finance' as const) : /\bsuporte\b/.test(t) ? ('support' as const) : null } : null;
  const cancel = STRONG_CANCEL.test(t) ? 'strong' : WEAK_CANCEL.test(t) ? 'weak' : null;
  const correction = CORRECTION.test(t);
  return {
    cancel,
    human,
    status: STATUS.test(t),
    dontKnow: saysDontKnow(t),
    repeat: REPEAT.test(t),
    smallTalk: smallTalkOf(raw, t),
    correction,
    question: isQuestion(raw, t),
    wantsHelp: /\b((preciso|precisava|quero|queria|gostaria)( de)? (uma )?ajuda|me ajuda|pode(ria)? me ajudar|alguem pode ajudar|socorro)\b/.test(t) && t.replace(/\b(bom dia|boa tarde|boa noite|oi+|ola|tudo (bem|bom|joia|certo)|por favor|pfv|urgente|urgencia|uma|de|preciso|precisava|quero|queria|gostaria|ajuda|me|pode|poderia|ajudar|alguem|socorro|com|isso|voces|vcs|voce|vc)\b/g, '').trim() === '',
    asksToSendFile: /\b(posso|pode|podem|da pra|da para|consigo|como|tem como|quer que eu) (te |lhe )?(mandar|enviar|anexar|mando|envio|passar)\b.*\b(foto|fotos|print|prints|comprovante|pdf|arquivo|documento|imagem|anexo|screenshot)\b/.test(t),
    wait: WAIT.test(t) && !human && !correction && !cancel && !WAIT_BUT.test(t) && t.split(' ').length <= 20,
    goodbye: /^(tchau+|ate (mais|logo|a proxima|depois)|flw|falou|fui|era (so )?isso|so isso|bye|adeus)( (obrigad[oa]|valeu|vlw))?$/.test(t),
  };
}

/** Words after which a wait word ("pera, me confundi, quero o boleto") is not all the message says. */
const WAIT_BUT = /\b(quero|queria|preciso|precisava|gostaria|confundi|errei)\b(?! (procurar|ver|olhar|achar|pegar|conferir)\b)/;

/** The answer to a message that only says the answer is on its way. */
export const WAITING_REPLY = 'Sem pressa! Fico aguardando por aqui. 🙂';

/** The quick replies to small talk in the middle of a request (the pending question follows). */
export const SMALL_TALK_REPLY: Record<SmallTalk, string> = {
  greeting: 'Oi! 👋',
  howAreYou: 'Tudo ótimo por aqui, obrigado por perguntar! 😊',
  impatience: 'Estou aqui, sim! 🙂 Desculpe a demora.',
  urgency: 'Entendi, é urgente! 🙏 Vamos agilizar.',
  thanks: 'Imagina! 😊',
  audio: 'Por aqui eu ainda não consigo ouvir áudios. 🙏 Pode me mandar por escrito?',
  robot: 'Sou o assistente virtual da Indique Certo. 🤖 Se preferir falar com uma pessoa, é só dizer *atendente*.',
  ack: '',
  emoji: '',
  laugh: '😄',
  help: 'Claro, estou aqui para ajudar! 🙂 Me conta o que aconteceu, ou escolha um assunto:',
  replyHere: 'Isso mesmo! A resposta chega aqui, neste WhatsApp. 🙂',
  foreign: 'Olá! Por enquanto eu atendo apenas em português. 🇧🇷 Se precisar, digite *atendente* e uma pessoa da nossa equipe continua com você.',
};
