/** The shipped Prometheus alert rules parse, name only metrics Tributary exports, and each has its runbook entry. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { createMetrics } from '../../core/metrics';
import { projectRoot } from '../../core/project-root';
import { createFailoverMetrics } from '../../failover-manager/metrics';

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const root = projectRoot();
const file = load(readFileSync(join(root, 'ops', 'prometheus', 'tributary.rules.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
const rules = file.groups.flatMap((g) => g.rules);
const operations = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');

/** Every series name the services and the failover managers export (histograms with their suffixes). */
async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const registry of [createMetrics().registry, createFailoverMetrics(['127.0.0.1:6379']).registry]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    }
  }
  return names;
}

/** GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped. */
const anchors = new Set(
  operations.split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^#+\s*/, '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')),
);

test('the file has alert groups, each rule an alert with an expression, a severity, a summary and a runbook', () => {
  expect(rules.length).toBeGreaterThanOrEqual(8);
  for (const rule of rules) {
    expect(rule).toEqual(expect.objectContaining({ alert: expect.stringMatching(/^Tributary[A-Za-z]+$/), expr: expect.any(String) }));
    expect(['page', 'warning']).toContain(rule.labels?.severity);
    expect(rule.annotations).toEqual(expect.objectContaining({ summary: expect.any(String), runbook: expect.stringMatching(/^docs\/operations\.md#/) }));
  }
  expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
});

test('every alert names at least one metric, and only metrics Tributary exports', async () => {
  const known = await exported();
  for (const rule of rules) {
    const named = rule.expr!.match(/\btributary_[a-z0-9_]+/g) ?? [];
    expect({ alert: rule.alert, named: named.length > 0 }).toEqual({ alert: rule.alert, named: true });
    expect({ alert: rule.alert, unknown: named.filter((n) => !known.has(n)) }).toEqual({ alert: rule.alert, unknown: [] });
  }
});

test("every alert's runbook link leads to a heading of docs/operations.md", () => {
  for (const rule of rules) {
    const anchor = rule.annotations!.runbook!.split('#')[1]!;
    expect({ alert: rule.alert, found: anchors.has(anchor) }).toEqual({ alert: rule.alert, found: true });
  }
});
