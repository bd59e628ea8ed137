// Browser tests of documents (the documents panel on every record page):
// - verkoop (sales write) in Dutch at 1280 px on a party made here: uploads
//   a PDF with the file input (listed with its size in Dutch kB, who, when),
//   opens the preview (the server's PNG of page 1 renders) with "open PDF",
//   downloads it (the bytes equal the uploaded ones), drops an image on the
//   panel (drag-and-drop) and sees it in the preview, deletes a text file
//   after the confirmation.
// - hr (hr only) uploads an HR document on the same party: it is in domain
//   hr (badge); hr-assistent (hr read) sees it without upload or delete;
//   verkoop's party page does not list it (nor does the API).
// - admin (writes every domain) chooses the domain of an upload and sees
//   both documents with their domain badges.
// - verkoop in English at 390 px: the panel on a deal, a ticket, a draft
//   quote and an invoice (as a draft and again once issued), and the
//   agreements' "Documents" button opening the panel in a dialog.
// The server's 413 for an oversize file is not walked here: the test server
//   runs with the default limit of 25 MB (scripts/test-web.sh starts nothing
//   special), and a mocked 413 is not a test of the server.
// Screenshots of each screen at 1280 and 390 px.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { T, RUN, dayNL, session, go, api, has, shots, close, assertClean } from './lib.mjs';

after(async () => {
  await close();
});

