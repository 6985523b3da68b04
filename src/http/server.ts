import http from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from '../logger.js';
import { registry } from '../metrics.js';
import { safeEqual } from '../staff/passwords.js';

export interface HealthSource {
  /** Extra readiness facts (e.g. the WhatsApp connection state) and whether they are ready. */
  readiness(): { ready: boolean; details: Record<string, unknown> };
}

/** The staff HTTP server's base: liveness, readiness and Prometheus metrics. */
export function createHttpApp(deps: { logger: Logger; health: HealthSource; metricsToken?: string }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const r = deps.health.readiness();
    res.status(r.ready ? 200 : 503).json({ ready: r.ready, ...r.details });
  });
  app.get('/metrics', async (req, res) => {
    if (deps.metricsToken) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (!m || !safeEqual(m[1], deps.metricsToken)) {
        res.set('WWW-Authenticate', 'Bearer').status(401).type('text/plain').send('Token de métricas ausente ou inválido.\n');
        return;
      }
    }
    try {
      res.set('Cache-Control', 'no-store').type(registry.contentType).send(await registry.metrics());
    } catch (err) {
      deps.logger.error({ err }, 'metrics: could not collect');
      res.status(500).type('text/plain').send('Falha ao coletar as métricas.\n');
    }
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
