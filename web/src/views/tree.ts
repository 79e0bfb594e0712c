// A lazily loaded tree (disclosure buttons in nested lists): each level is
// asked for when it is opened, so browsing a province costs a few small answers.

import { isAbort } from '../api';
import { fill, h, icon, type Child } from '../dom';
import { t } from '../i18n';
import { errorBox, loading } from '../widgets';

export interface TreeSpec<T> {
  load(parent: string): Promise<T[]>;
  code(item: T): string;
  name(item: T): string;
  hasChildren(item: T): boolean;
  row(item: T): Child;
}

export function lazyTree<T>(spec: TreeSpec<T>, open: Set<string>): HTMLElement {
  const root = h('ul', { class: 'tree' });
  void level(root, '', spec, open);
  return root;
}

async function level<T>(ul: HTMLElement, parent: string, spec: TreeSpec<T>, open: Set<string>): Promise<void> {
  fill(ul, h('li', null, loading()));
  let items: T[];
  try {
    items = await spec.load(parent);
  } catch (e) {
    if (!isAbort(e)) fill(ul, h('li', null, errorBox(e, () => void level(ul, parent, spec, open))));
    return;
  }
  // A single root (the province) is opened at once: there is nothing else to choose.
  if (!parent && items.length === 1) open.add(spec.code(items[0]));
  fill(ul, items.map((it) => node(it, spec, open)));
}

function node<T>(it: T, spec: TreeSpec<T>, open: Set<string>): HTMLElement {
  const code = spec.code(it);
  const li = h('li', { class: 'tree-node', 'data-code': code });
  if (!spec.hasChildren(it)) {
    fill(li, h('div', { class: 'tree-row leaf' }, h('span', { class: 'tree-pad', 'aria-hidden': 'true' }), spec.row(it)));
    return li;
  }
  const sub = h('ul', { class: 'tree', hidden: true });
  const btn = h('button', {
    type: 'button', class: 'tree-toggle', 'aria-expanded': 'false', 'aria-label': t('units.expand', { name: spec.name(it) }),
  }, icon('chevron'));
  let loaded = false;
  const toggle = (show: boolean) => {
    btn.setAttribute('aria-expanded', String(show));
    btn.setAttribute('aria-label', t(show ? 'units.collapse' : 'units.expand', { name: spec.name(it) }));
    sub.hidden = !show;
    if (show) open.add(code); else open.delete(code);
    if (show && !loaded) { loaded = true; void level(sub, code, spec, open); }
  };
  btn.addEventListener('click', () => toggle(sub.hidden));
  fill(li, h('div', { class: 'tree-row' }, btn, spec.row(it)), sub);
  if (open.has(code)) toggle(true);
  return li;
}
