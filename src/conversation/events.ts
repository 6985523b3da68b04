import type { Classification } from '../nlu/matcher.js';
import type { Command } from '../nlu/replies.js';
import type { TextDecision } from './route.js';

/** What the router and the flows know about one inbound message. */
export interface MessagePayload {
  text: string;
  /** The message was only a number ("3", "opção 3"). */
  choice: number | null;
  command: Command | null;
  nlu: Classification;
  /** Epoch ms of the message (the channel's timestamp): flows use it as "now". */
  at: number;
}

export type MessageEventType = 'text' | 'choice' | 'cmd.menu' | 'cmd.back' | 'cmd.exit' | 'cmd.human' | 'cmd.cancel';
export type MessageEvent = { type: MessageEventType } & MessagePayload;

/** A non-text message without caption; flows that take attachments read `media.attachmentId`. */
export type MediaEvent = { type: 'media'; media: { kind: string; mimetype?: string; fileName?: string; attachmentId?: number } } & MessagePayload;

/** A flow's line to the person, sent to the router (its parent). */
export type FlowReplyEvent = { type: 'flow.reply'; text: string };

/** Emitted by the router for the channel to deliver. */
export type ReplyEmitted = { type: 'reply'; text: string };

/** Emitted by the router when a request starts or ends (for the metrics). */
export type FlowEmitted = { type: 'flow'; flow: string; event: 'start' | 'complete' | 'cancel' | 'handover' | 'abandon' };

/**
 * Emitted by the router when it read free text outside a request: what it decided, so the engine
 * knows whether the bot answered (the matcher alone does not tell: a follow-up, a status question
 * or data without a request are answered without an FAQ reading).
 */
export type DecisionEmitted = { type: 'decision'; decision: TextDecision };

export function messageEventType(p: MessagePayload): MessageEventType {
  if (p.command) return `cmd.${p.command}` as MessageEventType;
  if (p.choice !== null) return 'choice';
  return 'text';
}
