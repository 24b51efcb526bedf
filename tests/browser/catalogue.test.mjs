// The i18n catalogue (web/src/i18n.js) against the code that uses it: every
// key used exists with Chinese and English, and no Chinese text hides in a
// template or script outside the catalogue. Runs without a browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const catalogueFile = path.join(src, 'i18n.js');

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return sourceFiles(full);
    return /\.(js|html)$/.test(entry.name) && !entry.name.endsWith('.render.js') ? [full] : [];
  });
}

// 'key': ['中文', 'English'],
function catalogue() {
  const text = fs.readFileSync(catalogueFile, 'utf8');
  const entries = new Map();
  for (const match of text.matchAll(/^\s*'([\w.]+)': \['((?:[^'\\]|\\.)*)', '((?:[^'\\]|\\.)*)'\],$/gm))
    entries.set(match[1], { zh: match[2], en: match[3] });
  return entries;
}

function stripComments(code) {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1').replace(/<!--[\s\S]*?-->/g, '');
}

test('every catalogue entry has Chinese and English', () => {
  const entries = catalogue();
  assert.ok(entries.size > 100, `parsed ${entries.size} entries`);
  const text = fs.readFileSync(catalogueFile, 'utf8');
  const declared = [...text.matchAll(/^\s*'([\w.]+)': \[/gm)].length;
  assert.equal(entries.size, declared, 'every entry has the one-line [zh, en] form');
  for (const [key, { zh, en }] of entries) {
    assert.match(zh, /[\u4e00-\u9fff]/, `${key}: the Chinese text has no Chinese`);
    assert.ok(en.trim().length > 0, `${key}: no English`);
    assert.doesNotMatch(en, /[\u4e00-\u9fff]/, `${key}: Chinese in the English text`);
    const params = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
    assert.equal(params(zh), params(en), `${key}: the two texts take different parameters`);
  }
});

test('every key the code uses is in the catalogue', () => {
  const entries = catalogue();
  const missing = [];
  for (const file of sourceFiles(src)) {
    const code = stripComments(fs.readFileSync(file, 'utf8'));
    // Literal keys: $t('a.b'), t('a.b'), and title/summary keys in menu.js.
    for (const match of code.matchAll(/(?:\$t|\bt)\('([\w.]+)'\s*[,)]|(?:title|summary): '([\w.]+)'/g)) {
      const key = match[1] || match[2];
      if (!entries.has(key))
        missing.push(`${path.relative(src, file)}: ${key}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('keys built at run time exist for every value', () => {
  const entries = catalogue();
  const format = fs.readFileSync(path.join(src, 'format.js'), 'utf8');
  const labels = fs.readFileSync(path.join(src, 'event', 'labels.js'), 'utf8');
  const listIn = (text, name) => {
    const found = text.match(new RegExp(`export const ${name} = \\[([^\\]]*)\\]`));
    assert.ok(found, `list ${name}`);
    return [...found[1].matchAll(/'([\w.]+)'/g)].map((m) => m[1]);
  };
  const list = (name) => listIn(format, name);
  const eventList = (name) => listIn(labels, name);
  // timelineActions = [...eventActions, more]: both parts.
  const timeline = [...eventList('eventActions'), ...listIn(labels.replace('...eventActions,', ''), 'timelineActions')];
  const expected = [
    ...list('divisionLevels').map((v) => `division.level.${v}`),
    ...list('gridDuties').map((v) => `duty.${v}`),
    ...list('auditActions').map((v) => `audit.action.${v}`),
    ...list('unitKinds').map((v) => `unit.kind.${v}`),
    ...list('permissions').map((v) => `perm.${v}`),
    ...list('personKinds').map((v) => `person.kind.${v}`),
    ...list('sexes').map((v) => `person.sex.${v}`),
    ...list('personSearchKeys').flatMap((v) => [`person.by.${v}`, `person.keywordPlaceholder.${v}`]),
    ...['user', 'session', 'division', 'unit', 'token', 'person'].map((v) => `audit.entityName.${v}`),
    ...eventList('eventStates').map((v) => `event.state.${v}`),
    ...eventList('channels').map((v) => `event.channel.${v}`),
    ...eventList('urgencies').map((v) => `event.urgency.${v}`),
    ...eventList('colors').map((v) => `event.color.${v}`),
    ...eventList('eventKinds').map((v) => `event.kind.${v}`),
    ...eventList('eventLevels').map((v) => `event.level.${v}`),
    ...eventList('satisfactions').map((v) => `event.satisfaction.${v}`),
    ...eventList('petitionLevels').map((v) => `event.petitionLevel.${v}`),
    ...eventList('partyRoles').map((v) => `event.partyRole.${v}`),
    ...eventList('attachmentPurposes').map((v) => `event.purpose.${v}`),
    ...eventList('eventActions').map((v) => `event.action.${v}`),
    ...timeline.map((v) => `event.timeline.${v}`),
    ...eventList('notificationKinds').map((v) => `notify.kind.${v}`),
  ];
  assert.deepEqual(expected.filter((key) => !entries.has(key)), []);
});

test('no Chinese text outside the catalogue', () => {
  const offenders = [];
  for (const file of sourceFiles(src)) {
    if (file === catalogueFile)
      continue;
    const code = stripComments(fs.readFileSync(file, 'utf8'));
    code.split('\n').forEach((line, i) => {
      if (/[\u4e00-\u9fff]/.test(line))
        offenders.push(`${path.relative(src, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
