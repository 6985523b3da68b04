import type { Kysely, Migration } from 'kysely';

// Orders carry what finance needs to pay a refund: the amount (integer cents) and the buyer's
// name, both optional columns of `import orders` (valor, nome_comprador).
export const m0030_order_amount: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('orders').addColumn('amount_cents', 'integer').execute();
    await db.schema.alterTable('orders').addColumn('buyer_name', 'text').execute();
  },
};
