import type { Ticket, TicketType } from '../db/schema.js';

// Messages to the customer prefilled on the ticket page, per type and outcome. Staff complete
// the bracketed parts (boleto line, new date...) before sending. WhatsApp formatting (*bold*).

function firstName(t: Ticket): string {
  const n = (t.contact_name ?? '').trim().split(/\s+/)[0];
  return n ? `, ${n}` : '';
}

function order(t: Ticket): string {
  return t.order_number ? ` do pedido *${t.order_number}*` : '';
}

const RESOLVE: Record<TicketType, (t: Ticket) => string> = {
  boleto_renewal: (t) =>
    `Olá${firstName(t)}! Seu boleto atualizado${order(t)} está pronto.\n\nLinha digitável: [cole aqui a linha digitável]\nLink: [cole aqui o link do boleto]\n\nDepois do pagamento, a compensação do boleto pode levar até 3 dias; o agendamento é liberado em seguida. Protocolo *${t.protocol}*.`,
  refund: (t) =>
    `Olá${firstName(t)}! Confirmamos o estorno${order(t)}. O valor volta pela mesma forma de pagamento: compras no cartão são estornadas no próprio cartão e aparecem na fatura; compras no Pix ou boleto são devolvidas na chave Pix informada. Protocolo *${t.protocol}*.`,
  appointment_advance: (t) =>
    `Olá${firstName(t)}! Sua videoconferência${order(t)} foi antecipada para *[dia/mês às hh:mm]*. O link de acesso chega no seu e-mail. Protocolo *${t.protocol}*.`,
  confirmation_resend: (t) =>
    `Olá${firstName(t)}! Reenviamos o e-mail de confirmação${order(t)} para *${t.email ?? '[e-mail]'}*. Confira também a caixa de spam e promoções. Protocolo *${t.protocol}*.`,
  human_handoff: (t) => `Olá${firstName(t)}! Seu atendimento foi concluído. Se precisar de algo mais, é só escrever aqui. Protocolo *${t.protocol}*.`,
};

const REJECT: Record<TicketType, (t: Ticket) => string> = {
  boleto_renewal: (t) => `Olá${firstName(t)}! Não conseguimos emitir um novo boleto${order(t)}: [motivo]. Protocolo *${t.protocol}*.`,
  refund: (t) => `Olá${firstName(t)}! Não foi possível fazer o estorno${order(t)}: [motivo]. Protocolo *${t.protocol}*.`,
  appointment_advance: (t) => `Olá${firstName(t)}! Não há horário disponível para antecipar sua videoconferência${order(t)}: [motivo]. Seu horário atual está mantido. Protocolo *${t.protocol}*.`,
  confirmation_resend: (t) => `Olá${firstName(t)}! Não conseguimos reenviar o e-mail de confirmação${order(t)}: [motivo]. Protocolo *${t.protocol}*.`,
  human_handoff: (t) => `Olá${firstName(t)}! Encerramos este atendimento: [motivo]. Se precisar, é só escrever aqui. Protocolo *${t.protocol}*.`,
};

export function messageTemplate(t: Ticket, outcome: 'resolved' | 'rejected'): string {
  return (outcome === 'resolved' ? RESOLVE : REJECT)[t.type](t);
}
