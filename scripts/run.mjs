#!/usr/bin/env node
// Runs a TypeScript entry point (e.g. src/cli.ts) from the compiled dist/ when dist/ is newer
// than every source file, otherwise through tsx. Compiled start-up is ~0.6 s faster, which the
// simulator and the scripts that drive it feel on every run; tsx keeps edits working at once.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
const compiled = path.join(root, 'dist', entry.replace(/\.ts$/, '.js'));

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

let fresh = false;
try {
  const built = fs.statSync(compiled).mtimeMs;
  fresh = ['src', 'flows'].every((d) => newestSource(path.join(root, d)) <= built);
} catch {
  fresh = false;
}

if (fresh) {
  process.argv = [process.argv[0], compiled, ...args];
  await import(pathToFileURL(compiled).href);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, entry), ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
