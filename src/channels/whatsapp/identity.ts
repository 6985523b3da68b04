import { isLidUser, isPnUser, jidDecode, jidNormalizedUser, type WAMessageKey } from '@whiskeysockets/baileys';
import type { Db } from '../../db/database.js';
import { storedPnForLid } from './auth-state.js';

// One person, one conversation: WhatsApp 7 may address the same person by phone number
// (5511...@s.whatsapp.net) or by an opaque LID (...@lid). We tie both together from the key's
// Alt fields, Baileys' lid-mapping store and every pair seen, and keep the first chat id a
// person got, so a customer who later shows up by LID (or by phone) stays in the same chat.

export interface Identity {
  /** Conversation key: phone digits when known at first contact, else "lid:<lid>". */
  chatId: string;
  phone: string | null;
  lid: string | null;
  /** The address to reply to (as the person wrote from, without device suffix). */
  jid: string;
}

const userOf = (jid: string | undefined | null): string | null => (jid ? (jidDecode(jid)?.user ?? null) : null);

/** The PN/LID pair of a 1:1 message key. */
export function addressesOf(key: WAMessageKey): { primary: string; pnJid?: string; lidJid?: string } {
  const primary = jidNormalizedUser(key.remoteJid ?? '');
  const alt = key.remoteJidAlt ? jidNormalizedUser(key.remoteJidAlt) : undefined;
  const both = [primary, alt].filter((j): j is string => !!j);
  return { primary, pnJid: both.find((j) => isPnUser(j)), lidJid: both.find((j) => isLidUser(j)) };
}

export async function resolveIdentity(
  db: Db,
  account: string,
  key: WAMessageKey,
  lookupPnForLid?: (lidJid: string) => Promise<string | null>,
): Promise<Identity> {
  const { primary, pnJid, lidJid } = addressesOf(key);
  let phone = userOf(pnJid);
  const lid = userOf(lidJid);
  if (!phone && lid) {
    let pn: string | null = null;
    try {
      pn = lookupPnForLid ? await lookupPnForLid(lidJid!) : null;
    } catch {
      pn = null;
    }
    phone = userOf(pn) ?? storedPnForLid(db, account, lid);
  }
  return { chatId: findChatId(db, phone, lid) ?? (phone ?? `lid:${lid}`), phone, lid, jid: primary };
}

/** The existing chat of a person known by phone and/or LID, if any. */
export function findChatId(db: Db, phone: string | null, lid: string | null): string | undefined {
  const q = db.kysely.selectFrom('whatsapp_chats').select('chat_id');
  if (lid) {
    const byLid = db.first(q.where('lid', '=', lid)) ?? db.first(q.where('chat_id', '=', `lid:${lid}`));
    if (byLid) return byLid.chat_id;
  }
  if (phone) {
    const byPhone = db.first(q.where('phone', '=', phone)) ?? db.first(q.where('chat_id', '=', phone));
    if (byPhone) return byPhone.chat_id;
    const contact = db.first(db.kysely.selectFrom('contacts').select('chat_id').where('phone', '=', phone).orderBy('id').limit(1));
    if (contact) return contact.chat_id;
  }
  if (lid) {
    const contact = db.first(db.kysely.selectFrom('contacts').select('chat_id').where('lid', '=', lid).orderBy('id').limit(1));
    if (contact) return contact.chat_id;
  }
  return undefined;
}

/** Records that this person wrote to us (replies go to `jid`), tying phone and LID together. */
export function rememberChat(db: Db, id: Identity, nowIso: string): void {
  db.run(
    db.kysely
      .insertInto('whatsapp_chats')
      .values({ chat_id: id.chatId, jid: id.jid, phone: id.phone, lid: id.lid, first_inbound_at: nowIso, last_inbound_at: nowIso })
      .onConflict((oc) =>
        oc.column('chat_id').doUpdateSet((eb) => ({
          jid: id.jid,
          phone: eb.fn.coalesce(eb.val(id.phone), eb.ref('whatsapp_chats.phone')),
          lid: eb.fn.coalesce(eb.val(id.lid), eb.ref('whatsapp_chats.lid')),
          last_inbound_at: nowIso,
        })),
      ),
  );
}

/**
 * A PN↔LID pair learned later (Baileys' `lid-mapping.update`, history sync): a person known
 * only by LID gets their phone number, on our chat and on the contact, so flows can recognise
 * a partner registered by phone.
 */
export function learnMapping(db: Db, pnJid: string, lidJid: string): number {
  const phone = userOf(pnJid);
  const lid = userOf(lidJid);
  if (!phone || !lid || !isPnUser(jidNormalizedUser(pnJid)) || !isLidUser(jidNormalizedUser(lidJid))) return 0;
  return db.transaction(() => {
    const chats = db.all(db.kysely.selectFrom('whatsapp_chats').select('chat_id').where((eb) => eb.or([eb('lid', '=', lid), eb('chat_id', '=', `lid:${lid}`)])));
    db.run(db.kysely.updateTable('whatsapp_chats').set({ phone }).where('phone', 'is', null).where((eb) => eb.or([eb('lid', '=', lid), eb('chat_id', '=', `lid:${lid}`)])));
    const ids = chats.map((c) => c.chat_id);
    let changed = 0;
    changed += db.run(db.kysely.updateTable('contacts').set({ phone }).where('phone', 'is', null).where('lid', '=', lid)).changes;
    if (ids.length) changed += db.run(db.kysely.updateTable('contacts').set({ phone, lid }).where('phone', 'is', null).where('chat_id', 'in', ids)).changes;
    return changed;
  });
}

/** The phone number (digits) of a chat, when known: for flows and staff looking people up by phone. */
export function resolvePhoneForChat(db: Db, chatId: string): string | null {
  const chat = db.first(db.kysely.selectFrom('whatsapp_chats').select('phone').where('chat_id', '=', chatId));
  if (chat?.phone) return chat.phone;
  const contact = db.first(db.kysely.selectFrom('contacts').select('phone').where('chat_id', '=', chatId));
  if (contact?.phone) return contact.phone;
  return /^\d{10,15}$/.test(chatId) ? chatId : null;
}
