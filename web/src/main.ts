// The shell (header, navigation, language switch) and the dispatch of routes
// to views. Each route change aborts the previous view's requests.

import './style.css';
import { destroyCharts } from './chart-registry';
import { fill, h } from './dom';
import { getLang, setLang, t, type Key } from './i18n';
import { current, dateOf, asOfParam, href } from './router';
import type { View } from './view';
import { dashboard } from './views/dashboard';
import { formsView } from './views/forms';
import { membersView } from './views/members';
import { orgsView } from './views/orgs';
import { printView } from './views/print';
import { unitsView } from './views/units';

const ROUTES: Record<string, View> = {
  dashboard, units: unitsView, orgs: orgsView, members: membersView, forms: formsView, print: printView,
};
const NAV: [string, Key][] = [
  ['dashboard', 'nav.dashboard'], ['units', 'nav.units'], ['orgs', 'nav.orgs'], ['members', 'nav.members'], ['forms', 'nav.forms'],
];

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
  nav.setAttribute('aria-label', t('nav.label'));
  fill(nav, h('ul', null, NAV.map(([path, key]) => h('li', null,
    h('a', { href: href(path, path === 'forms' ? {} : { as_of: asOf }), 'aria-current': name === path ? 'page' : null }, t(key))))));
  fill(header,
    h('div', { class: 'top-inner' },
      h('a', { class: 'brand', href: href('dashboard', { as_of: asOf }) },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '★'),
        h('span', { class: 'brand-text' }, h('strong', null, t('app.title')), h('small', null, t('app.subtitle')))),
      nav,
      h('button', {
        type: 'button', class: 'lang', lang: getLang() === 'vi' ? 'en' : 'vi', 'aria-label': t('lang.switchLabel'),
        onclick: () => { setLang(getLang() === 'vi' ? 'en' : 'vi'); render(); },
      }, t('lang.switch'))));
}

async function render(): Promise<void> {
  controller?.abort();
  destroyCharts();
  controller = new AbortController();
  const route = current();
  const name = route.parts[0] ?? 'dashboard';
  const view = ROUTES[name] ?? dashboard;
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
void render();
