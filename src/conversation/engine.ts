import { createHash, randomUUID } from 'node:crypto';
import { createActor, type AnyActorRef, type AnyEventObject, type AnyStateMachine, type Snapshot } from 'xstate';
import type { Db } from '../db/database.js';
import * as repo from '../db/conversations.js';
import type { Conversation, UnansweredKind } from '../db/schema.js';
import type { KnowledgeBase } from '../faq/knowledge.js';
import type { Logger } from '../logger.js';
import type { Classification, Classifier } from '../nlu/matcher.js';
import { parseChoice, parseCommand, parseYesNo } from '../nlu/replies.js';
import { fold } from '../nlu/spelling.js';
import { guessesOf, recordUnanswered } from '../learning/unanswered.js';
import { messageEventType, type DecisionEmitted, type FlowEmitted, type MessagePayload, type ReplyEmitted } from './events.js';
import { NOT_THIS, type TextDecision } from './route.js';
import type { FormDeps } from './form.js';
import { createRouterMachine, HUMAN_FLOW, ROUTER_VERSION } from './router.js';
import { migrateSnapshot } from './snapshots.js';
import { texts } from './texts.js';
import type { RequestRegistry } from '../requests.js';
import type { FlowServices } from '../tickets/services.js';
import { STATUS_LABEL, ticketAlreadyOpenText, ticketsStatusText } from '../tickets/tickets.js';
import { flowEvent, metrics } from '../metrics.js';
import { countDecision, DecisionCounter, decisionOf, type Decision } from '../stats.js';
import { STORAGE_CUSTOMER_TEXT, storageProblem } from '../db/errors.js';

export interface InboundMessage {
  channel: string;
  /** The conversation key: the person's phone digits (or LID) for 1:1 chats. */
  chatId: string;
  participant?: string;
  /** The channel's message id; a repeated id is ignored (redelivery). */
  id?: string;
  text: string;
  /** Epoch ms (or seconds, as WhatsApp sends) of the message; defaults to now. */
  timestamp?: number;
  name?: string;
  phone?: string;
  lid?: string;
  /** A non-text message (audio, image...); its caption, if any, comes as `text`. */
  media?: InboundMedia;
}

export interface InboundMedia {
  kind: 'audio' | 'image' | 'video' | 'document' | 'sticker' | 'location' | 'contact';
  mimetype?: string;
  fileName?: string;
  /** Row id in the attachments store when the channel saved the file. */
  attachmentId?: number;
}

export interface Reply {
  /** Row id in outbound_messages (the outbox). */
  id: number;
  chatId: string;
  text: string;
  inReplyTo: string | null;
}

export interface HandleResult {
  duplicate: boolean;
  replies: Reply[];
  /**
   * Set when the message could not be recorded (full disk, read-only file...): nothing was
   * stored, and this text tells the person so. Channels send it directly, not through the outbox.
   */
  unrecorded?: string;
}

export interface EngineOptions {
  db: Db;
  kb: KnowledgeBase;
  /** Read for every message: a MatcherHolder lets the learning loop swap a retrained matcher in. */
  matcher: Classifier;
  /** The registered request types: their flows become the router's children. */
  requests: RequestRegistry;
  handoffTimeoutMs: number;
  logger: Logger;
  timezone: string;
  idleTimeoutMs: number;
  /** A request left half-way stays open this long ("vou ver com ela" and back hours later); default 24 h. */
  requestIdleMs?: number;
  greeting: { enabled: boolean; text: string };
  /** A short LGPD notice with a contact's first message (after the greeting). */
  privacyNotice?: { enabled: boolean; text: string };
  services: FlowServices;
  clock?: () => number;
}

/** Longest text the bot reads; beyond it the person is asked to summarise. */
export const MAX_TEXT = 2000;
/** Longest text stored in the inbound journal. */
const MAX_STORED = 4000;
const REST_STATES = new Set(['home', 'ended', 'mainMenu']);

