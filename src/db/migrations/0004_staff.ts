import { sql, type Kysely, type Migration } from 'kysely';

// Staff panel: users, sessions, API tokens, log-in throttling, and the indexes the queue needs.
// Frozen in time: takes Kysely<any> and imports nothing from the app.
export const m0004_staff: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('staff_users')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull().unique()) // lower case
      .addColumn('role', 'text', (c) => c.notNull()) // finance | support | admin
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('staff_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the cookie value
      .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_users.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('staff_sessions_user').on('staff_sessions').column('user_id').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // sha256 of the token
      .addColumn('prefix', 'text', (c) => c.notNull()) // first characters, to tell tokens apart
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('key', 'text', (c) => c.primaryKey()) // 'email:<address>' or 'ip:<address>'
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failure_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .execute();

    // The queue: the active tickets (open, in progress) of a team, oldest first, keyset paginated.
    await sql`create index tickets_active_team on tickets (team, created_at, id) where status in ('open', 'in_progress')`.execute(db);
    await sql`create index tickets_active on tickets (created_at, id) where status in ('open', 'in_progress')`.execute(db);
    await db.schema.createIndex('tickets_team_created').on('tickets').columns(['team', 'created_at', 'id']).execute();
    await db.schema.createIndex('tickets_created').on('tickets').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee_id', 'status', 'created_at']).execute();
    await db.schema.createIndex('tickets_team_type').on('tickets').columns(['team', 'type', 'status', 'created_at']).execute();
  },
};
