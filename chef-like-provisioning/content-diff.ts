/**
 * The unified diff a file or template change shows in the report (as `diff -u`, Chef and Ansible
 * show it): pure, with secrets masked (secret-mask.ts) and long diffs cut.
 */
import { maskSecrets } from './secret-mask';

/** How a diff is drawn. */
export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3, as diff -u). */
  context?: number;
  /** Diff lines shown at most, headers included; the rest is counted (default 200). */
  maxLines?: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Marks a last line without a newline, so that "a" and "a\n" differ, as they do to diff. */
const NO_EOL = '\u0000no-eol';

function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** Above this many cells the middle is shown as replaced whole (a config file never gets near). */
const MAX_TABLE_CELLS = 4_000_000;

/** The edit script from a to b: longest common subsequence on the lines between the common head and tail. */
function editScript(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  if (x.length * y.length > MAX_TABLE_CELLS) {
    ops.push(...x.map((line): Op => ({ kind: '-', line })), ...y.map((line): Op => ({ kind: '+', line })));
  } else {
    // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..].
    const width = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * width);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lcs[i * width + j] = x[i] === y[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        ops.push({ kind: ' ', line: x[i++] as string });
        j++;
      } else if (j < y.length && (i === x.length || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))) {
        ops.push({ kind: '+', line: y[j++] as string });
      } else {
        ops.push({ kind: '-', line: x[i++] as string });
      }
    }
    // diff -u lists a block's removals before its additions.
    reorderBlocks(ops);
  }
  ops.push(...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

/** Within each run of changed lines, puts the `-` lines before the `+` lines. */
function reorderBlocks(ops: Op[]): void {
  let start = 0;
  while (start < ops.length) {
    if (ops[start]?.kind === ' ') {
      start++;
      continue;
    }
    let end = start;
    while (end < ops.length && ops[end]?.kind !== ' ') end++;
    const block = ops.slice(start, end);
    ops.splice(start, end - start, ...block.filter((op) => op.kind === '-'), ...block.filter((op) => op.kind === '+'));
    start = end;
  }
}

/** `@@ -start,count +start,count @@`, numbered as diff -u numbers them (an empty side names the line before). */
function hunkHeader(ops: Op[], from: number, to: number, oldLine: number, newLine: number): string {
  const slice = ops.slice(from, to);
  const oldCount = slice.filter((op) => op.kind !== '+').length;
  const newCount = slice.filter((op) => op.kind !== '-').length;
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start}${count === 1 ? '' : `,${count}`}`;
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`;
}

function renderLine(op: Op): string[] {
  const masked = `${op.kind}${maskSecrets(op.line.replace(NO_EOL, ''))}`;
  return op.line.endsWith(NO_EOL) ? [masked, '\\ No newline at end of file'] : [masked];
}

/**
 * The unified diff of `before` and `after` (an empty `before` for a new file) with `label` in the
 * headers, its lines masked; [] when they are equal. Long diffs end with a line counting the rest.
 */
export function unifiedDiff(label: string, before: string, after: string, options: DiffOptions = {}): string[] {
  if (before === after) return [];
  if (before.includes('\u0000') || after.includes('\u0000')) return [`binary content of ${label} differs`];
  const context = options.context ?? 3;
  const ops = editScript(linesOf(before), linesOf(after));
  const out = [`--- ${label}`, `+++ ${label} (new)`];
  // Hunks: each change with `context` lines either side; changes closer than 2*context share one.
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, (changed[k] as number) - context);
    let last = changed[k] as number;
    while (k + 1 < changed.length && (changed[k + 1] as number) - last <= 2 * context) last = changed[++k] as number;
    const to = Math.min(ops.length, last + context + 1);
    const before = ops.slice(0, from);
    out.push(hunkHeader(ops, from, to, before.filter((op) => op.kind !== '+').length + 1, before.filter((op) => op.kind !== '-').length + 1));
    for (const op of ops.slice(from, to)) out.push(...renderLine(op));
    k++;
  }
  const max = options.maxLines ?? 200;
  return out.length > max ? [...out.slice(0, max), `… ${out.length - max} more lines of diff not shown`] : out;
}

/** What the report shows for a file resource's new content: its diff, or one line when it is sensitive. */
export function contentDiff(path: string, before: string, after: string, sensitive: boolean): string[] {
  if (before === after) return [];
  return sensitive ? [`(content of ${path} not shown: the resource is marked sensitive)`] : unifiedDiff(path, before, after);
}
