// web/app.css stays one well-formed stylesheet: braces balance (an
// unclosed @media block once turned every later rule print-only) and no
// merge-conflict markers are left. Run by node, no browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

test('app.css: every block is closed and no conflict markers are left', () => {
  const css = fs.readFileSync(new URL('../../web/app.css', import.meta.url), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '') // comments
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'); // strings
  let depth = 0;
  css.split('\n').forEach((line, i) => {
    for (const c of line) {
      if (c === '{') depth++;
      if (c === '}') depth--;
      assert.ok(depth >= 0, `app.css: '}' without its '{' at line ${i + 1}`);
    }
    assert.ok(!/^(<{7}|={7}|>{7})/.test(line), `app.css: merge-conflict marker at line ${i + 1}`);
  });
  assert.equal(depth, 0, 'app.css: a block is not closed');
});
