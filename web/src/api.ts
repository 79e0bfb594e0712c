// The client of docs/API.md: typed answers, problem+json errors, a small
// cache of GET answers (poor connections: going back to a page costs nothing)
// that every write clears, and the session (docs/SECURITY.md): the cookie is
// the browser's (HttpOnly: no script reads it); every POST carries the
// session's CSRF token; a 401 anywhere hands over to the sign-in page.

export interface Ref { code: string; name: string }
export interface Counts { total: number; with_org: number }
export interface VillageCounts extends Counts { without_org: number; without_member: number }
export interface MemberCounts { total: number; probationary: number; official: number }
export interface Figures {
  code?: string;
  name?: string;
  villages: VillageCounts;
  schools: Counts;
  health_stations: Counts;
  members: MemberCounts;
}
export interface UnitsProfile {
  districts: number;
  communes: number;
  communes_by_kind: Record<string, number>;
  villages: number;
  border_communes: number;
  difficult_communes: number;
  difficult_villages: number;
  population: number | null;
}
export interface AsOfReport extends Figures {
  as_of: string;
  scope: Ref;
  children: (Figures & Ref)[];
  units?: UnitsProfile;
}
export interface CompareReport { before: AsOfReport; after: AsOfReport }
export interface FlowReport {
  from: string;
  to: string;
  scope: Ref;
  admissions: { total: number; commune_level: number };
  orgs_founded: Record<string, number>;
  orgs_dissolved: Record<string, number>;
}
export interface TimelinePoint { date: string; villages_total: number; villages_without_org: number; villages_without_member: number; members_total: number }
export interface AdmissionPoint { from: string; to: string; total: number; commune_level: number }

export interface Unit {
  code: string; name: string; level: string; kind: string; parent_code: string | null;
  border: boolean | number; difficult: boolean | number; population: number | null;
  valid_from?: string | null; valid_to?: string | null;
}
export interface Institution { code: string; name: string; kind: string; unit_code: string; valid_from: string | null; valid_to: string | null; has_org?: boolean }
export interface Org {
  code: string; name: string; kind: string; grassroots: boolean | number; parent_code: string | null;
  site_unit: string | null; site_institution: string | null; members?: number;
  valid_from?: string | null; valid_to?: string | null;
}
export interface Member {
  id: string; full_name: string; gender: string; birth_date: string; ethnicity: string;
  admitted_on: string; official_on: string | null; ended_on: string | null; end_reason: string | null;
  status: string; org: Ref | null; residence: Ref | null;
}
/** A page of a list; total_exact false (members): total is a lower bound, the list goes on. */
export interface Page<T> { items: T[]; page: number; per_page: number; total: number; total_exact?: boolean }
export interface UnitDetail { unit: Unit | null; ancestors: { code: string; name: string; level: string }[]; children: Unit[]; history: Unit[]; institutions: Institution[]; orgs: Org[] }
export interface OrgDetail { org: Org | null; ancestors: { code: string; name: string }[]; children: Org[]; history: Org[]; members: number }
export interface MemberEvent { date: string; kind: string; [k: string]: unknown }
export interface MemberDetail {
  member: Member;
  periods: { valid_from: string; valid_to: string | null; org: Ref | null; residence: Ref | null }[];
  events: MemberEvent[];
}

export interface Session {
  user: string;
  role: string;
  role_title: string;
  scope: string | null;
  scope_units: Ref[];
  permissions: string[];
  csrf: string;
  idle_timeout: number;
  lifetime: number;
}

export interface FieldError { field?: string; message: string }
export interface Problem { type?: string; title?: string; status: number; detail?: string; errors?: FieldError[] }

/** An answer other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(public status: number, public problem: Problem, public retryAfter = 0) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
}

/* The session's CSRF token (sent as X-CSRF-Token on every POST), and who to
 * tell when the server answers 401 (the session ended). */
let csrf = '';
let onUnauthorized: (() => void) | null = null;
export function setCsrf(token: string): void { csrf = token; }
export function whenUnauthorized(f: () => void): void { onUnauthorized = f; }

async function failure(res: Response): Promise<ApiError> {
  const err = new ApiError(res.status, await problemOf(res), Number(res.headers.get('retry-after')) || 0);
  if (res.status === 401) {
    cache.clear();
    csrf = '';
    onUnauthorized?.();
  }
  return err;
}

export type Params = Record<string, string | number | boolean | null | undefined>;

const BASE = 'api/v1';
const cache = new Map<string, { at: number; value: unknown }>();
const CACHE_MS = 5 * 60 * 1000;

/** Parameters whose empty value means something (`parent=`: the top of the tree). */
const KEEP_EMPTY = new Set(['parent']);

export function url(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || (v === '' && !KEEP_EMPTY.has(k))) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return `${BASE}/${path.replace(/^\//, '')}${s ? `?${s}` : ''}`;
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = await res.json();
    if (body && typeof body === 'object') return { status: res.status, ...body };
  } catch { /* not JSON */ }
  return { status: res.status, title: res.statusText };
}

export async function get<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const u = url(path, params);
  const hit = cache.get(u);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as T;
  let res: Response;
  try {
    res = await fetch(u, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { status: 0, title: 'network' });
  }
  if (!res.ok) throw await failure(res);
  const value = (await res.json()) as T;
  cache.set(u, { at: Date.now(), value });
  if (cache.size > 300) cache.delete(cache.keys().next().value as string);
  return value;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { status: 0, title: 'network' });
  }
  cache.clear();
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** The signed-in session, or null (401: nobody is signed in). */
export async function loadSession(): Promise<Session | null> {
  let res: Response;
  try {
    res = await fetch(url('session'), { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { status: 0, title: 'network' });
  }
  if (res.status === 401) return null;
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  const s = (await res.json()) as Session;
  csrf = s.csrf;
  return s;
}

/** Signs in (the server sets the cookie); 401 wrong, 403 disabled, 429 throttled. */
export async function signIn(user: string, password: string): Promise<Session> {
  let res: Response;
  try {
    res = await fetch(url('session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ user, password }),
    });
  } catch {
    throw new ApiError(0, { status: 0, title: 'network' });
  }
  cache.clear();
  if (!res.ok) throw new ApiError(res.status, await problemOf(res), Number(res.headers.get('retry-after')) || 0);
  const s = (await res.json()) as Session;
  csrf = s.csrf;
  return s;
}

/** Ends the session (the server forgets it and clears the cookie). */
export async function signOut(): Promise<void> {
  try {
    await fetch(url('session/end'), { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': csrf } });
  } finally {
    cache.clear();
    csrf = '';
  }
}

export const isAbort = (e: unknown): boolean => (e as Error)?.name === 'AbortError';
