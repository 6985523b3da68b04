import client from 'prom-client';

// Prometheus metrics (GET /metrics): one registry for the process, with prom-client's default
// process metrics (CPU, memory, event loop lag, GC). The counters are process-wide: every part
// of the bot increments them where the thing happens; gauges that mirror the database are read
// at scrape time through a registered source.

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const registers = [registry];

/** What an outbox gauge reads when scraped: queued rows per channel. */
let outboxSource: (() => Record<string, number>) | undefined;

export type FlowEvent = 'start' | 'complete' | 'cancel' | 'handover' | 'abandon';

export const metrics = {
  messagesReceived: new client.Counter({ name: 'messages_received_total', help: 'Inbound messages handled (redeliveries excluded), by channel', labelNames: ['channel'] as const, registers }),
  messagesSent: new client.Counter({ name: 'messages_sent_total', help: 'Outbound messages delivered, by channel', labelNames: ['channel'] as const, registers }),
  faqAnswers: new client.Counter({ name: 'faq_answers_total', help: 'Free-text messages answered with an FAQ entry, by entry id', labelNames: ['entry'] as const, registers }),
  askBacks: new client.Counter({ name: 'nlu_ask_backs_total', help: 'Free-text messages answered with "Você quis dizer...?"', registers }),
  fallbacks: new client.Counter({ name: 'nlu_fallbacks_total', help: 'Free-text messages nothing in the FAQ fitted', registers }),
  ticketsOpened: new client.Counter({ name: 'tickets_opened_total', help: 'Tickets opened, by type', labelNames: ['type'] as const, registers }),
  ticketsClosed: new client.Counter({ name: 'tickets_closed_total', help: 'Tickets resolved or rejected, by type and outcome', labelNames: ['type', 'outcome'] as const, registers }),
  sendFailures: new client.Counter({ name: 'outbox_send_failures_total', help: 'Outbound messages that failed for good (or with an unknown outcome), by channel', labelNames: ['channel'] as const, registers }),
  outboxQueued: new client.Gauge({
    name: 'outbox_queued',
    help: 'Outbound messages waiting to be sent, by channel',
    labelNames: ['channel'] as const,
    registers,
    collect() {
      this.reset();
      if (!outboxSource) return;
      try {
        for (const [channel, n] of Object.entries(outboxSource())) this.set({ channel }, n);
      } catch {
        // A scrape must not fail because the database is busy or gone: the gauge is left empty.
      }
    },
  }),
  whatsappState: new client.Gauge({ name: 'whatsapp_connection_state', help: 'WhatsApp connection state (1 for the current one)', labelNames: ['state'] as const, registers }),
  whatsappReconnects: new client.Counter({ name: 'whatsapp_reconnects_total', help: 'WhatsApp reconnect attempts', registers }),
  handlingSeconds: new client.Histogram({
    name: 'message_handling_seconds',
    help: 'Time to handle one inbound message (classification, machine step, SQLite transaction), by channel',
    labelNames: ['channel'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  }),
  flowEvents: new client.Counter({ name: 'flow_events_total', help: 'Guided requests: started, completed, cancelled, handed over, abandoned, by flow', labelNames: ['flow', 'event'] as const, registers }),
  storageErrors: new client.Counter({ name: 'storage_errors_total', help: 'Writes refused by the storage (full disk, read-only file, I/O error, contention)', labelNames: ['problem'] as const, registers }),
};

/** A guided request's life-cycle event (the router and the form machine call this). */
export function flowEvent(flow: string, event: FlowEvent): void {
  metrics.flowEvents.inc({ flow, event });
}

/** Where the outbox gauge reads its numbers (the running bot registers its database). */
export function setOutboxSource(source: (() => Record<string, number>) | undefined): void {
  outboxSource = source;
}

const STATES = ['stopped', 'connecting', 'waiting_qr', 'open', 'reconnecting', 'logged_out', 'replaced', 'forbidden', 'multidevice_mismatch', 'qr_expired', 'lock_lost'];

/** The WhatsApp connection's current state: 1 on it, 0 on the others. */
export function setWhatsappState(state: string): void {
  for (const s of STATES) metrics.whatsappState.set({ state: s }, s === state ? 1 : 0);
  if (!STATES.includes(state)) metrics.whatsappState.set({ state }, 1);
}
