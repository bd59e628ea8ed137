// Every label translated: the Dutch and English dictionaries have the same
// keys, no empty values, and every key the code asks for with t('...')
// exists in both. Runs without a browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const web = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web');
const nl = JSON.parse(fs.readFileSync(path.join(web, 'i18n/nl.json'), 'utf8'));
const en = JSON.parse(fs.readFileSync(path.join(web, 'i18n/en.json'), 'utf8'));

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'vendor' ? [] : sources(p);
    return p.endsWith('.js') ? [fs.readFileSync(p, 'utf8')] : [];
  });
}

test('nl and en have the same keys and no empty labels', () => {
  assert.deepEqual(Object.keys(nl).sort(), Object.keys(en).sort());
  for (const [k, v] of Object.entries({ ...nl, ...en })) assert.ok(typeof v === 'string' && v.trim(), `empty label ${k}`);
  for (const k of Object.keys(nl)) {
    const vars = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
    assert.equal(vars(nl[k]), vars(en[k]), `placeholders of ${k}`);
  }
});

test('every key used in the code exists', () => {
  const code = sources(path.join(web, 'js')).join('\n');
  const used = new Set([...code.matchAll(/\bt\(\s*'([a-z0-9_.]+)'/g)].map((m) => m[1]));
  assert.ok(used.size > 100, `found ${used.size} keys`);
  const missing = [...used].filter((k) => !(k in nl) || !(k in en));
  assert.deepEqual(missing, []);
  // keys built at run time: t(`tasks.${key}`), t(`field.${name}`), t(`admin.f_${name}`)
  for (const k of ['tasks.overdue', 'tasks.today', 'tasks.upcoming', 'tasks.nodue', 'field.legal_name', 'field.trade_name',
    'field.given_name', 'field.family_prefix', 'field.family_name', 'field.kvk', 'field.vat', 'field.iban', 'field.tags',
    'field.emails', 'field.phones', 'field.addresses', 'admin.f_name', 'admin.f_domain', 'admin.f_label_en', 'admin.f_label_nl',
    'admin.f_statuses', 'admin.f_default_status', 'admin.f_ended_statuses']) {
    assert.ok(k in nl && k in en, `missing ${k}`);
  }
});

test('no text in the HTML or code bypasses the dictionaries', () => {
  const html = fs.readFileSync(path.join(web, 'index.html'), 'utf8');
  assert.ok(!/<script>/.test(html) && !/style=/.test(html), 'no inline scripts or styles (CSP)');
  const code = sources(path.join(web, 'js')).join('\n');
  assert.ok(!/innerHTML\s*=/.test(code), 'no innerHTML');
});
