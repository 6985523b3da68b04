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
import { StorageHealth } from './db/health.js';
import { startMaintenance, storageTask } from './ops/maintenance.js';
import { backupTask } from './ops/backup.js';
import { loadOpsConfig } from './ops/config.js';
import { retentionTask } from './ops/privacy.js';

/** `npm start`: the engine, the database and the staff HTTP server. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const SHUTDOWN_BOUND_MS = config.shutdownTimeoutMs;
  const ops = loadOpsConfig(config.databasePath);

  // Signals are handled from the first moment: during start-up (migrations are atomic) the
  // process just exits; afterwards it stops taking messages, finishes the one in progress,
  // closes the socket and the database, and exits 0 within the bound.
  let stopping = false;
  let shutdown: (() => Promise<void>) | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error({ boundMs: SHUTDOWN_BOUND_MS }, 'shutdown took too long: exiting anyway');
      process.exit(1);
    }, SHUTDOWN_BOUND_MS);
    force.unref();
    if (!shutdown) process.exit(0);
    try {
      await shutdown();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const app = await createApp(config, logger);
  const whatsapp = createWhatsAppRuntime({ db: app.db, engine: app.engine, logger });
  const storage = new StorageHealth(app.db, logger);
  setOutboxSource(() => {
    const rows = app.db.all(app.db.kysely.selectFrom('outbound_messages').select(['channel', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'queued').groupBy('channel'));
    return Object.fromEntries(rows.map((r) => [r.channel, Number(r.n)]));
  });
  const http = createStaffApp({
    db: app.db,
    engine: app.engine,
    learning: app.learning,
    logger,
    config,
    kb: app.kb,
    health: {
      // Ready only when the database proves a write and the WhatsApp connection is open.
      readiness: () => {
        const database = storage.check();
        const r = whatsapp.readiness({ database, faqEntries: app.kb.entries.size });
        return { ready: r.ready && database === 'ok' && !stopping, details: stopping ? { ...r.details, stopping: true } : r.details };
      },
    },
  });
  const server = await listen(whatsapp.mount(http), config.httpHost, config.httpPort);
  const { port } = server.address() as AddressInfo;
  const tasks = [storageTask(app.db, storage)];
  if (ops.backup.intervalMs > 0 && config.databasePath !== ':memory:') tasks.push(backupTask(app.db, logger, ops.backup));
  if (ops.retention.enabled && config.databasePath !== ':memory:') tasks.push(retentionTask(app.db, logger, ops.retention));
  const maintenance = startMaintenance(logger, tasks);
  shutdown = async () => {
    // No new connections; requests in flight get a moment to finish; live queue streams end now.
    (http.locals.live as { close(): void } | undefined)?.close();
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeIdleConnections();
    const drained = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), Math.min(3000, SHUTDOWN_BOUND_MS / 3)).unref())]);
    if (!drained) server.closeAllConnections();
    await maintenance.stop();
    await whatsapp.stop(); // stops the socket, waits for the message being handled and the send in flight
    await app.close();
  };
  logger.info({ url: `http://${config.httpHost}:${port}`, database: config.databasePath, faqEntries: app.kb.entries.size }, 'bot started');
  whatsapp.start(`http://${config.httpHost}:${port}`);
  if (!hasAdmin(app.db)) {
    logger.warn(`painel: nenhum administrador cadastrado. Crie um com: npm run bot -- users add --name "Seu Nome" --email SEU_EMAIL --role admin (e entre em http://${config.httpHost}:${port}/login)`);
  }
}

main().catch((err) => {
  const known = ['FaqError', 'LockHeldError', 'DatabaseOpenError'];
  if (err instanceof ConfigError || known.includes((err as Error).name)) process.stderr.write(`${(err as Error).message}\n`);
  else process.stderr.write(`Falha ao iniciar: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
