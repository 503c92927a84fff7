#!/usr/bin/env node
// The size rule, enforced: no source file over 400 lines and no function, method or arrow function over 80 lines
// (migrations exempt). Prints every violation as `path:line name N lines` and exits 1 when there is one.
//
//   node scripts/check-sizes.js                 checks libs/ apps/ bench/ test/ scripts/ under the repository
//   node scripts/check-sizes.js --root DIR      checks DIR instead (its own libs/ apps/ ... folders, or all of it)
//   node scripts/check-sizes.js FILE...         checks only these files (paths relative to the root)
//
// scripts/size-allowlist.txt names the violations that are known and owned, one a line: `path name` (the name as
// printed, `<file>` for a file's length). Only files under apps/api/ and apps/cli/ may be listed; an entry that no
// longer matches a violation is an error too, so the list only shrinks.
//
// A callback handed to describe()/suite() is not measured as one function: it only groups the tests, each of which
// is measured on its own.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const FILE_LINES_MAX = 400;
const FUNCTION_LINES_MAX = 80;
const SCANNED_DIRS = ['libs', 'apps', 'bench', 'test', 'scripts'];
const SOURCE_EXTENSIONS = ['.ts', '.js', '.cjs', '.mjs'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.cache', 'migrations', '.git']);
const SKIPPED_FILES = new Set(['package-lock.json']);
const ALLOWLIST_DIRS = ['apps/api/', 'apps/cli/'];
const GROUPING_CALLS = new Set(['describe', 'suite']);

function sourceFiles(root) {
  const dirs = SCANNED_DIRS.map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (SOURCE_EXTENSIONS.includes(path.extname(entry.name)) && !SKIPPED_FILES.has(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push(path.join(dir, entry.name));
      }
    }
  };
  for (const d of dirs.length > 0 ? dirs : [root]) walk(d);
  return out.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
}

function lineCount(text) {
  if (text.length === 0) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function nameOf(node, sf) {
  if (node.name !== undefined) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const p = node.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p)) return p.name.getText(sf);
  if (ts.isBinaryExpression(p)) return p.left.getText(sf);
  if (ts.isCallExpression(p)) {
    const callee = p.expression.getText(sf);
    const first = p.arguments[0];
    const title = first !== undefined && ts.isStringLiteralLike(first) ? `(${JSON.stringify(first.text)})` : '';
    return `${callee}${title} callback`;
  }
  return '<anonymous>';
}

function isGroupingCallback(node) {
  const p = node.parent;
  if (!ts.isCallExpression(p) || !p.arguments.includes(node)) return false;
  let callee = p.expression;
  while (ts.isPropertyAccessExpression(callee)) callee = callee.expression; // describe.skip, describe.only
  return ts.isIdentifier(callee) && GROUPING_CALLS.has(callee.text);
}

function isFunctionLike(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

// The violations of one file: its length, and each function-like node's (declarations without a body are skipped).
function checkFile(rel, text) {
  const found = [];
  const lines = lineCount(text);
  if (lines > FILE_LINES_MAX) found.push({ path: rel, line: 1, name: '<file>', lines, max: FILE_LINES_MAX });
  const kind = rel.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, kind);
  const visit = (node) => {
    if (isFunctionLike(node) && node.body !== undefined && !isGroupingCallback(node)) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const n = end - start + 1;
      if (n > FUNCTION_LINES_MAX) found.push({ path: rel, line: start + 1, name: nameOf(node, sf), lines: n, max: FUNCTION_LINES_MAX });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function readAllowlist(file) {
  if (!fs.existsSync(file)) return { entries: [], errors: [] };
  const entries = [];
  const errors = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const at = line.indexOf(' ');
      const entry = { path: at === -1 ? line : line.slice(0, at), name: at === -1 ? '' : line.slice(at + 1).trim(), where: `${path.basename(file)}:${i + 1}`, used: false };
      if (entry.name === '') errors.push(`${entry.where} "${line}": expected "path name"`);
      else if (!ALLOWLIST_DIRS.some((d) => entry.path.startsWith(d))) errors.push(`${entry.where} ${entry.path}: only ${ALLOWLIST_DIRS.join(' and ')} may be allowlisted`);
      else entries.push(entry);
    });
  return { entries, errors };
}

function main(argv) {
  let root = path.resolve(__dirname, '..');
  const only = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root') root = path.resolve(argv[++i]);
    else only.push(argv[i]);
  }
  const files = only.length > 0 ? only : sourceFiles(root);
  const allow = readAllowlist(path.join(root, 'scripts', 'size-allowlist.txt'));
  const violations = [];
  for (const rel of files) {
    for (const v of checkFile(rel, fs.readFileSync(path.join(root, rel), 'utf8'))) {
      const entry = allow.entries.find((e) => e.path === v.path && e.name === v.name);
      if (entry !== undefined) entry.used = true;
      else violations.push(v);
    }
  }
  for (const v of violations) console.log(`${v.path}:${v.line} ${v.name} ${v.lines} lines (max ${v.max})`);
  const stale = only.length > 0 ? [] : allow.entries.filter((e) => !e.used);
  for (const e of stale) console.log(`${e.where} ${e.path} ${e.name}: allowlisted but no longer too long; remove the line`);
  for (const err of allow.errors) console.log(err);
  const problems = violations.length + stale.length + allow.errors.length;
  if (problems > 0) {
    console.log(`check-sizes: ${problems} problem(s); files <= ${FILE_LINES_MAX} lines, functions <= ${FUNCTION_LINES_MAX} lines`);
    return 1;
  }
  console.log(`check-sizes: ${files.length} files, none over ${FILE_LINES_MAX} lines, no function over ${FUNCTION_LINES_MAX} lines`);
  return 0;
}

module.exports = { checkFile, FILE_LINES_MAX, FUNCTION_LINES_MAX };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
