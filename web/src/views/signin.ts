// The sign-in page (docs/SECURITY.md). Shown instead of any view while
// nobody is signed in, and when the server says the session has ended (401);
// after signing in, the user is back where they were going.

import { ApiError, signIn, type Session } from '../api';
import { fill, h, icon } from '../dom';
import { t } from '../i18n';

export function signInPage(main: HTMLElement, ended: boolean, done: (s: Session) => void): void {
  const user = h('input', { id: 'signin-user', name: 'username', type: 'text', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true });
  const message = h('div', { class: 'signin-message', 'aria-live': 'assertive' },
    ended ? h('div', { class: 'alert alert-warn', role: 'status' }, icon('alert'), h('p', null, t('signin.ended'))) : null);
  const submit = h('button', { type: 'submit', class: 'button primary big' }, t('signin.submit'));
  const form = h('form', { class: 'signin-form', 'aria-labelledby': 'page-title', novalidate: true },
    message,
    h('div', { class: 'field' }, h('label', { for: 'signin-user' }, t('signin.user')), user),
    h('div', { class: 'field' }, h('label', { for: 'signin-password' }, t('signin.password')), password),
    h('div', { class: 'form-actions' }, submit));

  const say = (text: string) => fill(message, h('div', { class: 'alert alert-error', role: 'alert' }, icon('alert'), h('p', null, text)));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!user.value.trim() || !password.value) { say(t('signin.missing')); (user.value.trim() ? password : user).focus(); return; }
    submit.disabled = true;
    submit.textContent = t('signin.signingIn');
    try {
      const s = await signIn(user.value.trim(), password.value);
      password.value = '';
      done(s);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 401) say(t('signin.wrong'));
      else if (status === 429) say(t('signin.throttled', { n: Math.max(1, Math.ceil(((err as ApiError).retryAfter || 900) / 60)) }));
      else if (status === 403) say(t('signin.disabled'));
      else if (status === 0) say(t('common.networkError'));
      else say((err as Error).message);
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('signin.submit');
    }
  });

  fill(main,
    h('div', { class: 'signin' },
      h('section', { class: 'panel signin-panel' },
        h('p', { class: 'eyebrow' }, t('app.subtitle')),
        h('h1', { id: 'page-title', tabindex: -1 }, t('signin.title')),
        h('p', { class: 'lead' }, t('signin.lead')),
        form)));
  user.focus();
}
