#!/usr/bin/env node
// Code-shape figures for the closing notes (docs/architecture.md): files over
// 300 lines, functions over 60 lines, and type casts in src/. Read-only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = process.argv[2] ?? 'src';
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
};
walk(root);

const long = [];
const bigFiles = [];
let casts = 0;
let unknownCasts = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length;
  if (lines > 300 && !file.includes('/i18n/messages/')) bigFiles.push([relative('.', file), lines]);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isAsExpression(node) && node.type.kind !== ts.SyntaxKind.TypeReference) {
      // `as const` is a literal assertion, not a cast
    }
    if (ts.isAsExpression(node)) {
      const isConst = ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(sf) === 'const';
      if (!isConst) {
        casts++;
        if (ts.isAsExpression(node.expression) && node.expression.type.kind === ts.SyntaxKind.UnknownKeyword)
          unknownCasts++;
      }
    }
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node)
    ) {
      if (node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.end).line;
        const n = end - start + 1;
        if (n > 60) {
          const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
          long.push([`${relative('.', file)}:${start + 1}`, name, n]);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
console.log(`files: ${files.length}`);
console.log(`files over 300 lines (catalogues aside): ${bigFiles.length}`);
for (const [f, n] of bigFiles.sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${f}`);
console.log(`functions over 60 lines: ${long.length}`);
for (const [f, name, n] of long.sort((a, b) => b[2] - a[2])) console.log(`  ${n}\t${name}\t${f}`);
console.log(`casts (as X, not as const): ${casts}, of which 'as unknown as': ${unknownCasts}`);