/** True when a stored conversation is inside a request (not a hand-over, not a menu). */
function openRequest(snapshot: string | undefined): boolean {
  if (!snapshot) return false;
  try {
    const value = String((JSON.parse(snapshot) as { value?: unknown }).value);
    return value.startsWith('flow_') && value !== `flow_${HUMAN_FLOW}`;
  } catch {
    return false;
  }
}
/** What the restored router says about its last reply: the FAQ entry answered, or the options of an open "Você quis dizer". */
interface LastReading {
  topic: string | null;
  clarifying: string[] | null;
}
const NO_READING: LastReading = { topic: null, clarifying: null };
function lastReading(snapshot: { value?: unknown; context?: unknown }): LastReading {
  const context = (snapshot.context ?? {}) as { topic?: string | null; options?: string[] };
  const options = String(snapshot.value) === 'clarify' ? (context.options ?? []) : [];
  return { topic: context.topic ?? null, clarifying: options.length ? options : null };
}
/** What one step of a chat's router tells the engine besides its replies. */
interface StepReading {
  decision?: TextDecision;
  before?: LastReading;
}
const NO_NLU: Classification = { kind: 'none', reason: 'empty', confidence: 0, candidates: [], greeting: false };

/** Longest message id stored as is; longer ones are stored as their hash (still deduped). */
export const MAX_ID = 128;
/** Message times accepted from a channel: from WhatsApp's launch to a year ahead. */
const EARLIEST_MESSAGE = Date.UTC(2009, 0, 1);
const LATEST_AHEAD_MS = 366 * 24 * 3_600_000;

/**
 * A channel's timestamp (epoch ms, or seconds as WhatsApp sends) as epoch ms, or `now` when it
 * is missing or out of range: any value may arrive, and Date throws beyond ±8.64e15 ms.
 */
export function messageTime(ts: unknown, now: number): number {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return now;
  const ms = ts < 1e12 ? ts * 1000 : ts;
  return ms >= EARLIEST_MESSAGE && ms <= now + LATEST_AHEAD_MS ? ms : now;
}

