import type { AnyStateMachine } from 'xstate';
import { createFormMachine, formAccepts, type FormDeps, type FormDefinition, type Step } from './conversation/form.js';
import type { FlowDefinition } from './conversation/flow.js';
import type { Team, Ticket } from './db/schema.js';
import type { RequestPhrasings } from './faq/knowledge.js';
import type { FlowServices } from './tickets/services.js';

// A request type lives in one place: its file in flows/ declares everything about it — the
// conversation (a form, or a machine of its own), the team, how it is offered and started,
// what staff read on the ticket, how long it takes, its SLA, the messages staff send when
// closing it, what the search finds it by. Everything else (ticket types, menus, labels, SLA
// tables, templates, the matcher's request labels, faq check) is derived from the registry.

interface RequestBase {
  /** The ticket type, e.g. 'refund' (lower case, digits, underscores). */
  id: string;
  team: Team;
  /** The type as staff and status replies name it: "Estorno". */
  title: string;
  /** The request in a sentence: "pedido de estorno" ("Voltando ao seu pedido de estorno"). */
  called: string;
  /** Entry in the "Solicitações" menu, in registration order; none: not listed. */
  menuTitle?: string;
  /** The word for it in the main menu's line "Solicitações (boleto, estorno, ...)". */
  menuShort?: string;
  /** Phrasings that start it from free text ("quero um boleto novo"): the matcher's training examples. */
  examples: string[];
  /**
   * Words that name this request (folded text: lower case, no accents). With a request verb
   * ("quero", "preciso", "gostaria de solicitar") they start it even when a long message leaves
   * the matcher unsure, and inside another request they switch to it.
   */
  cues?: RegExp;
  /** Told to the customer when the ticket opens: "até 5 dias úteis". */
  expectedTime: string;
  /** Target for the panel's SLA colours, in (business) hours; PANEL_SLA_HOURS overrides it. */
  slaHours: number;
  /** Staff labels for ticket fields that are not questions of the form (checks, notes). */
  labels?: Record<string, string>;
  /** Staff labels for stored codes of those fields: { withinPolicy: { true: 'sim' } }. */
  valueLabels?: Record<string, Record<string, string>>;
  /** The messages staff start from when closing a ticket (WhatsApp formatting; [brackets] to fill). */
  templates: { resolved(t: Ticket): string; rejected(t: Ticket): string };
}

/** What a request with a machine of its own (the hand-over) gets to build it. */
export interface MachineDeps {
  services: FlowServices;
  handoffTimeoutMs: number;
}

export type RequestType = RequestBase &
  (
    | { form: FormDefinition; machine?: never }
    | { machine(deps: MachineDeps): AnyStateMachine; form?: never }
  );

/** Type-checks a declaration in flows/ (the compiler names any missing piece). */
export function defineRequest<T extends RequestType>(r: T): T {
  return r;
}

const ID = /^[a-z][a-z0-9_]*$/;

// Fields several requests share, as staff read them (a hand-over carries them from any request).
const COMMON_LABELS: Record<string, string> = {
  reason: 'Motivo', request: 'Solicitação de origem', document: 'CPF/CNPJ', orderNumber: 'Pedido', email: 'E-mail', attachments: 'Anexos',
};

/** The registered request types and everything derived from them. */
export class RequestRegistry {
  private readonly byId = new Map<string, RequestType>();

  constructor(readonly all: readonly RequestType[]) {
    for (const r of all) {
      if (!ID.test(r.id)) throw new Error(`tipo de solicitação "${r.id}": use minúsculas, números e _ (ex.: change_phone)`);
      if (this.byId.has(r.id)) throw new Error(`tipo de solicitação "${r.id}" registrado duas vezes em flows/index.ts`);
      if (!(r.slaHours > 0)) throw new Error(`tipo de solicitação "${r.id}": slaHours deve ser positivo`);
      this.byId.set(r.id, r);
    }
  }

  get(id: string): RequestType | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** The team of a ticket type (a type no longer registered, found on an old ticket: support). */
  team(id: string): Team {
    return this.byId.get(id)?.team ?? 'support';
  }

  title(id: string): string {
    return this.byId.get(id)?.title ?? id;
  }

  /** The "Solicitações" menu, in registration order. */
  menu(): RequestType[] {
    return this.all.filter((r) => r.menuTitle);
  }

  /** "boleto, estorno, antecipação, e-mail de confirmação" for the main menu. */
  menuLine(): string {
    return this.menu().map((r) => r.menuShort ?? r.title.toLowerCase()).join(', ');
  }

  slaHours(): Record<string, number> {
    return Object.fromEntries(this.all.map((r) => [r.id, r.slaHours]));
  }

  phrasings(): RequestPhrasings[] {
    return this.all.map((r) => ({ id: r.id, examples: r.examples }));
  }

  private step(type: string, key: string): Step | undefined {
    const own = this.byId.get(type)?.form?.steps.find((s) => s.key === key);
    if (own) return own;
    for (const r of this.all) {
      const s = r.form?.steps.find((x) => x.key === key);
      if (s) return s;
    }
    return undefined;
  }

  /** How staff read a ticket field: the question's label, or the request's own label for it. */
  fieldLabel(type: string, key: string): string {
    return this.byId.get(type)?.labels?.[key] ?? this.step(type, key)?.label ?? this.all.find((r) => r.labels?.[key])?.labels?.[key] ?? COMMON_LABELS[key] ?? key;
  }

  /** How staff read a stored code ("desistencia" -> "Desisti da compra"); undefined: show as is. */
  valueLabel(type: string, key: string, value: unknown): string | undefined {
    const own = this.byId.get(type)?.valueLabels?.[key]?.[String(value)];
    if (own) return own;
    return this.step(type, key)?.options?.find((o) => o.value === value)?.label;
  }

  template(t: Ticket, outcome: 'resolved' | 'rejected'): string {
    const r = this.byId.get(t.type);
    if (!r) return outcome === 'resolved' ? `Olá! Sua solicitação foi concluída. Protocolo *${t.protocol}*.` : `Olá! Não foi possível atender sua solicitação. Protocolo *${t.protocol}*.`;
    return outcome === 'resolved' ? r.templates.resolved(t) : r.templates.rejected(t);
  }

  /** The router's flows: a form machine for form requests, the request's own machine otherwise. */
  flows(deps: { form: FormDeps; machine: MachineDeps }): FlowDefinition[] {
    return this.all.map((r) => ({
      id: r.id,
      menuTitle: r.menuTitle,
      cues: r.cues,
      accepts: r.form ? (chatId: string, text: string, at: number) => formAccepts(r.form!, deps.form, chatId, text, at) : undefined,
      machine: r.form ? createFormMachine({ id: r.id, team: r.team, called: r.called, form: r.form }, deps.form) : r.machine!(deps.machine),
    }));
  }
}
