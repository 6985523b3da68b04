import type { Kysely, Migration } from 'kysely';

// Tickets opened by the flows, their audit trail, and the order/partner data the flows check.
export const m0002_tickets: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('protocol_counters')
      .addColumn('prefix', 'text', (c) => c.primaryKey())
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tickets')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('protocol', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('team', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('chat_id', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('contact_name', 'text')
      .addColumn('order_number', 'text')
      .addColumn('document', 'text')
      .addColumn('email', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('excerpt', 'text', (c) => c.notNull())
      .addColumn('assignee_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema.createIndex('tickets_queue').on('tickets').columns(['team', 'status', 'created_at']).execute();
    await db.schema.createIndex('tickets_chat').on('tickets').columns(['chat_id', 'created_at']).execute();
    await db.schema.createIndex('tickets_order').on('tickets').columns(['order_number', 'type']).execute();
    await db.schema.createIndex('tickets_document').on('tickets').column('document').execute();
    await db.schema.createIndex('tickets_email').on('tickets').column('email').execute();

    await db.schema
      .createTable('ticket_events')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('outbound_message_id', 'integer')
      .execute();
    await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();

    await db.schema
      .createTable('orders')
      .addColumn('number', 'text', (c) => c.primaryKey())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('payment_method', 'text', (c) => c.notNull())
      .addColumn('payment_status', 'text', (c) => c.notNull())
      .addColumn('purchased_at', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text')
      .addColumn('partner_id', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('orders_document').on('orders').column('document').execute();
    await db.schema.createIndex('orders_email').on('orders').column('email').execute();

    await db.schema
      .createTable('partners')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('document', 'text')
      .addColumn('sales_page', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('partner_phones')
      .addColumn('phone', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .execute();
  },
};