function boundedId(id: string): string {
  return id.length <= MAX_ID ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

const MEDIA_MARKER: Record<InboundMedia['kind'], string> = {
  audio: 'áudio', image: 'imagem', video: 'vídeo', document: 'documento', sticker: 'figurinha', location: 'localização', contact: 'contato',
};

function mediaMarker(m: InboundMedia): string {
  return `[${MEDIA_MARKER[m.kind] ?? 'arquivo'}${m.fileName ? `: ${m.fileName}` : ''}]`;
}

/** Control characters out, line breaks kept. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\uFEFF]/g, '').trim();
}

/**
 * The conversation engine: one inbound message in, the replies out, in one synchronous SQLite
 * transaction (journal, contact, machine snapshot, outbox). Being synchronous, messages are
 * processed strictly one at a time in arrival order; a crash between two messages loses
 * nothing, since every step commits before the next message is read.
 */
export class Engine {
  readonly machine: AnyStateMachine;
  /** The registered request types (the panel derives its labels and tables from them). */
  readonly requests: RequestRegistry;
  private readonly clock: () => number;
  private readonly dayFormat: Intl.DateTimeFormat;
  /** Consecutive failed steps per chat (in memory: a restart gives every chat a clean slate). */
  private readonly failures = new Map<string, number>();
  /** Per-hour decision counts for the overview, written about once a second. */
  private readonly decisions = new DecisionCounter();

  constructor(private readonly o: EngineOptions) {
    this.requests = o.requests;
    const title = (type: string) => o.requests.title(type);
    const ticketsStatus = (chatId: string, protocol?: string) => ticketsStatusText(o.services.ticketsOfChat(chatId), title, protocol);
    const form: FormDeps = {
      services: o.services,
      faqEntry: (id) => o.kb.entries.get(id),
      request: (id) => o.requests.get(id),
      requestCues: o.requests.all.map((r) => ({ id: r.id, cues: r.cues })),
      ticketsStatus: (chatId) => ticketsStatus(chatId),
      openTicket: (requestId, draft, env) => {
        const t = o.services.openTicket({ type: requestId, chatId: env.chatId, ...draft, now: env.now });
        return o.services.ticketOpenedText(t, env.now);
      },
      alreadyOpen: (t) => ticketAlreadyOpenText(t),
      openOfChat: (requestId, chatId) => {
        const t = o.services.openTicketForChat(requestId, chatId);
        return t ? `Você já tem uma solicitação desse tipo aberta: *${t.protocol}* (${STATUS_LABEL[t.status]}). Se for sobre outra compra, vamos seguir; se for a mesma, não precisa abrir outra: a resposta chega aqui.` : null;
      },
    };
    const flows = o.requests.flows({ form, machine: { services: o.services, handoffTimeoutMs: o.handoffTimeoutMs } });
    this.machine = createRouterMachine(o.kb, flows, {
      ticketStatus: (chatId, protocol) => ticketsStatus(chatId, protocol ?? undefined),
      classify: (text) => o.matcher.classify(text),
      openRequestNote: (chatId, flow) => {
        const open = o.services.openTicketForChat(flow, chatId);
        return open
          ? `Você já tem uma solicitação aberta para isso: protocolo *${open.protocol}*, status *${STATUS_LABEL[open.status]}*. A resposta chega aqui mesmo, neste WhatsApp; se for sobre outra compra, é só me dizer o número do pedido.`
          : null;
      },
      menuLine: o.requests.menuLine(),
      recordRating: (r) => o.services.recordRating?.({ ...r, at: new Date(r.at) }),
    });
    this.clock = o.clock ?? Date.now;
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: o.timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  private dayStart = NaN;
  private day = '';

  /**
   * The day (YYYY-MM-DD in the bot's time zone) of a message time, formatted once per quarter of
   * an hour: every time zone's offset is a whole number of quarters, so a day never starts inside one.
   */
  private dayOf(at: number): string {
    const quarter = at - (at % 900_000);
    if (quarter !== this.dayStart) {
      this.dayStart = quarter;
      this.day = this.dayFormat.format(at);
    }
    return this.day;
  }

  private toMillis(ts: number | undefined): number {
    return messageTime(ts, this.clock());
  }

  /** Writes the decision counts still in memory (shutdown, and before the overview reads them). */
  flushStats(): void {
    this.decisions.flush(this.o.db);
  }

  handle(msg: InboundMessage): HandleResult {
    const at = this.toMillis(msg.timestamp);
    const nowIso = new Date(at).toISOString();
    const messageId = msg.id !== undefined ? boundedId(msg.id) : `local-${randomUUID()}`;
    const inReplyTo = msg.id !== undefined ? messageId : null;
    const participant = msg.participant ?? '';
    const text = sanitize(msg.text ?? '');
    const { db } = this.o;
    const timer = metrics.handlingSeconds.startTimer({ channel: msg.channel });
    let decision: Decision | undefined;
    const result = this.unlessStorageFails(() => db.transaction((): HandleResult => {
      const key = { channel: msg.channel, chatId: msg.chatId, participant, messageId };
      // The journal's unique key decides: a redelivered id is not processed again.
      // A photo or audio without caption is journaled as a short marker, so excerpts and the
      // staff's live conversation show that something arrived.
      const journalText = text || (msg.media ? mediaMarker(msg.media) : '');
      if (!repo.insertInboundIfNew(db, { ...key, text: journalText.slice(0, MAX_STORED), now: nowIso })) return { duplicate: true, replies: [] };
      // Nothing to answer (empty text, no media): journaled, ignored.
      if (text === '' && !msg.media) return { duplicate: false, replies: [] };

      const chat = repo.findChat(db, msg.chatId);
      const contact = repo.upsertContact(db, { chatId: msg.chatId, phone: msg.phone, lid: msg.lid, name: msg.name, now: nowIso }, chat?.contact ?? null);
      const stored = chat ? chat.conversation : repo.findConversation(db, msg.chatId);
      const lines: string[] = [];
      const today = this.dayOf(at);
      const firstToday = this.o.greeting.enabled && stored?.greeted_on !== today;
      if (firstToday) lines.push(this.o.greeting.text);
      // First message ever from this contact (created just now, no conversation yet).
      if (this.o.privacyNotice?.enabled && !stored && contact.created_at === nowIso) lines.push(this.o.privacyNotice.text);

      const gap = stored?.last_message_at ? at - Date.parse(stored.last_message_at) : 0;
      // Quiet for a while: menus and topics start afresh, but a request half-way waits for the person much longer.
      const idle = gap > this.o.idleTimeoutMs && !(gap <= (this.o.requestIdleMs ?? 24 * 3_600_000) && openRequest(stored?.snapshot));
      const timers = { last_message_at: nowIso, greeted_on: firstToday ? today : (stored?.greeted_on ?? null) };
      let event: AnyEventObject | string | undefined;
      const read: StepReading = {};
      lines.push(...this.step(msg.chatId, stored, timers, idle, at, () => (event = this.messageEvent(text, at, msg.media)), read));
      // Counted per hour for the overview (what was decided, never the text).
      decision = decisionOf(event, idle ? undefined : stored?.snapshot);
      this.decisions.add(db, at, decision);
      this.noteDeclined(msg.chatId, event, read.decision, at, read.before ?? NO_READING);
      // One WhatsApp message per answer: fewer bubbles read better and weigh less on rate limits.
      const replies = (lines.length ? [lines.join('\n\n')] : []).map((t) => ({
        id: repo.insertOutbound(db, { channel: msg.channel, chatId: msg.chatId, text: t, inReplyTo, now: nowIso }),
        chatId: msg.chatId,
        text: t,
        inReplyTo: msg.id ?? null,
      }));
      return { duplicate: false, replies };
    }));
    if (!result.duplicate && !result.unrecorded) {
      timer();
      if (decision) countDecision(msg.channel, decision);
      else metrics.messagesReceived.inc({ channel: msg.channel });
    }
    return result;
  }

  /**
   * A message the database cannot take (full disk, read-only file, I/O error, held lock): nothing
   * was stored; the person is told so (the channel sends it directly) and the process goes on.
   */
  private unlessStorageFails(run: () => HandleResult): HandleResult {
    try {
      return run();
    } catch (err) {
      const problem = storageProblem(err);
      if (!problem) throw err;
      metrics.storageErrors.inc({ problem });
      this.o.logger.error({ err, database: this.o.db.file, problem }, 'message not recorded: the database does not take writes');
      return { duplicate: false, replies: [], unrecorded: STORAGE_CUSTOMER_TEXT };
    }
  }

  /**
   * Free text the bot could not answer outside a request ("declined") goes to the staff panel's
   * "Perguntas não respondidas", masked. The router's own reading decides, not the matcher's: a
   * follow-up read with its topic, a status question or data without a request are answered
   * although the matcher found no entry. Inside a request free text is data (a name, a reason)
   * and the router does not read it.
   */
  private noteDeclined(chatId: string, event: AnyEventObject | string | undefined, decision: TextDecision | undefined, at: number, before: LastReading): void {
    if (typeof event !== 'object') return;
    const { nlu, text = '', choice = null } = event as unknown as Partial<MessagePayload>;
    if (event.type === 'text' && nlu && (decision?.kind === 'outOfScope' || decision?.kind === 'notUnderstood')) {
      recordUnanswered(this.o.db, { chatId, text, kind: 'declined', guesses: guessesOf(nlu), at });
    }
    // The earlier question, when this message says its reply missed: a "Você quis dizer" left
    // unpicked, "não era isso" right after an answer, or a person asked for right after one.
    const folded = fold(text);
    const kind: UnansweredKind | null = before.clarifying
      ? choice !== null || parseYesNo(text) === 'yes' || (decision?.kind === 'answer' && before.clarifying.includes(decision.entry)) ? null : 'clarify-unresolved'
      : before.topic && (decision?.kind === 'notThis' || (event.type === 'text' && NOT_THIS.test(folded)))
        ? 'not-this'
        : before.topic && decision?.kind === 'human'
          ? 'handover-after-miss'
          : null;
    if (!kind) return;
    const earlier = repo.previousInbound(this.o.db, chatId);
    if (earlier) recordUnanswered(this.o.db, { chatId, text: earlier, kind, guesses: guessesOf(this.o.matcher.classify(earlier)), at });
  }

  /** The router event for a message: command, menu number, media or classified free text. */
  private messageEvent(text: string, at: number, media?: InboundMedia): AnyEventObject | string {
    if (text.length > MAX_TEXT) return texts.tooLong;
    if (media && text === '') {
      const payload: MessagePayload = { text: '', command: null, choice: null, nlu: NO_NLU, at };
      return { type: 'media', media, ...payload };
    }
    const command = parseCommand(text);
    const choice = command ? null : parseChoice(text);
    const nlu = command || choice !== null ? NO_NLU : this.o.matcher.classify(text);
    const payload: MessagePayload = { text, command, choice, nlu, at };
    return { type: messageEventType(payload), ...payload, ...(media ? { media } : {}) };
  }

  /**
   * Delivers a system event to a chat's router (e.g. staff closed the hand-over) and queues
   * whatever it answers in the outbox, on the channel the person last wrote from.
   */
  notify(chatId: string, event: AnyEventObject): Reply[] {
    const { db } = this.o;
    const at = this.clock();
    const nowIso = new Date(at).toISOString();
    return db.transaction(() => {
      const stored = repo.findConversation(db, chatId);
      // A system event is not the person writing: the idle timer and greeting stay as they were.
      const timers = { last_message_at: stored?.last_message_at ?? null, greeted_on: stored?.greeted_on ?? null };
      const lines = this.step(chatId, stored, timers, false, at, () => event);
      const channel = repo.lastInboundChannel(db, chatId) ?? 'whatsapp';
      return (lines.length ? [lines.join('\n\n')] : []).map((t) => ({
        id: repo.insertOutbound(db, { channel, chatId, text: t, inReplyTo: null, now: nowIso }),
        chatId,
        text: t,
        inReplyTo: null,
      }));
    });
  }

  /** Restores the chat's router, feeds it the event, stores the new snapshot. */
  private step(
    chatId: string,
    stored: Conversation | undefined,
    timers: { last_message_at: string | null; greeted_on: string | null },
    idle: boolean,
    at: number,
    build: () => AnyEventObject | string,
    /** Filled with the router's reading of free text, and with what its restored state said before. */
    read: StepReading = {},
  ): string[] {
    const { db, logger } = this.o;
    const replies: string[] = [];
    const flowEvents: FlowEmitted[] = [];
    const keepTimers = () => {
      if (stored) repo.updateConversationTimers(db, chatId, timers.last_message_at, timers.greeted_on);
    };
    const event = build();
    if (typeof event === 'string') {
      keepTimers();
      return [event];
    }

    let snapshot: Snapshot<unknown> | undefined;
    if (stored) {
      let parsed: (Snapshot<unknown> & { value?: unknown }) | null = null;
      try {
        parsed = JSON.parse(stored.snapshot) as Snapshot<unknown> & { value?: unknown };
      } catch {
        // Unreadable row (corrupted or hand-edited): handled like an incompatible snapshot below.
      }
      const mid = !REST_STATES.has(String(parsed?.value));
      const inHandover = String(parsed?.value) === `flow_${HUMAN_FLOW}`;
      if (!parsed || typeof parsed !== 'object') {
        logger.warn({ chatId }, 'stored conversation is not a readable snapshot: restarting it');
        replies.push(texts.restoreFailed);
      } else if (stored.machine_id !== this.machine.id || (stored.machine_version !== ROUTER_VERSION && !(parsed = migrateSnapshot(parsed as Record<string, unknown>, stored.machine_version, ROUTER_VERSION) as typeof parsed))) {
        logger.warn({ chatId, version: stored.machine_version }, 'stored conversation from another machine version: restarting it');
        replies.push(texts.restoreFailed);
      } else if (idle && !inHandover) {
        if (mid) replies.push(texts.resumed);
        // A request left half-way when the chat went quiet.
        const open = /^flow_(.+)$/.exec(String(parsed?.value));
        if (open && open[1] !== HUMAN_FLOW) flowEvents.push({ type: 'flow', flow: open[1], event: 'abandon' });
      } else {
        snapshot = parsed;
        read.before = lastReading(parsed);
      }
    }

    let actor: AnyActorRef;
    let failed: unknown = null;
    const start = (snap: Snapshot<unknown> | undefined) => {
      const a = createActor(this.machine, { snapshot: snap, input: { chatId } });
      a.on('reply', (e: ReplyEmitted) => {
        if (e.text) replies.push(e.text);
      });
      a.on('flow', (e: FlowEmitted) => flowEvents.push(e));
      a.on('decision', (e: DecisionEmitted) => (read.decision = e.decision));
      a.subscribe({ error: (err) => (failed = err) });
      a.start();
      return a;
    };
    try {
      actor = start(snapshot);
      // XState 5 does not throw when a snapshot cannot be restored: the actor starts in
      // status 'error' and reports to its error observer. Treat that like a throw.
      if (snapshot && (failed || (actor.getSnapshot() as { status: string }).status === 'error')) {
        const err = failed ?? (actor.getSnapshot() as { error?: unknown }).error;
        failed = null;
        actor.stop();
        throw err;
      }
    } catch (err) {
      // A snapshot that no longer fits the machine: start over politely, never crash.
      logger.warn({ chatId, err }, 'could not restore conversation: restarting it');
      replies.push(texts.restoreFailed);
      actor = start(undefined);
    }
    const before = replies.length;
    actor.send(event);
    const snap = actor.getSnapshot() as { status: string };
    if (failed || snap.status === 'error') {
      actor.stop();
      replies.splice(before);
      read.decision = undefined;
      // Keep the state on a first failure (a passing glitch must not lose a half-filled
      // request); fail twice in a row and the chat starts over rather than stay stuck.
      const count = (this.failures.get(chatId) ?? 0) + 1;
      if (count >= 2) {
        this.failures.delete(chatId);
        repo.deleteConversation(db, chatId);
        logger.error({ chatId, err: failed }, 'conversation step failed again; conversation restarted');
        replies.push(texts.restarted);
        return replies;
      }
      this.failures.set(chatId, count);
      keepTimers();
      logger.error({ chatId, err: failed }, 'conversation step failed; state kept as before the message');
      replies.push(texts.internalError);
      return replies;
    }
    this.failures.delete(chatId);
    // Counted once the step succeeded (a failed step is rolled back with its replies).
    for (const e of flowEvents) flowEvent(e.flow, e.event);
    const persisted = actor.getPersistedSnapshot();
    actor.stop();
    repo.saveConversation(db, {
      chat_id: chatId,
      machine_id: this.machine.id,
      machine_version: ROUTER_VERSION,
      snapshot: JSON.stringify(persisted),
      updated_at: new Date(at).toISOString(),
      ...timers,
    }, !!stored);
    return replies;
  }

  /** The router's current state for a chat (for tests and tools). */
  stateOf(chatId: string): string | null {
    const stored = repo.findConversation(this.o.db, chatId);
    if (!stored) return null;
    return String((JSON.parse(stored.snapshot) as { value: unknown }).value);
  }
}
