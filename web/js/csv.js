// CSV export in the browser: quoting per RFC 4180, a UTF-8 byte order mark
// so spreadsheet programs read accents right, and a download via a Blob.

export function toCSV(rows, sep = ',') {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",;\r\n]/.test(s) || s.startsWith(' ') || s.endsWith(' ') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(sep)).join('\r\n') + '\r\n';
}

export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const blob = new Blob(['\ufeff', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}
