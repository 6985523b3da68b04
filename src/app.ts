import './quiet-dotenv.js';
import type { Config } from './config.js';
import { Engine } from './conversation/engine.js';
import type { FlowDefinition } from './conversation/flow.js';
import { Db } from './db/database.js';
import type { KnowledgeBase } from './faq/knowledge.js';
import { loadKnowledge } from './understanding.js';
import type { Logger } from './logger.js';
import { Matcher } from './nlu/matcher.js';
import { defaultFaqDir } from './paths.js';
import { createFlows } from '../flows/index.js';
import { createFlowServices, type FlowServices } from './tickets/services.js';
import { loadBusinessHours } from './business-hours.js';

export interface App {
  config: Config;
  db: Db;
  kb: KnowledgeBase;
  matcher: Matcher;
  engine: Engine;
  services: FlowServices;
  logger: Logger;
  close(): Promise<void>;
}

export interface AppOverrides {
  flows?: FlowDefinition[];
  clock?: () => number;
}

// Training takes a few hundred ms; tests and the story runner build many apps on the same FAQ.
const trained = new Map<string, { kb: KnowledgeBase; matcher: Matcher }>();

function understanding(config: Config): { kb: KnowledgeBase; matcher: Matcher } {
  const dir = config.faqDir ?? defaultFaqDir;
  const key = JSON.stringify([dir, config.nlu]);
  let t = trained.get(key);
  if (!t) {
    const kb = loadKnowledge(dir);
    t = { kb, matcher: new Matcher(kb, config.nlu) };
    trained.set(key, t);
  }
  return t;
}

/** Everything but the transports: database, FAQ, matcher and conversation engine. */
export async function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const { kb, matcher } = understanding(config);
  const db = await Db.open(config.databasePath);
  // Outside business hours the bot still opens tickets and says when the team picks them up.
  const hours = loadBusinessHours(process.env, config.timezone);
  const services = createFlowServices(db, { pickup: (team, now) => hours.pickup(team, now) });
  const flows = overrides.flows ?? createFlows(services, { handoffTimeoutMs: config.handoffTimeoutMs });
  const engine = new Engine({
    db,
    kb,
    matcher,
    flows,
    logger: logger.child({ module: 'engine' }),
    timezone: config.timezone,
    idleTimeoutMs: config.idleTimeoutMs,
    greeting: config.greeting,
    services,
    clock: overrides.clock,
  });
  return {
    config,
    db,
    kb,
    matcher,
    engine,
    services,
    logger,
    close: () => db.close(),
  };
}
