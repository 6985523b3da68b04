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
  last_message_at: string | null; // the person's last message (idle timeout)
  greeted_on: string | null; // YYYY-MM-DD in the bot's time zone (greeting once a day)
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

/** The id of a request type registered in flows/index.ts (src/requests.ts derives the rest). */
export type TicketType = string;
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

/** Queue search: normalised CPF/CNPJ, e-mail and order-number terms of each ticket. */
export interface TicketSearchTable {
  term: string;
  ticket_id: number;
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
  /** The amount paid, in cents (import column `valor`, "1.234,56"); null when the file had none. */
  amount_cents: number | null;
  /** The buyer's name as the store has it (import column `nome_comprador`). */
  buyer_name: string | null;
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

export type StaffRole = 'finance' | 'support' | 'admin';

export interface StaffUserTable {
  id: Generated<number>;
  name: string;
  email: string; // lower case
  role: StaffRole;
  password_hash: string; // scrypt$N$r$p$salt$hash
  active: number; // 1 | 0
  created_at: string;
  updated_at: string;
}

export interface StaffSessionTable {
  id: string; // sha256 of the cookie value
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string; // sha256 of the token: the token itself is shown once and never stored
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginAttemptTable {
  key: string; // 'email:<address>' | 'ip:<address>'
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

// WhatsApp channel (migration 0003).
export interface WhatsappAuthTable {
  account: string;
  type: string; // 'creds' or a SignalDataTypeMap key
  id: string;
  value: string; // JSON with BufferJSON
}

export interface WhatsappLockTable {
  account: string;
  owner: string;
  pid: number;
  host: string;
  acquired_at: string;
  heartbeat_at: string;
}

export interface WhatsappSettingTable {
  account: string;
  key: string;
  value: string;
  updated_at: string;
}

/** A person who wrote to us on WhatsApp: where replies go. */
export interface WhatsappChatTable {
  chat_id: string;
  jid: string;
  phone: string | null;
  lid: string | null;
  first_inbound_at: string;
  last_inbound_at: string;
}

export type WhatsappSendState = 'retry' | 'sending' | 'sent' | 'failed' | 'unknown';

/** Delivery state of an outbox row on WhatsApp. */
export interface WhatsappSendTable {
  outbound_id: number;
  wa_id: string | null;
  jid: string | null;
  state: WhatsappSendState;
  attempts: number;
  next_attempt_at: string | null;
  started_at: string | null;
  updated_at: string;
  ack: number | null;
  error: string | null;
}

export interface AttachmentTable {
  id: Generated<number>;
  channel: string;
  chat_id: string;
  message_id: string;
  kind: string;
  mimetype: string | null;
  file_name: string | null;
  size: number;
  data: Buffer;
  created_at: string;
}

/** What the bot decided for each message, counted per UTC hour (no text). */
export interface MessageStatTable {
  hour: string; // YYYY-MM-DDTHH (UTC)
  kind: string; // answer | clarify | none | smalltalk | menu | flow | media | long
  entry: string; // the FAQ entry for answers, '' otherwise
  n: number;
}

/** Operations on personal data and other administrative acts: appended, never edited. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string; // 'cli:<os user>', 'system', 'staff:<id>'
  action: string; // contact.export | contact.erase | retention.purge | backup | restore ...
  subject: string; // masked (e.g. phone …0001), never raw personal data
  detail: string; // JSON
}

export interface HealthCheckTable {
  id: number;
  at: string;
}

/** The satisfaction survey of a resolved ticket (one per ticket: asked once). */
export interface TicketRatingTable {
  ticket_id: number;
  team: Team;
  /** The clerk who resolved it (the ticket's assignee then). */
  assignee_id: number | null;
  created_at: string;
  /** When the question reached the chat; null: not asked (the person was in the middle of something). */
  asked_at: string | null;
  rating: number | null; // 1-5
  comment: string | null;
  rated_at: string | null;
}

/** A saved reply of a team (title + WhatsApp-formatted text). */
export interface SavedReplyTable {
  id: Generated<number>;
  team: Team;
  title: string;
  text: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export type UnansweredKind = 'declined' | 'clarify-unresolved' | 'not-this' | 'handover-after-miss';
export type UnansweredStatus = 'open' | 'assigned' | 'out_of_scope' | 'new_question' | 'dismissed';

/** A message the bot did not answer (learning loop): masked, the chat only as a hash. */
export interface UnansweredMessageTable {
  id: Generated<number>;
  chat_key: string;
  text: string;
  kind: UnansweredKind;
  guesses: string; // JSON array of labels, best first
  at: string;
  status: Generated<UnansweredStatus>;
  resolution: string | null;
  resolved_by: number | null;
  resolved_at: string | null;
}

/** An example staff taught the matcher from an unanswered message (masked). */
export interface LearnedExampleTable {
  id: Generated<number>;
  label: string;
  text: string;
  unanswered_id: number | null;
  created_by: number | null;
  created_at: string;
  exported_at: string | null;
}

export interface Database {
  contacts: ContactTable;
  conversations: ConversationTable;
  inbound_messages: InboundMessageTable;
  outbound_messages: OutboundMessageTable;
  protocol_counters: ProtocolCounterTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  ticket_search: TicketSearchTable;
  ticket_ratings: TicketRatingTable;
  saved_replies: SavedReplyTable;
  orders: OrderTable;
  partners: PartnerTable;
  partner_phones: PartnerPhoneTable;
  whatsapp_auth: WhatsappAuthTable;
  whatsapp_locks: WhatsappLockTable;
  whatsapp_settings: WhatsappSettingTable;
  whatsapp_chats: WhatsappChatTable;
  whatsapp_sends: WhatsappSendTable;
  attachments: AttachmentTable;
  staff_users: StaffUserTable;
  staff_sessions: StaffSessionTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  message_stats: MessageStatTable;
  audit_log: AuditLogTable;
  health_checks: HealthCheckTable;
  unanswered_messages: UnansweredMessageTable;
  learned_examples: LearnedExampleTable;
}

export type Contact = Selectable<ContactTable>;
export type NewContact = Insertable<ContactTable>;
export type Conversation = Selectable<ConversationTable>;
export type OutboundMessage = Selectable<OutboundMessageTable>;
export type Ticket = Selectable<TicketTable>;
export type TicketEvent = Selectable<TicketEventTable>;
export type TicketRating = Selectable<TicketRatingTable>;
export type SavedReply = Selectable<SavedReplyTable>;
export type Order = Selectable<OrderTable>;
export type Partner = Selectable<PartnerTable>;
export type StaffUser = Selectable<StaffUserTable>;
export type StaffSession = Selectable<StaffSessionTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type UnansweredMessage = Selectable<UnansweredMessageTable>;
export type LearnedExample = Selectable<LearnedExampleTable>;
