// On- and offboarding checklists (/checklists): the open ones (or the done
// ones) with their progress, and per checklist its items to tick off. Each
// item is an hr task on the person, so ticking it here or in "my day" is
// the same thing. hr=read sees them; hr=write ticks (the checkboxes are
// only there for her). checklistCard is shared with the person's panel
// (party-checklists.js).

import { h, fill, nextId } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api, qs, partyName } from '../api.js';
import { toast, errorText } from '../forms.js';
import { pageHead, loading, empty, errorBox } from '../ui.js';
import { canWrite } from '../access.js';

// "hr", "manager", ...: the role that does an item; a user id: that user's name.
function whoText(item) {
  if (typeof item.who === 'string') return t(`checklist.who_${item.who}`);
  return item.assignee_name || `#${item.who}`;
}

function progressBar(c) {
  const { done, total } = c.progress;
  return h('div', { class: 'chk-progress' },
    h('progress', { max: String(total || 1), value: String(done), 'aria-label': t('checklist.progress_label', { name: c.name }) }),
    h('span', { class: 'chk-count' }, t('checklist.progress', { done, total })));
}

// One checklist as a card: name, person, date, progress and the items.
export function checklistCard(c, { onChange, showParty = true } = {}) {
  const writable = canWrite('hr');
  const card = h('article', { class: ['card', 'chk-card', c.status === 'done' && 'chk-done'], 'data-checklist': c.id });
  function draw() {
    const partyLink = h('a', { href: `/parties/${c.party}` }, c.party_name || `#${c.party}`);
    const items = h('ul', { class: 'chk-items' }, c.items.map((it) => {
      const id = nextId(`chk-${c.id}-${it.n}`);
      const meta = [
        whoText(it),
        it.due ? `${t('checklist.due')} ${fmtDate(it.due)}` : '',
        it.done && it.done_at ? t('checklist.done_on', { date: fmtDate(it.done_at), who: it.done_by_name || '\u2013' }) : '',
      ].filter(Boolean).join(' \u00b7 ');
      const metaId = `${id}-meta`;
      let box = null;
      if (writable) {
        box = h('input', { type: 'checkbox', id, checked: it.done, 'aria-describedby': metaId, 'data-item': it.n });
        box.addEventListener('change', async () => {
          box.disabled = true;
          try {
            const after = await api.post(`/checklists/${c.id}/items`, { n: it.n, done: box.checked });
            Object.assign(c, after);
            toast(box.checked ? t('checklist.ticked') : t('checklist.unticked'));
            draw();
            onChange?.(c);
          } catch (e) {
            box.checked = !box.checked;
            box.disabled = false;
            toast(errorText(e), 'error');
          }
        });
      }
      return h('li', { class: ['chk-item', it.done && 'done'] },
        box || h('span', { class: 'chk-mark', 'aria-hidden': 'true' }, it.done ? '\u2713' : '\u25cb'),
        h('div', { class: 'chk-item-body' },
          writable ? h('label', { for: id }, it.title) : h('span', it.done ? `${it.title} (${t('checklist.is_done')})` : it.title),
          h('p', { class: 'muted small-text', id: metaId }, meta)));
    }));
    fill(card,
      h('div', { class: 'chk-head' },
        h('h3', c.name),
        h('span', { class: `chip chk-kind chk-${c.kind}` }, t(`checklist.kind_${c.kind}`))),
      h('p', { class: 'muted' },
        showParty ? [partyLink, ' \u00b7 '] : null,
        t(c.kind === 'onboarding' ? 'checklist.starts' : 'checklist.ends', { date: fmtDate(c.anchor_date) })),
      progressBar(c),
      items);
  }
  draw();
  return card;
}

export async function render(main, ctx) {
  ctx.setTitle(t('checklist.title'));
  const status = ctx.query.get('status') === 'done' ? 'done' : 'open';
  const list = h('div', { class: 'chk-list', id: 'checklist-list' }, loading());
  const filter = h('nav', { class: 'tabs', 'aria-label': t('checklist.filter') },
    ['open', 'done'].map((s) => h('a', { href: s === 'open' ? '/checklists' : '/checklists?status=done', class: 'tab', 'data-status': s, 'aria-current': s === status ? 'page' : null },
      t(`checklist.status_${s}`))));
  fill(main, pageHead(t('checklist.title')), h('p', { class: 'muted' }, t('checklist.intro')), filter, list);
  let page;
  try {
    page = await api.get(qs('/checklists', { status, limit: 100 }));
  } catch (e) {
    if (ctx.alive()) fill(list, errorBox(errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  for (const c of page.items) partyName(c.party).catch(() => {});
  fill(list,
    h('p', { class: 'muted', id: 'checklist-total' }, t('checklist.count', { n: page.total ?? page.items.length })),
    page.items.length ? page.items.map((c) => checklistCard(c)) : empty(t(`checklist.none_${status}`)));
}
