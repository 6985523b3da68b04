import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../config.js';
import type { Engine } from '../../conversation/engine.js';
import type { Db } from '../../db/database.js';
import type { LearningService } from '../../learning/service.js';
import type { Logger } from '../../logger.js';
import type { KnowledgeBase } from '../../faq/knowledge.js';
import { projectRoot } from '../../paths.js';
import { loadBusinessHours } from '../../business-hours.js';
import { loadPanelConfig, type PanelConfig } from '../../staff/config.js';
import { BusinessClock, calendarClock } from '../../staff/sla.js';
import { createHttpApp, type HealthSource } from '../server.js';
import { apiRouter } from './api.js';
import type { PanelContext } from './context.js';
import { LIVE_DEFAULTS, LiveQueue } from './live.js';
import { pagesRouter, whatsappHooks } from './pages.js';
import { errorPage } from './views/error.js';
import { STORAGE_MESSAGE, storageProblem } from '../../db/errors.js';
import { StorageHealth } from '../../db/health.js';

export interface StaffAppDeps {
  db: Db;
  engine: Engine;
  logger: Logger;
  config: Config;
  /** Overrides of the PANEL_* environment settings (tests, benchmarks). */
  panel?: Partial<PanelConfig>;
  health?: HealthSource;
  /** The FAQ (question labels on the overview). */
  kb?: KnowledgeBase;
  clock?: () => number;
  /** The learning loop behind "Perguntas não respondidas" (admins). */
  learning?: LearningService;
}

export const STATIC_DIR = path.join(projectRoot, 'src/http/static');

/**
 * The staff HTTP server: health endpoints, the staff panel (server-rendered pages) and the JSON
 * API under /api. Built from its dependencies so tests start it on port 0 with a temp database.
 */
export function createStaffApp(deps: StaffAppDeps): Express {
  const requests = deps.engine.requests;
  const panel = loadPanelConfig(requests, process.env, deps.panel);
  const logger = deps.logger.child({ module: 'panel' });
  const sla = panel.slaClock === 'business' ? new BusinessClock(loadBusinessHours(process.env, deps.config.timezone), deps.config.timezone) : calendarClock;
  const live = new LiveQueue(deps.db, requests, logger, { ...LIVE_DEFAULTS, checkMs: panel.liveCheckMs });
  const ctx: PanelContext = { db: deps.db, engine: deps.engine, requests, logger, config: deps.config, panel, clock: deps.clock ?? Date.now, sla, kb: deps.kb, live, learning: deps.learning };
  const storage = new StorageHealth(deps.db, logger);
  const health = deps.health ?? {
    readiness: () => {
      const database = storage.check();
      return { ready: database === 'ok', details: { database } };
    },
  };
  const app = createHttpApp({ logger, health, metricsToken: deps.config.metricsToken });
  app.locals.live = live; // main ends the streams on shutdown
  app.locals.whatsappPage = whatsappHooks(ctx); // the WhatsApp runtime shows its admin page in the panel's layout
  if (panel.trustProxy) app.set('trust proxy', 1);
  app.set('etag', false); // pages and API answers are no-store: hashing every body buys nothing

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Only meaningful over HTTPS (behind a proxy); harmless otherwise.
      strictTransportSecurity: panel.trustProxy ? { maxAge: 15552000 } : false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.use('/static', express.static(STATIC_DIR, { index: false, maxAge: '1h', fallthrough: false }));
  app.use('/api', apiRouter(ctx));
  app.post(
    '/login',
    rateLimit({
      windowMs: 60_000,
      limit: panel.loginRateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => {
        res.status(429).type('text/plain; charset=utf-8').send('Muitas tentativas de entrada: aguarde um minuto.');
      },
    }),
  );
  app.use(pagesRouter(ctx));
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const view = { timeZone: deps.config.timezone, now: ctx.clock(), slaHours: panel.slaHours, requests };
    const storage = storageProblem(err);
    if (storage) {
      // Contention, a full disk or a read-only file: say so (503), the process goes on.
      if (storage === 'busy') logger.warn({ err, path: req.path }, 'panel: database busy');
      else logger.error({ err, path: req.path, database: deps.config.databasePath }, `panel: could not write to the database (${storage})`);
      res.status(503).set('Retry-After', '5').type('html').send(errorPage(view, 503, STORAGE_MESSAGE[storage]));
      return;
    }
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ err, path: req.path }, 'panel error');
    const message = status === 413 ? 'O conteúdo enviado é grande demais.' : status === 404 ? 'Página não encontrada.' : status < 500 ? 'Requisição inválida.' : 'Erro interno. Tente de novo.';
    res.status(status >= 400 && status < 600 ? status : 500).type('html').send(errorPage(view, status, message));
  });
  return app;
}
