// The agreements panel of a party page: the party's agreements that the
// reader may see (the server leaves out domains she may not read), each
// with edit, renew and end where she may write its domain, and "new
// agreement" for this party. Hidden when the server has no agreements API
// or the party has none and the reader may write nowhere.

import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs, hasEndpoint } from '../api.js';
import { errorText } from '../forms.js';
import { empty, errorBox } from '../ui.js';
import { writableDomains } from '../access.js';
import { agreementCard, agreementDialog } from './agreements.js';
import { documentButtons } from './documents.js'; // documents

export function agreementsPanel(party) {
  const sec = h('section', { class: 'card agr-panel', id: 'agr-panel', 'aria-labelledby': 'agr-panel-title', hidden: true });
  const list = h('div', { class: 'agr-panel-list' });
  async function load() {
    let items = [];
    try {
      items = (await api.get(qs('/agreements', { party: party.id, limit: 100 }))).items || [];
    } catch (e) {
      fill(list, errorBox(errorText(e)));
      return;
    }
    const canNew = !party.archived && writableDomains().length > 0;
    if (!items.length && !canNew) {
      sec.hidden = true;
      return;
    }
    sec.hidden = false;
    fill(list, items.length ? items.map((a) => agreementCard(a, { onChange: load, showParty: false })) : empty(t('agreement.none')));
    documentButtons(list, items); // documents: a button per agreement
  }
  (async () => {
    if (!(await hasEndpoint('GET', '/agreements'))) return;
    const canNew = !party.archived && writableDomains().length > 0;
    fill(sec,
      h('div', { class: 'panel-head' },
        h('h2', { id: 'agr-panel-title' }, t('agreement.panel')),
        canNew ? h('button', { type: 'button', class: 'small', id: 'party-new-agreement', onclick: () => agreementDialog({ party: party.id, onSaved: load }) }, t('agreement.new')) : null),
      list);
    await load();
  })();
  return sec;
}
