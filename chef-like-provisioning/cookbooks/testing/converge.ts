/** Test helpers for converging cookbooks for real: run a run list, stop what it started, talk TCP. */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Attributes } from '../../api';
import { compile } from '../../compile';
import { type RunReport, runResources } from '../../runner';
import { cookbooks } from '../index';

/** Compiles and converges `runList` with `node`; throws with the errors or the failed resource. */
export async function converge(runList: string[], node: Attributes, whyRun = false): Promise<RunReport> {
  const compiled = compile({ name: 'test', description: 'test', runList, defaultAttributes: {} }, cookbooks, node);
  if (compiled.errors.length) throw new Error(compiled.errors.join('\n'));
  const report = await runResources(compiled.resources, { whyRun, node: compiled.node });
  const failed = report.resources.find((r) => r.status === 'failed');
  if (failed) throw new Error(failed.error);
  return report;
}

/** Ids of the resources a run changed (notified actions included, in order). */
export function changedIds(report: RunReport): string[] {
  return report.resources.filter((r) => r.status === 'changed').map((r) => `${r.id}${r.notifiedBy ? ` ${r.action}` : ''}`);
}

/** PID 1 here reaps no orphans, so a killed daemon lingers as a zombie: that counts as gone. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Kills the process in each pid file (SIGKILL: tests only clean up) and waits for it to go. */
export async function killByPidFiles(pidFiles: string[]): Promise<void> {
  for (const file of pidFiles) {
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      continue; // already gone
    }
    for (let i = 0; i < 50 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends `lines` to 127.0.0.1:port and resolves with everything read once `until` matches (or rejects on timeout). */
export function talk(port: number, lines: string[], until: RegExp, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(lines.map((l) => `${l}\r\n`).join('')));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ${until} from port ${port} within ${timeoutMs} ms; got: ${received}`));
    }, timeoutMs);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (until.test(received)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
