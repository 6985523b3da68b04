// Opens (and so migrates) a database file, as every start of the bot does: the subject of the
// kill -9 and concurrent start-up tests. Prints "opening" just before, "open" after.
import { Db } from '../../src/db/database.js';

const file = process.argv[2];
process.stdout.write('opening\n');
try {
  const db = await Db.open(file);
  process.stdout.write('open\n');
  await db.close();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
