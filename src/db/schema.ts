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

export interface Database {
  contacts: ContactTable;
  conversations: ConversationTable;
  inbound_messages: InboundMessageTable;
  outbound_messages: OutboundMessageTable;
}

export type Contact = Selectable<ContactTable>;
export type NewContact = Insertable<ContactTable>;
export type Conversation = Selectable<ConversationTable>;
export type OutboundMessage = Selectable<OutboundMessageTable>;
