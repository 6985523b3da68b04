import type { Generated, Insertable, Selectable } from 'kysely';

// The application's view of the SQLite database. Timestamps are ISO-8601 UTC strings.

export interface ContactTable {
  id: Generated<number>;
  chat_id: string; // channel-independent key of the conversation (phone number digits or a LID)
  phone: string | null;
  lid: string | null;
  name: string | null;
  created_at: string;
  last_message_at: string | null;
  greeted_on: string | null; // YYYY-MM-DD in the bot's time zone
}

export interface ConversationTable {
  chat_id: string;
  machine_id: string;
  machine_version: number;
  snapshot: string; // JSON of actor.getPersistedSnapshot()
  updated_at: string;
}

export interface InboundMessageTable {
  id: Generated<number>;
  channel: string;
  chat_id: string;
  participant: string; // '' for 1:1 chats; part of the dedupe key
  message_id: string;
  text: string;
  received_at: string;
  processed_at: string | null;
}

export interface OutboundMessageTable {
  id: Generated<number>;
  channel: string;
  chat_id: string;
  text: string;
  in_reply_to: string | null;
  status: 'queued' | 'sent' | 'failed';
  channel_message_id: string | null;
  attempts: number;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}

export type TicketType = 'boleto_renewal' | 'refund' | 'appointment_advance' | 'confirmation_resend' | 'human_handoff';
export type Team = 'finance' | 'support';
export type TicketStatus = 'open' | 'in_progress' | 'resolved' | 'rejected';

export interface TicketTable {
  id: Generated<number>;
  protocol: string; // FIN-000123 / SUP-000045
  type: TicketType;
  team: Team;
  status: TicketStatus;
  chat_id: string; // the requester's WhatsApp id (conversation key)
  phone: string | null;
  contact_name: string | null;
  order_number: string | null;
  document: string | null; // CPF/CNPJ digits, for search
  email: string | null;
  data: string; // JSON: every collected field
  excerpt: string; // JSON: [{from, text, at}] recent conversation
  assignee_id: number | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

/** Audit trail of a ticket: appended, never edited. */
export interface TicketEventTable {
  id: Generated<number>;
  ticket_id: number;
  at: string;
  actor: string; // 'bot', 'customer', 'staff:<id>'
  kind: string; // created, status, assigned, note, message, ...
  detail: string; // JSON
  outbound_message_id: number | null; // for messages to the customer: delivery status lives in the outbox
}

export interface ProtocolCounterTable {
  prefix: string;
  value: number;
}

export type PaymentMethod = 'cartao' | 'boleto' | 'pix';
export type PaymentStatus = 'pendente' | 'pago' | 'vencido' | 'estornado';

export interface OrderTable {
  number: string;
  document: string; // buyer CPF/CNPJ digits
  email: string | null;
  payment_method: PaymentMethod;
  payment_status: PaymentStatus;
  purchased_at: string; // ISO-8601 with offset
  issued_at: string | null;
  partner_id: string | null;
  updated_at: string;
}

export interface PartnerTable {
  id: string;
  name: string;
  document: string | null;
  sales_page: string | null;
  updated_at: string;
}

export interface PartnerPhoneTable {
  phone: string; // E.164 digits without '+', e.g. 5511999990001
  partner_id: string;
}

export interface Database {
  contacts: ContactTable;
  conversations: ConversationTable;
  inbound_messages: InboundMessageTable;
  outbound_messages: OutboundMessageTable;
  protocol_counters: ProtocolCounterTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  orders: OrderTable;
  partners: PartnerTable;
  partner_phones: PartnerPhoneTable;
}

export type Contact = Selectable<ContactTable>;
export type NewContact = Insertable<ContactTable>;
export type Conversation = Selectable<ConversationTable>;
export type OutboundMessage = Selectable<OutboundMessageTable>;
export type Ticket = Selectable<TicketTable>;
export type TicketEvent = Selectable<TicketEventTable>;
export type Order = Selectable<OrderTable>;
export type Partner = Selectable<PartnerTable>;
