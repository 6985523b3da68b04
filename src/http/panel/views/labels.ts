// How the ticket page reads the fields the flows collect. Kept together, apart from the pages:
// these per-type tables are to be derived from the flow declarations.

export const FIELD_LABEL: Record<string, string> = {
  orderNumber: 'Pedido', order: 'Pedido', document: 'CPF/CNPJ', cpf: 'CPF', cnpj: 'CNPJ', email: 'E-mail', name: 'Nome', reason: 'Motivo',
  reasonText: 'Descrição do motivo', requester: 'Quem pede', verified: 'Pedido conferido na base', purchaseDate: 'Data da compra',
  issued: 'Certificado já emitido', withinPolicy: 'Dentro da política', policyNote: 'Política', orderStatus: 'Situação do pedido',
  pixKey: 'Chave Pix', paymentMethod: 'Forma de pagamento', amount: 'Valor', date: 'Data', preferredDate: 'Data desejada', phone: 'Telefone',
  subject: 'Assunto', topic: 'Assunto', summary: 'Resumo', registerAnyway: 'Registrar para análise',
  partnerId: 'Parceiro', customerName: 'Nome do cliente', customerCpf: 'CPF do cliente', currentDate: 'Data agendada',
  currentTime: 'Horário agendado', wantedFrom: 'Antecipar a partir de', period: 'Período preferido', spamChecked: 'Procurou no spam',
  resendTo: 'Reenviar para', request: 'Pedido ao suporte',
};

/** Codes stored by the flows, as staff read them. */
export const VALUE_LABEL: Record<string, string> = {
  desistencia: 'desistência', videoconferencia: 'videoconferência não permitiu a emissão', outro: 'outro motivo',
  cliente: 'cliente (comprador)', parceiro: 'parceiro Indique Certo', cartao: 'cartão de crédito', boleto: 'boleto', pix: 'Pix',
  manha: 'manhã', tarde: 'tarde', qualquer: 'qualquer horário', pendente: 'pendente', pago: 'pago', vencido: 'vencido', estornado: 'estornado',
};
export const PIX_KIND: Record<string, string> = { cpf: 'CPF', cnpj: 'CNPJ', email: 'e-mail', phone: 'celular', random: 'chave aleatória' };
/** Collected fields already shown from the ticket's own columns. */
export const SHOWN = new Set(['document', 'orderNumber', 'email', 'name', 'phone', 'attachments']);

export function fieldValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (v === true) return 'sim';
  if (v === false) return 'não';
  if (typeof v === 'object' && v !== null && 'kind' in v && 'value' in v) {
    const key = v as { kind: string; value: unknown };
    return `${String(key.value)} (${PIX_KIND[key.kind] ?? key.kind})`;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return VALUE_LABEL[String(v)] ?? String(v);
}
