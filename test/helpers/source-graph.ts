/**
 * Reads the import graph of a source tree and checks it against the layer rules of DESIGN.md:
 * imports only downward, no sideways imports between sibling layers, nothing from scripts/ or a
 * test folder, and no Node built-in or Node-only package reachable from a browser-safe module.
 * Used by test/architecture.test.ts on src/ and on small planted trees.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Layers, lowest first; folders in one inner list are siblings of the same rank. */
export const LAYERS: string[][] = [['contract'], ['wire'], ['validate'], ['server'], ['client', 'mock', 'emulator'], ['conformance', 'review'], ['cli']];
/** Layers that run in browsers: no `node:*`, only the packages below, except the Node-only files named. */
export const BROWSER_SAFE = ['contract', 'wire', 'validate', 'client'];
export const NODE_ONLY_FILES = ['client/node.ts', 'contract/bundle.ts'];
export const BROWSER_SAFE_PACKAGES = ['ajv', 'ajv-formats', 'lossless-json'];

export interface Import {
  from: string;
  specifier: string;
  /** Resolved path relative to the tree root, for relative specifiers. */
  target?: string;
}

const IMPORT = /(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

/** Every source file under `dir` (relative paths), declaration files left out. */
export function sourceFiles(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, sub))) {
    const rel = path.join(sub, name);
    if (statSync(path.join(dir, rel)).isDirectory()) out.push(...sourceFiles(dir, rel));
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !/\.d\.(ts|mts)$/.test(name)) out.push(rel.split(path.sep).join('/'));
  }
  return out.sort();
}

export function importsOf(root: string, file: string): Import[] {
  const text = stripComments(readFileSync(path.join(root, file), 'utf8'));
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = (m[1] ?? m[2])!;
    const item: Import = { from: file, specifier };
    if (specifier.startsWith('.')) item.target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    out.push(item);
  }
  return out;
}

function rankOf(file: string): { folder: string; rank: number } | undefined {
  const folder = file.split('/')[0]!;
  const rank = LAYERS.findIndex((row) => row.includes(folder));
  return rank < 0 ? undefined : { folder, rank };
}

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

/**
 * Problems of a tree laid out like src/ (`root` is src/; `..` leads to the repository). Each
 * problem is one line naming the importing file and what it imports.
 */
export function layerProblems(root: string): string[] {
  const files = sourceFiles(root);
  const graph = new Map(files.map((f) => [f, importsOf(root, f)]));
  const problems: string[] = [];
  for (const [file, imports] of graph) {
    const own = rankOf(file);
    for (const imp of imports) {
      if (imp.target === undefined) continue;
      if (imp.target.startsWith('../')) {
        const top = imp.target.split('/')[1];
        if (top !== 'generated') problems.push(`${file} imports ${imp.specifier}: src/ never imports ${top}/`);
        continue;
      }
      const theirs = rankOf(imp.target);
      if (!own || !theirs || own.folder === theirs.folder) continue;
      if (theirs.rank > own.rank) problems.push(`${file} imports ${imp.specifier}: ${theirs.folder} is a higher layer than ${own.folder}`);
      else if (theirs.rank === own.rank) problems.push(`${file} imports ${imp.specifier}: ${theirs.folder} and ${own.folder} are sibling layers`);
    }
  }
  // Browser safety, transitively: what a browser-safe module reaches must be browser-safe too.
  const isBrowserSafe = (f: string) => BROWSER_SAFE.includes(f.split('/')[0]!) && !NODE_ONLY_FILES.includes(f);
  for (const start of files.filter(isBrowserSafe)) {
    const seen = new Set<string>([start]);
    const queue: Array<{ file: string; via: string[] }> = [{ file: start, via: [start] }];
    while (queue.length) {
      const { file, via } = queue.shift()!;
      for (const imp of graph.get(file) ?? []) {
        if (imp.target === undefined) {
          const pkg = packageName(imp.specifier);
          if (imp.specifier.startsWith('node:') || !BROWSER_SAFE_PACKAGES.includes(pkg)) {
            problems.push(`${start} (browser-safe) reaches ${imp.specifier}${via.length > 1 ? ` via ${via.slice(1).join(' → ')}` : ''}`);
          }
          continue;
        }
        if (imp.target.startsWith('../') || seen.has(imp.target) || !graph.has(imp.target)) continue;
        seen.add(imp.target);
        queue.push({ file: imp.target, via: [...via, imp.target] });
      }
    }
  }
  return [...new Set(problems)];
}

/** Names the contract owns, by kind, for the hand-list check. */
export type NameKinds = Record<string, ReadonlySet<string>>;

/**
 * Hand-written lists of contract names outside src/contract: an array literal, a regular
 * expression or one line of comparisons that names two or more Actions, statuses, error codes,
 * int64 fields or signing names. One line per finding.
 */
export function handLists(root: string, kinds: NameKinds, exempt: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(root)) {
    if (exempt(file)) continue;
    const text = stripComments(readFileSync(path.join(root, file), 'utf8'));
    const chunks = [
      ...[...text.matchAll(/\[[^[\]]*\]/g)].map((m) => m[0]),
      ...[...text.matchAll(/(?<![\w)\]])\/(?![/*])(?:\\.|[^/\n\\])+\/[dgimsuvy]*/g)].map((m) => m[0]),
      ...text.split('\n').filter((line) => /[!=]==?\s*['"]/.test(line)),
    ];
    for (const chunk of chunks) {
      for (const [kind, names] of Object.entries(kinds)) {
        const words = new Set(chunk.match(/[A-Za-z][\w.-]*/g) ?? []);
        const hits = [...names].filter((n) => words.has(n) && new RegExp(`['"|(/]${n.replace(/[.]/g, '\\.')}['"|)/]`).test(chunk));
        if (hits.length >= 2) found.push(`${file}: ${kind} ${hits.join(', ')}`);
      }
    }
  }
  return [...new Set(found)];
}
