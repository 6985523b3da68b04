import type { FaqCategory, FaqEntry, KnowledgeBase } from '../faq/knowledge.js';

// Every sentence the router says, in one place, in pt-BR.

export interface MenuFlow {
  id: string;
  title: string;
}

const MEDIA_LABEL: Record<string, string> = {
  audio: 'seu áudio', image: 'sua imagem', video: 'seu vídeo', document: 'seu documento', sticker: 'sua figurinha', location: 'sua localização', contact: 'seu contato',
};

export const MENU_REQUESTS = 10;
export const MENU_HUMAN = 11;

export const texts = {
  continueHint: 'Posso ajudar em algo mais? Digite *menu* para ver as opções.',
  categoryHint: (title: string) => `Digite outro número para mais perguntas de *${title}*, *voltar* ou *menu*.`,
  notUnderstood:
    'Desculpe, não encontrei uma resposta para isso no meu conteúdo. 🤔\nPosso ajudar com os assuntos abaixo; se preferir, digite *atendente* para falar com uma pessoa.',
  outOfScope:
    'Essa informação eu não tenho por aqui. 🙏 Para esse assunto, digite *atendente* e uma pessoa da nossa equipe continua com você, ou veja as opções abaixo.',
  emptyChoice: (max: number) => `Não encontrei essa opção. Digite um número de 1 a ${max}, ou *menu*.`,
  numberOnly:
    'Recebi só um número e não sei a que ele se refere. 🤔 Se for o número de um pedido, diga também o que você precisa (ex.: *boleto atualizado do pedido 48213*), ou digite *menu* para ver as opções.',
  tooLong: 'Sua mensagem ficou bem longa. 😅 Pode me contar a dúvida em poucas linhas?',
  noText: 'Por aqui eu entendo mensagens de texto. ✍️ Escreva sua dúvida ou digite *menu* para ver as opções.',
  thanks: 'Por nada! 😊 Se precisar de mais alguma coisa, é só escrever.',
  ack: 'Combinado! 👍 Se precisar de algo, é só escrever ou digitar *menu*.',
  goodbye: 'Atendimento encerrado. Obrigado pelo contato! 👋 Quando precisar, é só mandar uma mensagem.',
  resumed: 'Como ficamos um tempo sem conversar, retomando do início. 🙂',
  restoreFailed: 'Desculpe, precisei reiniciar a nossa conversa. 🙏 Vamos começar de novo:',
  restarted: 'Desculpe, tive um problema e precisei reiniciar a nossa conversa. 🙏 Digite *menu* para ver as opções.',
  internalError:
    'Desculpe, tive um problema para processar sua mensagem. 🙏 Pode tentar de novo em instantes? Se preferir, digite *atendente*.',
  offerFlow: 'Posso abrir essa solicitação agora mesmo por aqui. Quer começar? Responda *sim* ou *não*.',
  offerDeclined: 'Tudo bem! Se mudar de ideia, é só pedir. Digite *menu* para ver as opções.',
  yesNo: 'Responda *sim* para começar a solicitação ou *não* para deixar para depois.',
  humanUnavailable:
    'Vou registrar que você quer falar com uma pessoa. Nossa equipe responde por aqui mesmo, neste WhatsApp, no horário de atendimento.',
  media: (kind: string) =>
    `Recebi ${MEDIA_LABEL[kind] ?? 'seu arquivo'}, mas por aqui eu consigo ler apenas mensagens de texto. ✍️ Escreva sua dúvida ou digite *menu* para ver as opções.`,
  /** "menu" in the middle of a request: it is dropped and the main menu follows. */
  flowLeft: 'Solicitação cancelada.',
  /** A CPF, an order number or an e-mail sent before saying what it is for. */
  dataWithoutRequest: 'Anotei os dados que você mandou. 📝 Para qual solicitação eles são? Escolha abaixo (ou, se for uma dúvida, é só escrever):',
  /** "não era isso" after an answer: the other plausible entries, or a person. */
  notThis: (options: FaqEntry[]) =>
    options.length
      ? `Desculpe! 🙏 Talvez seja uma destas:\n${options.map((e, i) => `*${i + 1}*) ${e.short}`).join('\n')}\n\nDigite o número, escreva a dúvida de outro jeito, ou digite *atendente* para falar com uma pessoa.`
      : 'Desculpe por não ter acertado. 🙏 Pode me contar a dúvida de outro jeito? Se preferir, digite *atendente* e uma pessoa da nossa equipe continua com você.',
  /** A follow-up the topic's answer does not cover: no neighbour entry instead. */
  followUpUnknown: (topic: string) =>
    `Sobre esse detalhe eu não tenho a informação: o que sei sobre *${topic}* é o que respondi acima. 🙏 Para confirmar esse caso, digite *atendente* e uma pessoa da nossa equipe responde por aqui.`,
};

/** The main menu; `requests` names the request types ("boleto, estorno, ..."). */
export function mainMenu(kb: KnowledgeBase, requests: string): string {
  const lines = kb.categories.map((c, i) => `*${i + 1}* - ${c.title}`);
  lines.push(`*${MENU_REQUESTS}* - Solicitações${requests ? ` (${requests})` : ''}`);
  lines.push(`*${MENU_HUMAN}* - Falar com um atendente`);
  return `Como posso ajudar? Digite o *número* da opção ou escreva sua dúvida:\n\n${lines.join('\n')}`;
}

export function categoryMenu(category: FaqCategory): string {
  const lines = category.entries.map((e, i) => `*${i + 1}* - ${e.question}`);
  return `*${category.title}*\n\n${lines.join('\n')}\n\nDigite o número da pergunta, *voltar* ou *menu*.`;
}

export function clarify(options: FaqEntry[]): string {
  if (options.length === 1) {
    return `Você quis dizer: *${options[0].short}*?\nDigite *1* para ver a resposta ou escreva sua dúvida de outro jeito.`;
  }
  const lines = options.map((e, i) => `*${i + 1}*) ${e.short}`);
  return `Você quis dizer:\n${lines.join('\n')}\n\nDigite o número da opção ou escreva sua dúvida de outro jeito.`;
}

export function requestsMenu(flows: MenuFlow[]): string {
  const lines = flows.map((f, i) => `*${i + 1}* - ${f.title}`);
  return `*Solicitações*\n\n${lines.join('\n')}\n\nDigite o número da solicitação, *voltar* ou *menu*.`;
}
