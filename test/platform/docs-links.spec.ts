// The documentation's relative links: every one in README.md, docs/**/*.md and bench/RESULTS.md names a file or
// directory of the repository (and, for a Markdown file, a heading that exists), and the README links every page
// under docs/, so a reader who starts at the README can reach all of it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(rel);
    return entry.name.endsWith('.md') ? [rel] : [];
  });
}

const DOCS = ['README.md', ...markdownFiles('docs'), 'bench/RESULTS.md'];

// Code blocks and inline code are not links, whatever they contain.
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

function relativeLinks(file: string): string[] {
  const text = prose(fs.readFileSync(path.join(root, file), 'utf8'));
  const targets = [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

// Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to dashes, repeats numbered.
function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

function brokenLinks(file: string): string[] {
  const broken: string[] = [];
  for (const link of relativeLinks(file)) {
    const [target = '', anchor] = link.split('#', 2);
    const resolved = target === '' ? file : path.normalize(path.join(path.dirname(file), decodeURI(target)));
    if (resolved.startsWith('..') || !fs.existsSync(path.join(root, resolved))) {
      broken.push(`${file}: ${link} (no such file)`);
    } else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
      broken.push(`${file}: ${link} (no such heading in ${resolved})`);
    }
  }
  return broken;
}

function linkedFiles(file: string): string[] {
  return relativeLinks(file)
    .map((link) => link.split('#', 2)[0]!)
    .filter((target) => target !== '')
    .map((target) => path.normalize(path.join(path.dirname(file), decodeURI(target))));
}

describe('documentation links', () => {
  it('every relative link names an existing file and heading', () => {
    assert.ok(DOCS.length > 5, `found only ${DOCS.join(', ')}`);
    assert.deepEqual(DOCS.flatMap(brokenLinks), []);
  });

  it('the README links every page directly under docs/, and every page under docs/ can be reached from it', () => {
    const fromReadme = new Set(linkedFiles('README.md'));
    const topLevel = DOCS.filter((f) => path.dirname(f) === 'docs');
    assert.deepEqual(topLevel.filter((f) => !fromReadme.has(f)), [], 'pages the README does not link');
    const reached = new Set<string>(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      for (const next of linkedFiles(queue.pop()!)) {
        if (next.endsWith('.md') && !reached.has(next) && fs.existsSync(path.join(root, next))) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    assert.deepEqual(DOCS.filter((f) => f.startsWith('docs/') && !reached.has(f)), [], 'pages no link leads to');
  });
});
