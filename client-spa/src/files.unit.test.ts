import { formatSize, uploadName } from './files';

test('sizes read as people say them', () => {
  expect([0, 900, 1024, 1536, 10 * 1024, 2.5 * 1024 * 1024, 3 * 1024 ** 3].map(formatSize)).toEqual(['0 B', '900 B', '1.0 KB', '1.5 KB', '10 KB', '2.5 MB', '3.0 GB']);
});

test('a pasted image gets a name with its time; a named file keeps its name', () => {
  const at = new Date('2026-11-30T17:05:09Z');
  expect(uploadName(new File(['x'], 'image.png'), at)).toBe('Pasted image 2026-11-30 17.05.09.png');
  expect(uploadName(new File(['x'], ''), at)).toBe('Pasted image 2026-11-30 17.05.09.png');
  expect(uploadName(new File(['x'], 'report.pdf'), at)).toBe('report.pdf');
});
