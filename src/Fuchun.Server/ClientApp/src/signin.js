// The sign-in page: user name and password; a handed-over password is changed before anything else.
import { t, api, el, problemLines, session, setSession } from './common.js';

const params = new URLSearchParams(location.search);
// Only a path of this site is a place to come back to (never another origin).
const back = /^\/(?!\/)/.test(params.get('return') ?? '') ? params.get('return') : '/';
const signIn = document.getElementById('signin-form');
const change = document.getElementById('change-form');
const result = document.getElementById('signin-result');

function say(kind, ...lines) {
  result.className = kind;
  result.replaceChildren(...lines.map((line) => el('p', {}, line)));
}

function showChange(first, currentPassword) {
  signIn.hidden = true;
  change.hidden = false;
  document.getElementById('change-first').hidden = !first;
  // Just signed in with the handed-over password: it is the current one, no need to type it again.
  document.getElementById('current-label').hidden = currentPassword !== undefined;
  const current = document.getElementById('change-current');
  if (currentPassword !== undefined) current.value = currentPassword;
  document.getElementById('change-new').focus();
}

signIn.addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = document.getElementById('signin-password').value;
  try {
    const me = setSession(await api('/api/session', {
      method: 'POST',
      allowAnonymous: true,
      body: JSON.stringify({ userName: document.getElementById('signin-user').value, password }),
    }));
    if (me.mustChangePassword) showChange(true, password);
    else location.assign(back);
  } catch (error) {
    say('error', error.message);
    document.getElementById('signin-password').value = '';
  }
});

change.addEventListener('submit', async (event) => {
  event.preventDefault();
  const next = document.getElementById('change-new').value;
  if (next !== document.getElementById('change-confirm').value) {
    say('error', t('signin.mismatch'));
    return;
  }
  try {
    setSession(await api('/api/session/password', {
      method: 'POST',
      allowAnonymous: true,
      body: JSON.stringify({ current: document.getElementById('change-current').value, password: next }),
    }));
    say('ok', t('signin.changed'));
    location.assign(back);
  } catch (error) {
    say('error', ...problemLines(error));
  }
});

session().then((me) => {
  if (me.signedIn && (params.has('change') || me.mustChangePassword)) showChange(me.mustChangePassword);
  else signIn.hidden = false;
});
