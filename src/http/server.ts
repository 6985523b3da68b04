import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from '../logger.js';

export interface HealthSource {
  /** Extra readiness facts (e.g. the WhatsApp connection state) and whether they are ready. */
  readiness(): { ready: boolean; details: Record<string, unknown> };
}

/** The staff HTTP server. For now: liveness and readiness. */
export function createHttpApp(deps: { logger: Logger; health: HealthSource }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const r = deps.health.readiness();
    res.status(r.ready ? 200 : 503).json({ ready: r.ready, ...r.details });
  });
  return app;
}

export function listen(app: Express, host: string, port: number): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
