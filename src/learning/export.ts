import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isSeq, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Db } from '../db/database.js';
import { listLearned, markLearnedExported } from '../db/learning.js';
import { OUT_OF_SCOPE_LABEL } from '../faq/knowledge.js';
import { fold } from '../nlu/spelling.js';
import { MARKED_TOPIC, MARKED_TOPIC_TITLE } from './service.js';

export interface ExportReport {
  /** Examples written, per file. */
  written: Array<{ file: string; label: string; count: number }>;
  /** Examples already in faq/ (marked exported, not written twice). */
  alreadyThere: number;
  /** Examples whose label no longer exists in faq/ (left unexported). */
  orphans: Array<{ label: string; text: string }>;
}

const OUT_OF_SCOPE_FILE = `${OUT_OF_SCOPE_LABEL}.yaml`;

/**
 * `npm run bot -- faq export-learned`: writes the examples staff taught in the panel into the
 * faq/ YAML (the entry's `examples`, or the out-of-scope topic's in fora-do-escopo.yaml), keeping
 * the files' comments and layout, so they go to version control like any other example. Rows
 * are marked exported; `faq check` then validates them as part of the FAQ.
 */
export function exportLearned(db: Db, faqDir: string, now = new Date()): ExportReport {
  const rows = listLearned(db, { unexportedOnly: true });
  const report: ExportReport = { written: [], alreadyThere: 0, orphans: [] };
  if (rows.length === 0) return report;

  const docs = new Map<string, Document>();
  const open = (file: string): Document | null => {
    if (!docs.has(file)) {
      const full = path.join(faqDir, file);
      if (!fs.existsSync(full)) {
        if (file !== OUT_OF_SCOPE_FILE) return null;
        docs.set(file, YAML.parseDocument('# O território em volta do FAQ (veja faq check).\ntopics: []\n'));
      } else docs.set(file, YAML.parseDocument(fs.readFileSync(full, 'utf8')));
    }
    return docs.get(file)!;
  };
  // Where each entry lives: the category files' entries by id.
  const entryFile = new Map<string, string>();
  for (const file of fs.readdirSync(faqDir).filter((f) => /^\d.*\.ya?ml$/.test(f)).sort()) {
    const doc = open(file);
    const entries = doc?.get('entries');
    if (!isSeq(entries)) continue;
    for (const e of entries.items) if (isMap(e) && typeof e.get('id') === 'string') entryFile.set(e.get('id') as string, file);
  }
  const examplesOf = (doc: Document, label: string): YAMLSeq | null => {
    if (label.startsWith(`${OUT_OF_SCOPE_LABEL}`)) {
      const topic = label.slice(OUT_OF_SCOPE_LABEL.length + 1) || MARKED_TOPIC;
      let topics = doc.get('topics') as YAMLSeq | undefined;
      if (!isSeq(topics)) {
        doc.set('topics', doc.createNode([]));
        topics = doc.get('topics') as YAMLSeq;
      }
      let node = topics.items.find((t) => isMap(t) && t.get('id') === topic) as YAMLMap | undefined;
      if (!node) {
        node = doc.createNode({ id: topic, title: topic === MARKED_TOPIC ? MARKED_TOPIC_TITLE : topic, examples: [] }) as YAMLMap;
        topics.items.push(node);
      }
      return node.get('examples') as YAMLSeq;
    }
    const entries = doc.get('entries') as YAMLSeq;
    const entry = entries.items.find((e) => isMap(e) && e.get('id') === label) as YAMLMap | undefined;
    return entry ? (entry.get('examples') as YAMLSeq) : null;
  };

  const exported: number[] = [];
  const counts = new Map<string, { file: string; label: string; count: number }>();
  for (const row of rows) {
    const file = row.label.startsWith(OUT_OF_SCOPE_LABEL) ? OUT_OF_SCOPE_FILE : entryFile.get(row.label);
    const doc = file ? open(file) : null;
    const examples = doc ? examplesOf(doc, row.label) : null;
    if (!file || !examples) {
      report.orphans.push({ label: row.label, text: row.text });
      continue;
    }
    exported.push(row.id);
    const present = examples.items.some((x) => fold(String((x as { value?: unknown }).value ?? x)) === fold(row.text));
    if (present) {
      report.alreadyThere++;
      continue;
    }
    examples.items.push(doc!.createNode(row.text));
    const key = `${file}\u0000${row.label}`;
    const c = counts.get(key) ?? { file, label: row.label, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  for (const [file, doc] of docs) {
    if ([...counts.values()].some((c) => c.file === file)) fs.writeFileSync(path.join(faqDir, file), doc.toString({ lineWidth: 0 }));
  }
  markLearnedExported(db, exported, now.toISOString());
  report.written = [...counts.values()];
  return report;
}
