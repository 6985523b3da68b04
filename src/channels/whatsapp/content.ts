import { getContentType, normalizeMessageContent, proto, toNumber, type WAMessage } from '@whiskeysockets/baileys';
import type { InboundMedia } from '../../conversation/engine.js';

export type Classified =
  | { kind: 'message'; text: string; media?: InboundMedia & { fileLength?: number } }
  /** Failed decryption: content may come later under the same id; do not journal it. */
  | { kind: 'stub' }
  | { kind: 'ignore'; reason: string };

/** Content types that never start or continue a conversation. */
const SILENT = new Set([
  'reactionMessage',
  'encReactionMessage',
  'protocolMessage', // revoke, edit, ephemeral settings, history sync, key shares
  'editedMessage',
  'pollUpdateMessage',
  'keepInChatMessage',
  'pinInChatMessage',
  'senderKeyDistributionMessage',
  'callLogMesssage',
  'bcallMessage',
]);

const length = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : toNumber(v as number));

/** Reads a WhatsApp message: text (captions count), media kind, or why it is ignored. */
export function classifyContent(msg: WAMessage): Classified {
  if (msg.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT) return { kind: 'stub' };
  const content = normalizeMessageContent(msg.message);
  if (!content) return { kind: 'ignore', reason: msg.messageStubType ? 'stub' : 'empty' };
  const type = getContentType(content);
  if (!type) return { kind: 'ignore', reason: 'no content' };
  if (SILENT.has(type)) return { kind: 'ignore', reason: type };
  switch (type) {
    case 'conversation':
      return { kind: 'message', text: content.conversation ?? '' };
    case 'extendedTextMessage':
      return { kind: 'message', text: content.extendedTextMessage?.text ?? '' };
    case 'imageMessage': {
      const m = content.imageMessage!;
      return { kind: 'message', text: m.caption ?? '', media: { kind: 'image', mimetype: m.mimetype ?? undefined, fileLength: length(m.fileLength) } };
    }
    case 'videoMessage':
    case 'ptvMessage': {
      const m = (content.videoMessage ?? content.ptvMessage)!;
      return { kind: 'message', text: m.caption ?? '', media: { kind: 'video', mimetype: m.mimetype ?? undefined } };
    }
    case 'audioMessage':
      return { kind: 'message', text: '', media: { kind: 'audio', mimetype: content.audioMessage?.mimetype ?? undefined } };
    case 'documentMessage': {
      const m = content.documentMessage!;
      return {
        kind: 'message',
        text: m.caption ?? '',
        media: { kind: 'document', mimetype: m.mimetype ?? undefined, fileName: m.fileName ?? undefined, fileLength: length(m.fileLength) },
      };
    }
    case 'stickerMessage':
      return { kind: 'message', text: '', media: { kind: 'sticker', mimetype: content.stickerMessage?.mimetype ?? undefined } };
    case 'locationMessage':
    case 'liveLocationMessage':
      return { kind: 'message', text: '', media: { kind: 'location' } };
    case 'contactMessage':
    case 'contactsArrayMessage':
      return { kind: 'message', text: '', media: { kind: 'contact' } };
    case 'buttonsResponseMessage':
      return { kind: 'message', text: content.buttonsResponseMessage?.selectedDisplayText ?? '' };
    case 'templateButtonReplyMessage':
      return { kind: 'message', text: content.templateButtonReplyMessage?.selectedDisplayText ?? '' };
    case 'listResponseMessage':
      return { kind: 'message', text: content.listResponseMessage?.title ?? '' };
    default:
      return { kind: 'ignore', reason: `unsupported ${String(type)}` };
  }
}

/** Attachments worth keeping with a ticket: images and PDFs. */
export function isStorable(media: InboundMedia | undefined): boolean {
  if (!media) return false;
  if (media.kind === 'image') return true;
  return media.kind === 'document' && (media.mimetype === 'application/pdf' || /\.pdf$/i.test(media.fileName ?? ''));
}
