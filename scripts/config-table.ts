// Rewrites the README's configuration table from the settings themselves
// (between the config-table markers), so the two cannot drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configTable } from '../shared/config.js';

const path = join(import.meta.dirname, '../README.md');
const readme = readFileSync(path, 'utf8');
const start = '<!-- config-table:start -->';
const end = '<!-- config-table:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) throw new Error('README has no config-table markers');
writeFileSync(
  path,
  `${readme.slice(0, from + start.length)}\n${configTable()}\n${readme.slice(to)}`,
);
console.log('README configuration table updated');
