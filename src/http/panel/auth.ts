import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DUMMY_HASH, randomSecret, safeEqual, verifyPassword } from '../../staff/passwords.js';
import {
  clearFailures, createSession, deleteSession, findSession, findUserByEmail, normalizeEmail, releaseAttempt, reserveAttempt,
} from '../../staff/users.js';
import { setStaff, staffOf, type PanelContext } from './context.js';
import { loginPage } from './views/login.js';

// Sessions (HttpOnly, SameSite=Lax, Secure over HTTPS, expiring), CSRF tokens, and log-in
// throttling per account and per IP address.

export const SESSION_COOKIE = 'ic_session';
export const LOGIN_CSRF_COOKIE = 'ic_login_csrf';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (!k || k in out) continue;
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

function cookieOptions(req: Request, maxAgeMs?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/', ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

/** A relative path on this site, or the queue (no open redirects). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 500 ? next : '/fila';
}

/** Rejects cross-site requests that announce their origin (defence in depth on top of the tokens). */
function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/** Pages: loads the session or redirects to the log-in page. */
export function requireSession(ctx: PanelContext): RequestHandler {
  return (req, res, next) => {
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const found = cookie ? findSession(ctx.db, cookie, ctx.clock(), ctx.panel.sessionIdleMs) : undefined;
    if (!found) {
      if (cookie) res.clearCookie(SESSION_COOKIE, cookieOptions(req));
      if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
      return res.status(401).type('text/plain').send('Sessão expirada: entre novamente.');
    }
    setStaff(req, { user: found.user, session: found.session });
    res.set('Cache-Control', 'no-store');
    next();
  };
}

/** Every state-changing page request carries the session's CSRF token (form field or header). */
export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const session = staffOf(req)?.session;
  const sent = (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined) ?? req.get('x-csrf-token') ?? '';
  if (!session || !sameOrigin(req) || !sent || !safeEqual(sent, session.csrf_token)) {
    res.status(403).type('text/plain').send('Falha de verificação de segurança (CSRF). Recarregue a página e tente de novo.');
    return;
  }
  next();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function loginRoutes(ctx: PanelContext) {
  const view = (req: Request) => ({ timeZone: ctx.config.timezone, now: ctx.clock(), slaHours: ctx.panel.slaHours, requests: ctx.requests });

  const showLogin = (req: Request, res: Response, status = 200, error?: string, email?: string) => {
    // Reused while the cookie lives: a second tab (or a stray favicon request) must not invalidate the first form.
    const existing = parseCookies(req.headers.cookie)[LOGIN_CSRF_COOKIE];
    const token = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomSecret();
    res.cookie(LOGIN_CSRF_COOKIE, token, cookieOptions(req, 30 * 60_000));
    res.set('Cache-Control', 'no-store');
    res.status(status).type('html').send(loginPage({ ...view(req), loginCsrf: token, next: safeNext(req.query.next ?? req.body?.next), email, error }));
  };

  const get: RequestHandler = (req, res) => showLogin(req, res);

  const post: RequestHandler = async (req, res, next) => {
    try {
      const { db, panel, logger } = ctx;
      const cookieToken = parseCookies(req.headers.cookie)[LOGIN_CSRF_COOKIE] ?? '';
      const formToken = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
      if (!cookieToken || !formToken || !safeEqual(cookieToken, formToken) || !sameOrigin(req)) {
        return showLogin(req, res, 403, 'A página de entrada expirou. Tente de novo.');
      }
      const email = normalizeEmail(typeof req.body.email === 'string' ? req.body.email.slice(0, 200) : '');
      const password = typeof req.body.password === 'string' ? req.body.password.slice(0, 1000) : '';
      const ip = req.ip ?? 'unknown';
      const accountKey = `email:${email}`;
      const ipKey = `ip:${ip}`;
      const now = ctx.clock();
      const windowMs = panel.loginLockMs;
      const accountPolicy = { maxFailures: panel.loginMaxFailuresAccount, lockMs: panel.loginLockMs, windowMs };
      const ipPolicy = { maxFailures: panel.loginMaxFailuresIp, lockMs: panel.loginLockMs, windowMs };
      // Counted before the (slow) password check, so parallel guesses cannot get past the limit.
      const slot = reserveAttempt(db, [{ key: accountKey, policy: accountPolicy }, { key: ipKey, policy: ipPolicy }], now);
      if (slot.lockedMs > 0) {
        logger.warn({ ip }, 'staff log-in refused: locked');
        return showLogin(req, res, 429, `Muitas tentativas sem sucesso. O acesso está bloqueado por ${Math.ceil(slot.lockedMs / 60_000)} min.`, email);
      }
      const [n, m] = slot.failures;
      const user = email ? findUserByEmail(db, email) : undefined;
      const ok = (await verifyPassword(password, user?.password_hash ?? DUMMY_HASH)) && !!user && user.active === 1;
      if (!ok || !user) {
        logger.warn({ ip, failures: n, ipFailures: m }, 'staff log-in failed');
        const delay = Math.min(3000, panel.loginDelayMs * Math.max(0, Math.max(n, m / 4) - 2));
        if (delay > 0) await sleep(delay);
        if (n >= panel.loginMaxFailuresAccount || m >= panel.loginMaxFailuresIp) {
          return showLogin(req, res, 429, `Muitas tentativas sem sucesso. O acesso está bloqueado por ${Math.ceil(panel.loginLockMs / 60_000)} min.`, email);
        }
        return showLogin(req, res, 401, 'E-mail ou senha incorretos.', email);
      }
      releaseAttempt(db, ipKey, ipPolicy);
      clearFailures(db, accountKey);
      const { cookie } = createSession(db, user.id, now, panel.sessionTtlMs);
      res.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
      res.cookie(SESSION_COOKIE, cookie, cookieOptions(req, panel.sessionTtlMs));
      logger.info({ userId: user.id, role: user.role }, 'staff logged in');
      res.redirect(303, safeNext(req.body.next));
    } catch (err) {
      next(err);
    }
  };

  const logout: RequestHandler = (req, res) => {
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (cookie) deleteSession(ctx.db, cookie);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    ctx.logger.info({ userId: staffOf(req)?.user.id }, 'staff logged out');
    res.redirect(303, '/login');
  };

  return { get, post, logout };
}
