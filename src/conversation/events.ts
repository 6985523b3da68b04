import type { Classification } from '../nlu/matcher.js';
import type { Command } from '../nlu/replies.js';

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

export function messageEventType(p: MessagePayload): MessageEventType {
  if (p.command) return `cmd.${p.command}` as MessageEventType;
  if (p.choice !== null) return 'choice';
  return 'text';
}
