// Small DOM helpers. Everything is built with createElement and textContent:
// no innerHTML with data, so names and notes can never inject markup, and the
// strict Content-Security-Policy (no inline scripts or styles) holds.

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el) {
      // the default too, so that form.reset() returns to it
      if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') el.defaultValue = v;
      el.value = v;
    } else if (k === 'checked' && el.tagName === 'INPUT') el.defaultChecked = el.checked = !!v;
    else if (k === 'selected' && el.tagName === 'OPTION') el.defaultSelected = el.selected = !!v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden' ||
             k === 'required' || k === 'multiple' || k === 'open') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// h('a', {href: '/x', class: 'y'}, 'text', child, [more children])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs && (attrs instanceof Node || typeof attrs !== 'object' || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

// The same for SVG elements (attributes only, no properties).
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Appends children, skipping null / false / '' (Element.append would print "null").
export function add(el, ...children) {
  append(el, children);
  return el;
}

// Replaces the element's content.
export function fill(el, ...children) {
  return add(clear(el), ...children);
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

let uid = 0;
export function nextId(prefix = 'x') {
  uid += 1;
  return `${prefix}-${uid}`;
}

// Today's date as YYYY-MM-DD in local time.
export function todayISO(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// The local calendar date (YYYY-MM-DD) of a date or date-time string.
export function localDate(v) {
  if (!v) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : todayISO(d);
}
