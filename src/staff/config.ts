import { parseEnv } from '../config.js';
import { z } from 'zod';
import type { TicketType } from '../db/schema.js';
import type { RequestRegistry } from '../requests.js';

// The staff panel's settings: read from the environment like src/config.ts, all optional.

export interface PanelConfig {
  /** Session lifetime from log-in, and idle time after which it ends. */
  sessionTtlMs: number;
  sessionIdleMs: number;
  /** Failed log-ins before a lock, per account and per IP address, and the lock's length. */
  loginMaxFailuresAccount: number;
  loginMaxFailuresIp: number;
  loginLockMs: number;
  /** Added delay per failed log-in after the second one (slows guessing down). */
  loginDelayMs: number;
  /** Log-in requests per IP per minute (express-rate-limit), API requests per token per minute. */
  loginRateLimitPerMinute: number;
  apiRateLimitPerMinute: number;
  /** SLA targets in hours, per ticket type (each request type's own, PANEL_SLA_HOURS over them). */
  slaHours: Record<TicketType, number>;
  /** Express "trust proxy" (a reverse proxy that sets X-Forwarded-For/Proto). */
  trustProxy: boolean;
  /** business: count the team's business hours (src/business-hours.ts); calendar: every hour. */
  slaClock: 'business' | 'calendar';
  pageSize: number;
  /** Live queue: how often changes by another process on the same database are looked for. */
  liveCheckMs: number;
  /** The satisfaction survey asked on WhatsApp after a ticket is resolved ({protocolo} in the text). */
  survey: { enabled: boolean; text: string };
}

export const DEFAULT_SURVEY_TEXT =
  'Sua solicitação *{protocolo}* foi concluída. ✅ Pode me contar como foi o atendimento? Responda com uma nota de *1* (muito ruim) a *5* (excelente).';

const schema = z.object({
  PANEL_SESSION_HOURS: z.coerce.number().positive().default(12),
  PANEL_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(120),
  PANEL_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  PANEL_LOGIN_MAX_FAILURES_IP: z.coerce.number().int().positive().default(20),
  PANEL_LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  PANEL_LOGIN_DELAY_MS: z.coerce.number().int().min(0).default(400),
  PANEL_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
  PANEL_API_RATE_PER_MINUTE: z.coerce.number().int().positive().default(600),
  PANEL_SLA_HOURS: z.string().default(''),
  PANEL_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  PANEL_SLA_CLOCK: z.enum(['business', 'calendar']).default('business'),
  PANEL_PAGE_SIZE: z.coerce.number().int().min(5).max(200).default(50),
  PANEL_LIVE_CHECK_SECONDS: z.coerce.number().min(0.2).max(600).default(2),
  SURVEY_ENABLED: z.enum(['true', 'false', '1', '0']).default('true'),
  SURVEY_TEXT: z.string().min(10).max(1000).default(DEFAULT_SURVEY_TEXT),
});

/** Parses "refund=24,boleto_renewal=4" over the request types' own targets. */
export function parseSlaHours(text: string, defaults: Record<TicketType, number>): Record<TicketType, number> {
  const out = { ...defaults };
  const types = Object.keys(defaults);
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const hours = Number(v);
    if (!types.includes(k) || !(hours > 0)) throw new Error(`PANEL_SLA_HOURS: "${part}" inválido (use tipo=horas, tipos: ${types.join(', ')})`);
    out[k] = hours;
  }
  return out;
}

export function loadPanelConfig(requests: RequestRegistry, env: NodeJS.ProcessEnv = process.env, overrides: Partial<PanelConfig> = {}): PanelConfig {
  const c = parseEnv(schema, env, ' do painel');
  return {
    sessionTtlMs: c.PANEL_SESSION_HOURS * 3_600_000,
    sessionIdleMs: c.PANEL_SESSION_IDLE_MINUTES * 60_000,
    loginMaxFailuresAccount: c.PANEL_LOGIN_MAX_FAILURES,
    loginMaxFailuresIp: c.PANEL_LOGIN_MAX_FAILURES_IP,
    loginLockMs: c.PANEL_LOGIN_LOCK_MINUTES * 60_000,
    loginDelayMs: c.PANEL_LOGIN_DELAY_MS,
    loginRateLimitPerMinute: c.PANEL_LOGIN_RATE_PER_MINUTE,
    apiRateLimitPerMinute: c.PANEL_API_RATE_PER_MINUTE,
    slaHours: parseSlaHours(c.PANEL_SLA_HOURS, requests.slaHours()),
    trustProxy: c.PANEL_TRUST_PROXY === 'true' || c.PANEL_TRUST_PROXY === '1',
    pageSize: c.PANEL_PAGE_SIZE,
    slaClock: c.PANEL_SLA_CLOCK,
    liveCheckMs: c.PANEL_LIVE_CHECK_SECONDS * 1000,
    survey: { enabled: c.SURVEY_ENABLED === 'true' || c.SURVEY_ENABLED === '1', text: c.SURVEY_TEXT.replace(/\\n/g, '\n') },
    ...overrides,
  };
}
