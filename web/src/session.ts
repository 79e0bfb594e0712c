// Who is signed in (docs/SECURITY.md): the session the server answered, and
// what its role may do. The interface shows only what the role allows; the
// server checks every request anyway (a hidden button is a courtesy, not a
// lock).

import type { Session } from './api';

let current: Session | null = null;

export const session = (): Session | null => current;
export function setSession(s: Session | null): void { current = s; }

/** Whether the signed-in role holds a permission: read, write_registry, write_units, admin. */
export const can = (perm: string): boolean => Boolean(current?.permissions.includes(perm));
