// Copies non-TypeScript assets (JSON Schemas, policy packs, dashboard files) next to the compiled code,
// so that dist/ is self-contained and the same relative paths work from source and from dist.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const exts = new Set(['.json', '.html', '.css', '.svg', '.sql']);
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (exts.has(path.extname(entry.name)) || full.includes(`${path.sep}public${path.sep}`)) {
      const target = path.join(root, 'dist', path.relative(root, full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
    }
  }
}
for (const top of ['apps', 'libs']) if (fs.existsSync(path.join(root, top))) walk(path.join(root, top));
