// The unsubscribe page of a campaign mail (/unsubscribe/<token>, the link in
// every campaign mail): no login and no menu (app.js shows it before asking
// for a session). It names the campaign and offers one button; the POST
// withdraws the party's e-mail and newsletter consent (the same as the
// one-click List-Unsubscribe of RFC 8058) and the page says so plainly. An
// unknown link is said plainly too. Dutch or English by the browser
// (switchable here).

import { h, fill } from '../dom.js';
import { t, otherLang, setLang } from '../i18n.js';
import { api } from '../api.js';
import { errorText } from '../forms.js';
import { loading } from '../ui.js';

function problemText(e) {
  if (e.status === 404) return t('campaign.unsub_unknown');
  return errorText(e);
}

export async function render(main, ctx) {
  const token = ctx.params[0];
  ctx.setTitle(t('campaign.unsub_title'));
  fill(main, loading());
  const lang = h('button', { type: 'button', class: 'link-btn', id: 'lang-switch', lang: otherLang(),
    onclick: async () => { await setLang(otherLang()); ctx.rerender(); } }, t('lang.other'));
  const page = (...content) => fill(main, h('div', { class: 'public-wrap' },
    h('section', { class: 'card public-card', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title' }, t('campaign.unsub_title')), ...content), lang));
  let info;
  try {
    info = await api.get(`/public/unsubscribe/${encodeURIComponent(token)}`);
  } catch (e) {
    if (ctx.alive()) page(h('p', { class: 'error-box', role: 'alert', id: 'unsub-problem' }, problemText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const name = typeof info.campaign === 'object' ? info.campaign?.name : info.campaign;
  const status = h('div', { id: 'unsub-status', role: 'status' });
  const err = h('p', { class: 'error-box', role: 'alert', id: 'unsub-error', hidden: true });
  const done = () => fill(status, h('p', { class: 'public-done', id: 'unsub-done' }, t('campaign.unsub_done')));
  if (info.done) done();
  else {
    const btn = h('button', { type: 'button', class: 'primary big', id: 'unsub-button', onclick: async () => {
      btn.disabled = true;
      err.hidden = true;
      try {
        await api.post(`/public/unsubscribe/${encodeURIComponent(token)}`, {});
        done();
        document.getElementById('unsub-done')?.focus?.();
      } catch (e) {
        btn.disabled = false;
        err.textContent = problemText(e);
        err.hidden = false;
      }
    } }, t('campaign.unsub_button'));
    fill(status, h('p', t('campaign.unsub_text')), btn);
  }
  page(name ? h('p', { class: 'public-seller', id: 'unsub-campaign' }, t('campaign.unsub_for', { name })) : null, err, status);
}
