/** The converge report's text: a time on every line, the diff under its resource, waits told without flooding a log. */
import { collector } from './test-kit';
import { entryLines, progressObserver } from './report';
import type { ResourceReport } from './runner';

const entry = (over: Partial<ResourceReport>): ResourceReport => ({ id: 'file[/etc/a]', declaredIn: 'c::r', action: 'create', status: 'changed', changes: ['write /etc/a'], seconds: 0.1234, ...over });

test('a changed entry shows its time, then its diff indented', () => {
  expect(entryLines(entry({ diff: ['--- /etc/a', '+++ /etc/a (new)'] }))).toEqual(['file[/etc/a] changed: write /etc/a (0.12 s)', '    --- /etc/a', '    +++ /etc/a (new)']);
  expect(entryLines(entry({ status: 'up-to-date', changes: [], seconds: 0.01 }))).toEqual(['file[/etc/a] up to date (0.01 s)']);
  expect(entryLines(entry({ status: 'up-to-date', changes: [], action: 'restart', notifiedBy: 'delayed notification', note: 'not needed' }))).toEqual([
    'file[/etc/a] (restart, notified by delayed notification) up to date (not needed)',
  ]);
});

test('without a terminal a wait gets a line at its first tick, then one every 10 s; on a terminal every tick redraws', () => {
  const out = collector(false);
  const observer = progressObserver(out, false);
  for (let s = 1; s <= 21; s++) observer.waiting?.('service[r]', 'to answer on 6390', s);
  observer.waiting?.('service[q]', 'to answer on 6391', 1);
  expect(out.text).toBe(
    ['waiting for service[r] to answer on 6390 … 1 s', 'waiting for service[r] to answer on 6390 … 11 s', 'waiting for service[r] to answer on 6390 … 21 s', 'waiting for service[q] to answer on 6391 … 1 s', ''].join('\n'),
  );
  const tty = collector(true);
  const redraw = progressObserver(tty, false);
  redraw.waiting?.('service[r]', 'to answer on 6390', 1);
  redraw.waiting?.('service[r]', 'to answer on 6390', 2);
  expect(tty.text).toBe('\r\x1b[Kwaiting for service[r] to answer on 6390 … 1 s\r\x1b[Kwaiting for service[r] to answer on 6390 … 2 s');
});

test('with --json the document stays alone on stdout: waits go to stderr', () => {
  const out = collector();
  const err = collector();
  const observer = progressObserver(out, true, err);
  observer.waiting?.('service[r]', 'to answer on 6390', 1);
  observer.finished(entry({}));
  expect(out.text).toBe('');
  expect(err.text).toBe('waiting for service[r] to answer on 6390 … 1 s\n');
});
