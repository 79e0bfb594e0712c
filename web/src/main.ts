// The shell (header, navigation, the signed-in user, language switch) and the
// dispatch of routes to views. Each route change aborts the previous view's
// requests. Nobody signed in, or a session that has ended (any 401): the
// sign-in page instead of the view, and back to it afterwards.

import './style.css';
import { loadSession, setCsrf, signOut, whenUnauthorized, type Session } from './api';
import { destroyCharts } from './chart-registry';
import { fill, h } from './dom';
import { getLang, setLang, t, tEnum, type Key } from './i18n';
import { current, dateOf, asOfParam, href } from './router';
import { can, session, setSession } from './session';
import type { View } from './view';
import { dashboard } from './views/dashboard';
import { formsView } from './views/forms';
import { membersView } from './views/members';
import { narrativeView } from './views/plans'; // plans
import { orgsView } from './views/orgs';
import { partyView } from './views/party'; // party
import { printView } from './views/print';
import { servicesView } from './views/services'; // services
import { signInPage } from './views/signin';
import { unitsView } from './views/units';
import { cadresView } from './views/cadres'; // cadres

const ROUTES: Record<string, View> = {
  dashboard, units: unitsView, orgs: orgsView, members: membersView, forms: formsView, print: printView,
  cadres: cadresView, // cadres
  narrative: narrativeView, // plans
  services: servicesView, // services
  party: partyView, // party
};
const NAV: [string, Key][] = [
  ['dashboard', 'nav.dashboard'], ['units', 'nav.units'], ['orgs', 'nav.orgs'], ['members', 'nav.members'],
  ['party', 'nav.party'], ['cadres', 'nav.cadres'], ['forms', 'nav.forms'],
  ['services', 'nav.services'], ['narrative', 'nav.narrative'],
];

/** The views a role may open: the forms only with a permission to write. */
const allowed = (path: string): boolean => path !== 'forms' || can('write_registry') || can('write_units');

const app = document.getElementById('app')!;
const main = h('main', { id: 'main', tabindex: -1 });
const nav = h('nav', { class: 'nav', 'aria-label': t('nav.label') });
const header = h('header', { class: 'top' });
let controller: AbortController | null = null;
let firstRender = true;

function drawShell(): void {
  setLang(getLang());
  const route = current();
  const name = route.parts[0] ?? 'dashboard';
  const asOf = asOfParam(dateOf(route));
  const s = session();
  nav.setAttribute('aria-label', t('nav.label'));
  fill(nav, s ? h('ul', null, NAV.filter(([path]) => allowed(path)).map(([path, key]) => h('li', null,
    h('a', { href: href(path, path === 'forms' ? {} : { as_of: asOf }), 'aria-current': name === path ? 'page' : null }, t(key))))) : null);
  fill(header,
    h('div', { class: 'top-inner' },
      h('a', { class: 'brand', href: href('dashboard', { as_of: asOf }) },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '★'),
        h('span', { class: 'brand-text' }, h('strong', null, t('app.title')), h('small', null, t('app.subtitle')))),
      nav,
      s ? h('div', { class: 'who', id: 'who' },
        h('span', { class: 'who-name' }, s.user),
        h('span', { class: 'who-role', 'data-role': s.role },
          tEnum('role', s.role), s.scope_units.length ? ` · ${s.scope_units.map((u) => u.name).join(', ')}` : ''),
        h('button', { type: 'button', class: 'lang', id: 'sign-out', onclick: () => void endSession() }, t('user.signOut'))) : null,
      h('button', {
        type: 'button', class: 'lang', lang: getLang() === 'vi' ? 'en' : 'vi', 'aria-label': t('lang.switchLabel'),
        onclick: () => { setLang(getLang() === 'vi' ? 'en' : 'vi'); if (session()) void render(); else showSignIn(false); },
      }, t('lang.switch'))));
}

/** The sign-in page; afterwards, the view the address names. */
function showSignIn(ended: boolean): void {
  controller?.abort();
  destroyCharts();
  setSession(null);
  drawShell();
  document.body.dataset.view = 'signin';
  document.title = `${t('signin.title')} · ${t('app.title')}`;
  signInPage(main, ended, (s: Session) => { setSession(s); setCsrf(s.csrf); void render(); });
}

async function endSession(): Promise<void> {
  await signOut().catch(() => undefined);
  showSignIn(false);
}

async function render(): Promise<void> {
  if (!session()) return;
  controller?.abort();
  destroyCharts();
  controller = new AbortController();
  const route = current();
  const name = route.parts[0] ?? 'dashboard';
  const view = allowed(name) ? ROUTES[name] ?? dashboard : dashboard;
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
  drawShell();
  document.body.dataset.view = name;
  const setTitle = (title: string) => { document.title = `${title} · ${t('app.title')}`; };
  setTitle(t(NAV.find(([p]) => p === name)?.[1] ?? 'nav.dashboard'));
  const done = view({ main, route, signal: controller.signal, setTitle });
  if (focusKey) (main.querySelector(`[data-key="${CSS.escape(focusKey)}"]`) as HTMLElement | null)?.focus();
  else if (!firstRender) (main.querySelector('#page-title') as HTMLElement | null ?? main).focus({ preventScroll: true });
  if (!focusKey && !firstRender) window.scrollTo(0, 0);
  firstRender = false;
  await done;
}

fill(app,
  h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, t('app.skip')),
  header, main,
  h('footer', { class: 'foot' }, h('p', null, 'coso · ', t('app.subtitle'))));
window.addEventListener('hashchange', () => void render());
// Any 401 (the session ended: signed out elsewhere, idle, revoked): sign in again.
whenUnauthorized(() => { if (session()) showSignIn(true); });
loadSession().then((s) => {
  if (!s) { showSignIn(false); return; }
  setSession(s);
  void render();
}).catch(() => {
  fill(main, h('div', { class: 'alert alert-error', role: 'alert' }, t('common.networkError')));
});
