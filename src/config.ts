import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'sim', 'nao'])
  .transform((v) => ['true', '1', 'yes', 'sim'].includes(v));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DATABASE_PATH: z.string().min(1).default('data/bot.db'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TIMEZONE: z.string().default('America/Sao_Paulo'),
  IDLE_TIMEOUT_MINUTES: z.coerce.number().positive().default(30),
  REQUEST_IDLE_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  GREETING_ENABLED: bool.default(true),
  GREETING_TEXT: z
    .string()
    .default(
      'Olá! 👋 Sou o assistente virtual do *Indique Certo*, o programa de parceria da Autoridade de Registro Inter.',
    ),
  PRIVACY_NOTICE_ENABLED: bool.default(true),
  PRIVACY_NOTICE_TEXT: z
    .string()
    .default('🔒 Seus dados (como CPF e e-mail) são usados só para atender você, conforme a LGPD. Para saber mais ou pedir a exclusão, é só pedir um atendente.'),
  NLU_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.4),
  NLU_MIN_MARGIN: z.coerce.number().min(0).max(1).default(0.08),
  FAQ_DIR: z.string().optional(),
  HANDOFF_TIMEOUT_MINUTES: z.coerce.number().positive().default(240),
  METRICS_TOKEN: z.string().min(16, 'use pelo menos 16 caracteres').optional(),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(10),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  logFormat: 'auto' | 'json' | 'pretty';
  databasePath: string;
  httpHost: string;
  httpPort: number;
  timezone: string;
  idleTimeoutMs: number;
  requestIdleMs: number;
  greeting: { enabled: boolean; text: string };
  /** LGPD notice sent once, with a contact's first message. */
  privacyNotice: { enabled: boolean; text: string };
  /** Matcher thresholds: answer, ask back above clarifyFloor, below it nothing fits. */
  nlu: { minConfidence: number; minMargin: number; clarifyFloor: number };
  faqDir?: string;
  handoffTimeoutMs: number;
  /** Bearer token GET /metrics requires; unset: open (the server listens on localhost by default). */
  metricsToken?: string;
  /** Longest a SIGTERM/SIGINT shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
};

export class ConfigError extends Error {}

/**
 * Validates the variables a schema names (empty ones count as unset, so defaults apply);
 * every module with settings reads them this way, and the error names each bad variable.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv, what = ''): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && v !== '' && k in schema.shape));
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (valor: ${JSON.stringify(cleaned[String(i.path[0])])})`);
  throw new ConfigError(`Configuração inválida nas variáveis de ambiente${what}:\n${lines.join('\n')}`);
}

/** Reads and validates the environment; the error names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const c = parseEnv(schema, env);
  try {
    new Intl.DateTimeFormat('pt-BR', { timeZone: c.TIMEZONE });
  } catch {
    throw new ConfigError(`Configuração inválida nas variáveis de ambiente:\n  TIMEZONE: fuso horário desconhecido (valor: "${c.TIMEZONE}")`);
  }
  return {
    env: c.NODE_ENV,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    databasePath: c.DATABASE_PATH,
    httpHost: c.HTTP_HOST,
    httpPort: c.HTTP_PORT,
    timezone: c.TIMEZONE,
    idleTimeoutMs: c.IDLE_TIMEOUT_MINUTES * 60_000,
    requestIdleMs: c.REQUEST_IDLE_HOURS * 3_600_000,
    greeting: { enabled: c.GREETING_ENABLED, text: c.GREETING_TEXT },
    privacyNotice: { enabled: c.PRIVACY_NOTICE_ENABLED, text: c.PRIVACY_NOTICE_TEXT },
    nlu: { minConfidence: c.NLU_MIN_CONFIDENCE, minMargin: c.NLU_MIN_MARGIN, clarifyFloor: Math.min(c.NLU_MIN_CONFIDENCE, 0.3) },
    faqDir: c.FAQ_DIR,
    handoffTimeoutMs: c.HANDOFF_TIMEOUT_MINUTES * 60_000,
    metricsToken: c.METRICS_TOKEN,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  };
}
