import './quiet-dotenv.js';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createWhatsAppRuntime } from './channels/whatsapp/start.js';
import { ConfigError, loadConfig } from './config.js';
import { createStaffApp } from './http/panel/app.js';
import { listen } from './http/server.js';
import { createLogger } from './logger.js';
import { hasAdmin } from './staff/users.js';
import { setOutboxSource } from './metrics.js';

/** `npm start`: the engine, the database and the staff HTTP server. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const app = await createApp(config, logger);
  const whatsapp = createWhatsAppRuntime({ db: app.db, engine: app.engine, logger });
  setOutboxSource(() => {
    const rows = app.db.all(app.db.kysely.selectFrom('outbound_messages').select(['channel', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'queued').groupBy('channel'));
    return Object.fromEntries(rows.map((r) => [r.channel, Number(r.n)]));
  });
  const http = createStaffApp({
    db: app.db,
    engine: app.engine,
    logger,
    config,
    health: { readiness: () => whatsapp.readiness({ database: 'ok', faqEntries: app.kb.entries.size }) },
  });
  const server = await listen(whatsapp.mount(http), config.httpHost, config.httpPort);
  const { port } = server.address() as AddressInfo;
  logger.info({ url: `http://${config.httpHost}:${port}`, database: config.databasePath, faqEntries: app.kb.entries.size }, 'bot started');
  whatsapp.start(`http://${config.httpHost}:${port}`);
  if (!hasAdmin(app.db)) {
    logger.warn(`painel: nenhum administrador cadastrado. Crie um com: npm run bot -- users add --name "Seu Nome" --email SEU_EMAIL --role admin (e entre em http://${config.httpHost}:${port}/login)`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await whatsapp.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || (err as Error).name === 'FaqError' || (err as Error).name === 'LockHeldError') process.stderr.write(`${(err as Error).message}\n`);
  else process.stderr.write(`Falha ao iniciar: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
