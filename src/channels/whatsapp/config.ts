import { z } from 'zod';
import type { WAVersion } from '@whiskeysockets/baileys';
import { parseEnv } from '../../config.js';

/** Baileys 7.0.0-rc14's bundled WhatsApp Web version (Defaults/index.js). */
export const BUNDLED_VERSION: WAVersion = [2, 3000, 1043857760];

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'sim', 'nao'])
  .transform((v) => ['true', '1', 'yes', 'sim'].includes(v));
const ms = (def: number) => z.coerce.number().int().min(0).default(def);

const schema = z.object({
  WHATSAPP_ENABLED: bool.default(true),
  /** Key of the session (auth rows and lock) in the database: one per WhatsApp number. */
  WHATSAPP_ACCOUNT: z.string().regex(/^[\w.-]{1,40}$/, 'letras, números, ponto, hífen ou _').default('default'),
  WHATSAPP_PAIRING_NUMBER: z
    .string()
    .transform((v) => v.replace(/\D/g, ''))
    .pipe(z.string().regex(/^\d{10,15}$/, 'número com DDI e DDD, só dígitos (ex.: 5511999990001)'))
    .optional(),
  WHATSAPP_VERSION: z
    .string()
    .regex(/^\d+[.,]\d+[.,]\d+$/, 'três números separados por vírgula, ex.: 2,3000,1043857760')
    .optional(),
  /** Background look-up of the current WhatsApp Web version, in hours (0 = only after a 405). */
  WHATSAPP_VERSION_REFRESH_HOURS: z.coerce.number().min(0).default(12),
  WHATSAPP_WS_URL: z.string().regex(/^wss?:\/\//, 'URL ws:// ou wss://').default('wss://web.whatsapp.com/ws/chat'),
  WHATSAPP_BACKLOG_MAX_AGE_HOURS: z.coerce.number().positive().default(24),
  WHATSAPP_CONNECT_TIMEOUT_MS: ms(20_000),
  WHATSAPP_WATCHDOG_MS: ms(60_000),
  WHATSAPP_RECONNECT_BASE_MS: ms(2_000),
  WHATSAPP_RECONNECT_MAX_MS: ms(300_000),
  WHATSAPP_LOCK_HEARTBEAT_MS: ms(10_000),
  WHATSAPP_LOCK_STALE_MS: ms(45_000),
  WHATSAPP_CHAT_MIN_INTERVAL_MS: ms(1_000),
  WHATSAPP_CHAT_JITTER_MS: ms(600),
  WHATSAPP_GLOBAL_PER_MINUTE: z.coerce.number().int().positive().default(40),
  WHATSAPP_GLOBAL_BURST: z.coerce.number().int().positive().default(5),
  WHATSAPP_SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  WHATSAPP_SEND_TIMEOUT_MS: ms(30_000),
  WHATSAPP_TYPING_MS_PER_CHAR: ms(25),
  WHATSAPP_TYPING_MIN_MS: ms(600),
  WHATSAPP_TYPING_MAX_MS: ms(4_000),
  WHATSAPP_ATTACHMENT_MAX_MB: z.coerce.number().positive().default(10),
  /** Token for the /whatsapp admin page; unset = a random one per start, logged with the URL. */
  ADMIN_TOKEN: z.string().min(16, 'pelo menos 16 caracteres').optional(),
});

export interface WhatsAppConfig {
  enabled: boolean;
  account: string;
  pairingNumber?: string;
  /** Version from WHATSAPP_VERSION, or undefined to use the stored or bundled one. */
  version?: WAVersion;
  /** 0 when WHATSAPP_VERSION pins the version or the refresh is turned off. */
  versionRefreshMs: number;
  wsUrl: string;
  backlogMaxAgeMs: number;
  connectTimeoutMs: number;
  watchdogMs: number;
  reconnect: { baseMs: number; maxMs: number };
  lock: { heartbeatMs: number; staleMs: number };
  rate: { chatMinIntervalMs: number; chatJitterMs: number; globalPerMinute: number; globalBurst: number };
  send: { maxAttempts: number; timeoutMs: number };
  typing: { msPerChar: number; minMs: number; maxMs: number };
  attachmentMaxBytes: number;
  adminToken?: string;
}

/** Reads the WhatsApp variables (all optional); the error names each bad variable. */
export function loadWhatsAppConfig(env: NodeJS.ProcessEnv = process.env): WhatsAppConfig {
  const c = parseEnv(schema, env, ' do WhatsApp');
  return {
    enabled: c.WHATSAPP_ENABLED,
    account: c.WHATSAPP_ACCOUNT,
    pairingNumber: c.WHATSAPP_PAIRING_NUMBER,
    version: c.WHATSAPP_VERSION ? parseVersion(c.WHATSAPP_VERSION) : undefined,
    versionRefreshMs: c.WHATSAPP_VERSION ? 0 : Math.round(c.WHATSAPP_VERSION_REFRESH_HOURS * 3_600_000),
    wsUrl: c.WHATSAPP_WS_URL,
    backlogMaxAgeMs: c.WHATSAPP_BACKLOG_MAX_AGE_HOURS * 3_600_000,
    connectTimeoutMs: c.WHATSAPP_CONNECT_TIMEOUT_MS,
    watchdogMs: c.WHATSAPP_WATCHDOG_MS,
    reconnect: { baseMs: c.WHATSAPP_RECONNECT_BASE_MS, maxMs: Math.max(c.WHATSAPP_RECONNECT_MAX_MS, c.WHATSAPP_RECONNECT_BASE_MS) },
    lock: { heartbeatMs: c.WHATSAPP_LOCK_HEARTBEAT_MS, staleMs: Math.max(c.WHATSAPP_LOCK_STALE_MS, c.WHATSAPP_LOCK_HEARTBEAT_MS * 2) },
    rate: {
      chatMinIntervalMs: c.WHATSAPP_CHAT_MIN_INTERVAL_MS,
      chatJitterMs: c.WHATSAPP_CHAT_JITTER_MS,
      globalPerMinute: c.WHATSAPP_GLOBAL_PER_MINUTE,
      globalBurst: c.WHATSAPP_GLOBAL_BURST,
    },
    send: { maxAttempts: c.WHATSAPP_SEND_MAX_ATTEMPTS, timeoutMs: c.WHATSAPP_SEND_TIMEOUT_MS },
    typing: { msPerChar: c.WHATSAPP_TYPING_MS_PER_CHAR, minMs: c.WHATSAPP_TYPING_MIN_MS, maxMs: Math.max(c.WHATSAPP_TYPING_MAX_MS, c.WHATSAPP_TYPING_MIN_MS) },
    attachmentMaxBytes: Math.round(c.WHATSAPP_ATTACHMENT_MAX_MB * 1024 * 1024),
    adminToken: c.ADMIN_TOKEN,
  };
}

export function parseVersion(v: string): WAVersion {
  const [a, b, c] = v.split(/[.,]/).map(Number);
  return [a!, b!, c!];
}
