import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import type { Engine } from '../../conversation/engine.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { createWhatsAppAdmin, type AdminPanelHooks } from './admin.js';
import { WhatsAppChannel } from './channel.js';
import { loadWhatsAppConfig, type WhatsAppConfig } from './config.js';

export interface WhatsAppRuntime {
  channel?: WhatsAppChannel;
  /** The staff app with /whatsapp in front of it (unchanged when WhatsApp is disabled). */
  mount(http: Express): Express;
  /** Readiness: the base facts plus the WhatsApp state; not ready unless the connection is open. */
  readiness(base: Record<string, unknown>): { ready: boolean; details: Record<string, unknown> };
  /** Connect (after the HTTP server listens, so the admin URL can be logged). */
  start(baseUrl: string): void;
  stop(): Promise<void>;
}

/**
 * `npm start` wiring: reads the WHATSAPP_* variables, builds the channel and its admin page.
 * The instance lock is taken in start(); a second process on the same number throws LockHeldError.
 */
export function createWhatsAppRuntime(deps: { db: Db; engine: Engine; logger: Logger; env?: NodeJS.ProcessEnv; config?: WhatsAppConfig }): WhatsAppRuntime {
  const config = deps.config ?? loadWhatsAppConfig(deps.env ?? process.env);
  if (!config.enabled) {
    return {
      mount: (http) => http,
      readiness: (base) => ({ ready: true, details: { ...base, whatsapp: 'disabled' } }),
      start: () => deps.logger.info('whatsapp: disabled (WHATSAPP_ENABLED=false)'),
      stop: async () => undefined,
    };
  }
  const channel = new WhatsAppChannel({ db: deps.db, engine: deps.engine, logger: deps.logger, config });
  const generated = !config.adminToken;
  const token = config.adminToken ?? randomBytes(24).toString('base64url');
  return {
    channel,
    mount: (http) => {
      // The staff panel offers its layout and its admins' sessions (createStaffApp sets them).
      const admin = createWhatsAppAdmin({ channel, token, logger: deps.logger, panel: http.locals.whatsappPage as AdminPanelHooks | undefined });
      const outer = express();
      outer.disable('x-powered-by');
      outer.use('/whatsapp', admin);
      outer.use(http);
      return outer;
    },
    readiness: (base) => {
      const r = channel.readiness();
      return { ready: r.ready, details: { ...base, ...r.details } };
    },
    start: (baseUrl) => {
      channel.start();
      const link = `${baseUrl}/whatsapp${generated ? `?token=${token}` : ''}`;
      deps.logger.info(
        `whatsapp: página de conexão (QR, código de pareamento, estado) em ${link}` +
          (generated ? ' (token gerado nesta execução; defina ADMIN_TOKEN para fixá-lo)' : ' (abra com ?token=ADMIN_TOKEN)'),
      );
    },
    stop: () => channel.stop(),
  };
}
