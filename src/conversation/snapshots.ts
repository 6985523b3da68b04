// Stored conversations outlive deploys. Each change that makes an older snapshot unreadable
// bumps ROUTER_VERSION and adds a step here that rewrites the JSON of the older version, so a
// chat in the middle of a request keeps its place; a snapshot no step can read is restarted
// politely by the engine. Steps are frozen in time: they name the old shapes, not today's code.

type Json = Record<string, unknown>;

/** Version 1 stored the form's position as indexes into each flow's steps, in this order. */
const V1_STEP_KEYS: Record<string, string[]> = {
  boleto_renewal: ['document', 'orderNumber', 'email'],
  refund: ['requester', 'document', 'orderNumber', 'reason', 'reasonText', 'purchaseDate', 'issued', 'registerAnyway', 'paymentMethod', 'pixKey'],
  appointment_advance: ['partnerId', 'customerName', 'customerCpf', 'currentDate', 'currentTime', 'wantedDate', 'period'],
  confirmation_resend: ['document', 'email', 'spamChecked', 'newEmail'],
};

function v1FormToV2(src: string, ctx: Json): Json {
  const keys = V1_STEP_KEYS[src] ?? [];
  const current = typeof ctx.current === 'number' ? ctx.current : -1;
  const answered = Array.isArray(ctx.answered) ? (ctx.answered as unknown[]).map((i) => (typeof i === 'number' ? keys[i] : undefined)).filter((k): k is string => !!k) : [];
  const { current: _c, fixing: _f, ...rest } = ctx;
  const sug = ctx.suggestion as { key: string; value: unknown; original: unknown } | null | undefined;
  const shown = (v: unknown) => (typeof v === 'string' ? v : String((v as { value?: unknown } | null)?.value ?? ''));
  return {
    ...rest,
    asking: current >= 0 ? (keys[current] ?? null) : null,
    answered,
    suggestion: sug ? { ...sug, question: `Você quis dizer *${shown(sug.value)}*? Responda *sim* ou *não*.` } : null,
  };
}

const STEPS: Record<number, (snapshot: Json) => Json> = {
  // 1 -> 2: form positions by step key instead of index (a reordered flow keeps its chats).
  1: (snapshot) => {
    const child = (snapshot.children as Json | undefined)?.flow as Json | undefined;
    const inner = child?.snapshot as Json | undefined;
    const ctx = inner?.context as Json | undefined;
    if (!child || !inner || !ctx || typeof child.src !== 'string' || !(child.src in V1_STEP_KEYS)) return snapshot;
    return { ...snapshot, children: { ...(snapshot.children as Json), flow: { ...child, snapshot: { ...inner, context: v1FormToV2(child.src, ctx) } } } };
  },
};

/** The snapshot rewritten to `target`, or null when some version in between has no step. */
export function migrateSnapshot(snapshot: Json, from: number, target: number): Json | null {
  let s = snapshot;
  for (let v = from; v < target; v++) {
    const step = STEPS[v];
    if (!step) return null;
    s = step(s);
  }
  return from > target ? null : s;
}
