import './quiet-dotenv.js';
import type { Config } from './config.js';
import { Engine } from './conversation/engine.js';
import { Db } from './db/database.js';
import type { KnowledgeBase } from './faq/knowledge.js';
import { defaultRequests, loadKnowledge } from './understanding.js';
import { RequestRegistry, type RequestType } from './requests.js';
import type { Logger } from './logger.js';
import { Matcher } from './nlu/matcher.js';
import { MatcherHolder } from './nlu/holder.js';
import { LearningService, learnedTrainingTexts, untaught } from './learning/service.js';
import type { TrainingText } from './nlu/matcher.js';
import { defaultFaqDir } from './paths.js';
import { createFlowServices, type FlowServices } from './tickets/services.js';
import { loadBusinessHours } from './business-hours.js';
import { BusinessClock } from './staff/sla.js';

export interface App {
  config: Config;
  db: Db;
  requests: RequestRegistry;
  kb: KnowledgeBase;
  /** The matcher the engine reads for every message; the learning service swaps retrained ones in. */
  matcher: MatcherHolder;
  /** "Perguntas não respondidas": what the bot did not answer, and what staff taught it. */
  learning: LearningService;
  engine: Engine;
  services: FlowServices;
  logger: Logger;
  close(): Promise<void>;
}

export interface AppOverrides {
  /** Request types instead of flows/index.ts's (tests register toy ones). */
  requests?: RequestType[];
  clock?: () => number;
}

// Training takes a few hundred ms; tests and the story runner build many apps on the same FAQ.
const trained = new Map<string, { kb: KnowledgeBase; matcher: Matcher }>();

/**
 * The FAQ and a matcher trained on it and on the examples staff taught in the panel (`learned`),
 * trained once: a start-up with learned examples does not train the FAQ alone first.
 */
function understanding(config: Config, requests: RequestRegistry, learned: TrainingText[]): { kb: KnowledgeBase; matcher: Matcher } {
  const dir = config.faqDir ?? defaultFaqDir;
  const key = JSON.stringify([dir, config.nlu, requests.phrasings(), learned]);
  let t = trained.get(key);
  if (!t) {
    const kb = loadKnowledge(dir, requests);
    t = { kb, matcher: new Matcher(kb, config.nlu, undefined, untaught(kb, learned)) };
    trained.set(key, t);
  }
  return t;
}

/** Everything but the transports: database, FAQ, matcher and conversation engine. */
export async function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const requests = overrides.requests ? new RequestRegistry(overrides.requests) : defaultRequests();
  const db = await Db.open(config.databasePath);
  // One holder per app (the trained matcher is shared by apps on the same FAQ and lessons);
  // examples staff taught in the panel are trained in at start-up, and again whenever they teach more.
  let trainedNow: ReturnType<typeof understanding>;
  try {
    trainedNow = understanding(config, requests, learnedTrainingTexts(db));
  } catch (err) {
    await db.close();
    throw err;
  }
  const { kb, matcher } = trainedNow;
  const holder = new MatcherHolder(matcher);
  const learning = new LearningService({ db, kb, holder, options: config.nlu, logger: logger.child({ module: 'learning' }), clock: overrides.clock });
  // Outside business hours the bot still opens tickets and says when the team picks them up.
  const hours = loadBusinessHours(process.env, config.timezone);
  // A hand-over waits for the team in its business hours: a night does not time it out.
  const clock = new BusinessClock(hours, config.timezone);
  const services = createFlowServices(db, requests, {
    pickup: (team, now) => hours.pickup(team, now),
    workingMs: (team, fromMs, toMs) => clock.elapsedHours(team, fromMs, toMs, (toMs - fromMs) / 3_600_000 + 1) * 3_600_000,
    idleTimeoutMs: config.idleTimeoutMs,
  });
  const engine = new Engine({
    db,
    kb,
    matcher: holder,
    requests,
    handoffTimeoutMs: config.handoffTimeoutMs,
    logger: logger.child({ module: 'engine' }),
    timezone: config.timezone,
    idleTimeoutMs: config.idleTimeoutMs,
    requestIdleMs: config.requestIdleMs,
    greeting: config.greeting,
    privacyNotice: config.privacyNotice,
    services,
    clock: overrides.clock,
  });
  return {
    config,
    db,
    requests,
    kb,
    matcher: holder,
    learning,
    engine,
    services,
    logger,
    close: () => {
      try {
        engine.flushStats();
      } catch {
        // A database that no longer takes writes loses the last second's counts, not the close.
      }
      return db.close();
    },
  };
}
