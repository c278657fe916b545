/**
 * vpcpeer-no-orphan-files (given `$`; reads the files itself)
 *
 * Every .yaml/.yml file in the folder of the linted root document (and below) is reachable by
 * following `$ref`s from the root. This is the "no unused components" rule for a split spec:
 * Spectral's oas3-unused-component only sees the root file's own `components`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

export default function vpcpeerNoOrphanFiles(_input, _options, context) {
  const source = context.document.source;
  if (!source || /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return [];
  const rootFile = resolve(source);
  const rootDir = dirname(rootFile);

  const reachable = new Set([rootFile]);
  const queue = [rootFile];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of fileRefs(file)) {
      if (reachable.has(target) || !existsSync(target)) continue;
      reachable.add(target);
      queue.push(target);
    }
  }

  return yamlFiles(rootDir)
    .filter((file) => !reachable.has(file))
    .map((file) => ({
      message: `${relative(rootDir, file)} is not reachable by $ref from ${relative(rootDir, rootFile)}; reference it or delete it.`,
      path: [],
    }));
}

/** Absolute paths of the files that `$ref`s in `file` point to (local and URL refs skipped). */
function fileRefs(file) {
  let data;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch {
    return []; // unreadable or broken files are reported by Spectral's own resolver and parser
  }
  const targets = [];
  const visit = (node) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const filePart = value.split('#')[0];
          if (filePart === '' || /^[a-z][a-z0-9+.-]*:/i.test(filePart)) continue;
          targets.push(resolve(dirname(file), safeDecode(filePart)));
        } else {
          visit(value);
        }
      }
    }
  };
  visit(data);
  return targets;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function yamlFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) files.push(...yamlFiles(full));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      files.push(full);
    }
  }
  return files.sort();
}