// A one-page PDF (A6, a filled rectangle and a line of text) with a correct xref table.
function pdf(text) {
  const stream = `0.12 0.37 0.55 rg 20 300 257 60 re f BT /F1 18 Tf 0 0 0 rg 24 260 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 297 420] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => {
    offs.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// A w x h RGB PNG in two colours (top half, bottom half).
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function png(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x++) {
      const [r, g, b] = y < h / 2 ? [31, 95, 139] : [240, 165, 0];
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const PDF = pdf(`Offerte ${RUN}`);
const PNG = png(120, 80);
const state = {};

const panel = (rec) => `.doc-panel[data-record="${rec}"]`;
const item = (rec, name) => `${panel(rec)} .doc-item[data-name="${name}"]`;

// Uploads through the panel's file input and waits until the list shows it.
async function upload(page, rec, file) {
  await page.setInputFiles(`${panel(rec)} input[type=file]`, file);
  await page.waitForSelector(item(rec, file.name));
}

// The preview image of the open dialog has been decoded (naturalWidth > 0).
async function previewRenders(page) {
  await page.waitForSelector('dialog[open] .doc-preview-img');
  await page.waitForFunction(() => {
    const img = document.querySelector('dialog[open] .doc-preview-img');
    return img && img.complete && img.naturalWidth > 0;
  });
}

test('verkoop uploads, previews, downloads, drops and deletes documents on a party', T, async () => {
  assert.ok(await has('POST', '/documents'), 'the server has the documents API');
  const { context, page } = await session('verkoop', { locale: 'nl-NL' });
  const party = await api(page, 'POST', '/parties', {
    kind: 'organization', name: `Documentenhuis ${RUN} B.V.`, roles: [{ type: 'customer' }],
    addresses: [{ label: 'billing', street: 'Dorpsstraat', house_number: '7', postcode: '3511 AB', city: 'Utrecht', country: 'NL' }],
  });
  state.party = party;
  const rec = `party:${party.id}`;
  await go(page, `/parties/${party.id}`);
  await page.waitForSelector(`${panel(rec)} input[type=file]`);
  assert.equal(await page.$(`${panel(rec)} select[name=domain]`), null, 'one writable domain: nothing to choose');
  assert.match(await page.textContent(`${panel(rec)} h2`), /^Documenten$/);

  // a PDF by the file input: name, size in Dutch kB, who
  const pdfName = `offerte-één-${RUN}.pdf`; // a Dutch name survives the upload and the download
  await upload(page, rec, { name: pdfName, mimeType: 'application/pdf', buffer: PDF });
  const meta = await page.textContent(`${item(rec, pdfName)} .doc-meta`);
  const kb = (PDF.length / 1024).toFixed(1).replace('.', ',');
  assert.ok(meta.includes(`${kb} kB`), `size in Dutch: ${meta} (expected ${kb} kB)`);
  assert.match(meta, /Sanne de Wit/);
  assert.equal(await page.getAttribute(`${item(rec, pdfName)} .doc-icon`, 'aria-label'), 'PDF-document');

  // the preview: page 1 as a PNG, and "open" for the whole PDF
  await page.click(`${item(rec, pdfName)} .doc-preview-btn`);
  await previewRenders(page);
  const src = await page.getAttribute('dialog[open] .doc-preview-img', 'src');
  assert.match(src, /\/api\/v1\/documents\/\d+\/preview$/);
  assert.match(await page.getAttribute('dialog[open] a[data-doc-open]', 'href'), /\/content\?inline=true$/);
  await shots(page, 'doc-preview-pdf', () => previewRenders(page));
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[open]', { state: 'detached' });

  // the download gives the bytes that went up
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`${item(rec, pdfName)} .doc-name`)]);
  assert.equal(dl.suggestedFilename(), pdfName);
  assert.ok(Buffer.from(fs.readFileSync(await dl.path())).equals(PDF), 'the downloaded bytes are the uploaded ones');

  // an image dropped on the panel (drag-and-drop), shown itself in the preview
  const imgName = `gevel café ${RUN}.png`;
  await page.evaluate(([sel, bytes, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
    const zone = document.querySelector(sel);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, [`${panel(rec)} .doc-drop`, [...PNG], imgName]);
  await page.waitForSelector(`${item(rec, imgName)}`);
  await page.click(`${item(rec, imgName)} .doc-preview-btn`);
  await previewRenders(page);
  assert.equal(await page.$eval('dialog[open] .doc-preview-img', (i) => i.naturalWidth), 120);
  assert.match(await page.getAttribute('dialog[open] .doc-preview-img', 'src'), /\/content\?inline=true$/);
  await page.keyboard.press('Escape');

  // a text file: no preview; deleted after the confirmation
  const txtName = `notitie-${RUN}.txt`;
  await upload(page, rec, { name: txtName, mimeType: 'text/plain', buffer: Buffer.from('Hallo, één regel.\n') });
  assert.equal(await page.$(`${item(rec, txtName)} .doc-preview-btn`), null, 'no preview for plain text');
  await page.click(`${item(rec, txtName)} .doc-delete`);
  await page.waitForSelector('dialog[open] #confirm-yes');
  await page.click('#confirm-yes');
  await page.waitForSelector(item(rec, txtName), { state: 'detached' });
  const left = (await api(page, 'GET', `/documents?record=${rec}`)).items.map((d) => d.name).sort();
  assert.deepEqual(left, [pdfName, imgName].sort());
  await shots(page, 'doc-party-panel', () => page.waitForSelector(item(rec, imgName)));
  await context.close();
});

test('hr adds an HR document that verkoop does not see; admin chooses the domain', T, async () => {
  const rec = `party:${state.party.id}`;
  const hrName = `arbeidscontract-${RUN}.pdf`;
  const hr = await session('hr', { locale: 'nl-NL', width: 390 });
  await go(hr.page, `/parties/${state.party.id}`);
  await hr.page.waitForSelector(`${panel(rec)} input[type=file]`);
  await upload(hr.page, rec, { name: hrName, mimeType: 'application/pdf', buffer: pdf(`Contract ${RUN}`) });
  assert.match(await hr.page.textContent(`${item(rec, hrName)} .badge`), /^HR$/);
  const docs = (await api(hr.page, 'GET', `/documents?record=${rec}`)).items;
  assert.equal(docs.find((d) => d.name === hrName)?.domain, 'hr');
  await hr.context.close();

  // hr-assistent (hr read) sees it, with nothing to upload or delete
  const ha = await session('hr-assistent', { locale: 'nl-NL' });
  await go(ha.page, `/parties/${state.party.id}`);
  await ha.page.waitForSelector(item(rec, hrName));
  assert.equal(await ha.page.$(`${panel(rec)} input[type=file]`), null, 'no upload for a reader');
  assert.equal(await ha.page.$(`${panel(rec)} .doc-delete`), null, 'no delete for a reader');
  assert.ok(await ha.page.$(`${item(rec, hrName)} .doc-preview-btn`), 'a reader may preview');
  await ha.context.close();

  const v = await session('verkoop', { locale: 'nl-NL' });
  await go(v.page, `/parties/${state.party.id}`);
  await v.page.waitForSelector(item(rec, `offerte-één-${RUN}.pdf`));
  assert.equal(await v.page.$(item(rec, hrName)), null, 'verkoop does not see the HR document');
  assert.ok(!(await api(v.page, 'GET', `/documents?record=${rec}`)).items.some((d) => d.name === hrName));
  await v.context.close();

  const admin = await session(undefined, { locale: 'en-GB' });
  await go(admin.page, `/parties/${state.party.id}`);
  await admin.page.waitForSelector(item(rec, hrName));
  const sel = `${panel(rec)} select[name=domain]`;
  assert.deepEqual(await admin.page.$$eval(`${sel} option`, (o) => o.map((x) => x.value)), ['sales', 'hr', 'partners', 'purchasing', 'pr']);
  await admin.page.selectOption(sel, 'purchasing');
  const pName = `leveringsvoorwaarden-${RUN}.pdf`;
  await upload(admin.page, rec, { name: pName, mimeType: 'application/pdf', buffer: pdf(`Voorwaarden ${RUN}`) });
  assert.match(await admin.page.textContent(`${item(rec, pName)} .badge`), /^Purchasing$/);
  assert.match(await admin.page.textContent(`${item(rec, hrName)} .badge`), /^HR$/);
  await shots(admin.page, 'doc-party-admin');
  await admin.context.close();
});

test('in English on a phone: documents on a deal, a ticket, a quote, an invoice and an agreement', T, async () => {
  const { context, page } = await session('verkoop', { locale: 'en-GB', width: 390 });
  const party = state.party;
  const file = (n) => ({ name: `${n}-${RUN}.pdf`, mimeType: 'application/pdf', buffer: pdf(`${n} ${RUN}`) });

  const deal = await api(page, 'POST', '/deals', { party: party.id, title: `Documented deal ${RUN}`, amount: 150000 });
  await go(page, `/deals/${deal.id}`);
  await page.waitForSelector(`${panel(`deal:${deal.id}`)} input[type=file]`);
  assert.match(await page.textContent(`${panel(`deal:${deal.id}`)} h2`), /^Documents$/);
  await upload(page, `deal:${deal.id}`, file('deal'));
  await shots(page, 'doc-deal');

  const c = await api(page, 'POST', '/cases', { party: party.id, subject: `Broken hinge ${RUN}` });
  await go(page, `/cases/${c.id}`);
  await page.waitForSelector(`${panel(`case:${c.id}`)} input[type=file]`);
  await upload(page, `case:${c.id}`, { name: `hinge-${RUN}.png`, mimeType: 'image/png', buffer: PNG });
  await page.click(`${item(`case:${c.id}`, `hinge-${RUN}.png`)} .doc-preview-btn`);
  await previewRenders(page);
  await page.keyboard.press('Escape');
  await shots(page, 'doc-case');

  const today = dayNL();
  const lines = [{ description: 'Hinges', quantity: 2, unit_price: 1250, vat: '21' }];
  const q = await api(page, 'POST', '/quotes', { party: party.id, date: today, lines });
  await go(page, `/quotes/${q.id}`);
  await page.waitForSelector(`${panel(`quote:${q.id}`)} input[type=file]`);
  await upload(page, `quote:${q.id}`, file('spec'));
  const inv = await api(page, 'POST', '/invoices', { party: party.id, date: today, lines });
  await go(page, `/invoices/${inv.id}`);
  await page.waitForSelector(`${panel(`invoice:${inv.id}`)} input[type=file]`);
  await upload(page, `invoice:${inv.id}`, file('order'));
  // issued, the invoice page is drawn the other way: the panel is there again with the document
  await api(page, 'POST', `/invoices/${inv.id}/issue`);
  await go(page, `/invoices/${inv.id}`);
  await page.waitForSelector('#invoice-props');
  await page.waitForSelector(item(`invoice:${inv.id}`, `order-${RUN}.pdf`));
  await shots(page, 'doc-invoice');

  // an agreement on the party: its card's "Documents" button opens the panel in a dialog
  const agr = await api(page, 'POST', '/agreements', { party: party.id, kind: 'customer_contract', domain: 'sales', start: today, title: `Service contract ${RUN}` });
  await go(page, `/parties/${party.id}`);
  await page.click(`#agr-panel [data-agreement="${agr.id}"] .doc-open`);
  await page.waitForSelector(`dialog[open] ${panel(`agreement:${agr.id}`)} input[type=file]`);
  await upload(page, `agreement:${agr.id}`, file('signed'));
  await shots(page, 'doc-agreement');
  await page.keyboard.press('Escape');
  assert.equal((await api(page, 'GET', `/documents?record=agreement:${agr.id}`)).items.length, 1);
  await context.close();
  assertClean();
});
