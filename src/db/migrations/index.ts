import type { Migration } from 'kysely';
import { m0001_core } from './0001_core.js';
import { m0002_tickets } from './0002_tickets.js';
import { m0003_whatsapp } from './0003_whatsapp.js';
import { m0004_staff } from './0004_staff.js';
import { m0005_hot_path } from './0005_hot_path.js';
import { m0006_ticket_search } from './0006_ticket_search.js';
import { m0007_operations } from './0007_operations.js';
import { m0020_learning } from './0020_learning.js';
import { m0030_order_amount } from './0030_order_amount.js';
import { m0031_ticket_updated } from './0031_ticket_updated.js';
import { m0032_ticket_ratings } from './0032_ticket_ratings.js';
import { m0033_saved_replies } from './0033_saved_replies.js';
import { m0040_outbox_sent_key } from './0040_outbox_sent_key.js';

// Migrations live in code (not FileMigrationProvider) so src/ under tsx and dist/ behave the same.
// Each file is frozen in time: it takes Kysely<any> and imports nothing from the app.
// Add a new file and one line here; never edit a migration that has shipped. Branches number in
// ranges of their own (0006-0019, 0020-0029, 0030-0039, 0040-0049 for the speed work).
export const migrations: Record<string, Migration> = {
  '0001_core': m0001_core,
  '0002_tickets': m0002_tickets,
  '0003_whatsapp': m0003_whatsapp,
  '0004_staff': m0004_staff,
  '0005_hot_path': m0005_hot_path,
  '0006_ticket_search': m0006_ticket_search,
  '0007_operations': m0007_operations,
  '0020_learning': m0020_learning,
  '0030_order_amount': m0030_order_amount,
  '0031_ticket_updated': m0031_ticket_updated,
  '0032_ticket_ratings': m0032_ticket_ratings,
  '0033_saved_replies': m0033_saved_replies,
  '0040_outbox_sent_key': m0040_outbox_sent_key,
};
