import { sql, type Kysely, type Migration } from 'kysely';

// Fewer pages written per message: outbound_messages.channel_message_id was declared UNIQUE, an
// index nothing reads that got an entry (a NULL) for every reply queued, one more page in every
// message's commit. Replies keep their uniqueness on the channel's id through a partial unique
// index, which holds only the ids channels report once a reply is sent (same constraint: SQLite
// never compared NULLs). SQLite cannot drop a column constraint: the table is rebuilt, ids and
// the AUTOINCREMENT sequence kept (an id is never handed out twice).
// Numbered from 0040: this range belongs to the speed work (see index.ts).
export const m0040_outbox_sent_key: Migration = {
  async up(db: Kysely<any>) {
    await sql`create table outbound_messages_new (
      id integer primary key autoincrement,
      channel text not null,
      chat_id text not null,
      text text not null,
      in_reply_to text,
      status text not null,
      channel_message_id text,
      attempts integer default 0 not null,
      error text,
      created_at text not null,
      sent_at text
    )`.execute(db);
    await sql`insert into sqlite_sequence (name, seq) select 'outbound_messages_new', seq from sqlite_sequence where name = 'outbound_messages'`.execute(db);
    await sql`insert into outbound_messages_new (id, channel, chat_id, text, in_reply_to, status, channel_message_id, attempts, error, created_at, sent_at)
              select id, channel, chat_id, text, in_reply_to, status, channel_message_id, attempts, error, created_at, sent_at from outbound_messages`.execute(db);
    await sql`drop table outbound_messages`.execute(db);
    await sql`alter table outbound_messages_new rename to outbound_messages`.execute(db);
    await sql`create index outbound_messages_chat on outbound_messages (chat_id, id)`.execute(db);
    await sql`create index outbound_messages_status on outbound_messages (status, id)`.execute(db);
    await sql`create unique index outbound_messages_channel_id on outbound_messages (channel_message_id) where channel_message_id is not null`.execute(db);
  },
};
