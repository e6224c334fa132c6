/** The collection phase: expand the role's run list, run its recipes, and reject every error before anything runs. */
import type { Attributes, Cookbook, Recipe, Resource, Role } from './api';
import { applyCookbookAttributes, deepMerge } from './attributes';
import { ResourceRecorder } from './dsl';
import { messageOf } from './message-of';

/** What compiling a role gave: the resources in order, the node's attributes, and the errors (empty = runnable). */
export interface Compiled {
  resources: Resource[];
  node: Attributes;
  errors: string[];
}

/** `redis` → `redis::default`. */
export function expandRef(ref: string): string {
  return ref.includes('::') ? ref : `${ref}::default`;
}

/**
 * Compiles a role: attributes are cookbook defaults < role defaults < node attributes, each used
 * cookbook's subtree validated by its schema; each recipe runs once, included ones in place.
 */
export function compile(role: Role, cookbooks: readonly Cookbook[], nodeAttributes: Attributes = {}): Compiled {
  const node = deepMerge(role.defaultAttributes, nodeAttributes);
  const byName = new Map(cookbooks.map((cookbook) => [cookbook.name, cookbook]));
  const errors: string[] = [];
  const prepared = new Map<string, boolean>(); // cookbook name → its attributes are valid
  const included = new Set<string>();

  const lookup = (ref: string, from: string): { cookbook: Cookbook; recipe: Recipe } | null => {
    const [cookbookName = '', recipeName = ''] = expandRef(ref).split('::');
    const cookbook = byName.get(cookbookName);
    const recipe = cookbook && Object.hasOwn(cookbook.recipes, recipeName) ? cookbook.recipes[recipeName] : undefined;
    if (cookbook && recipe) return { cookbook, recipe };
    errors.push(`${from}: unknown recipe ${expandRef(ref)}${cookbook ? ` (cookbook ${cookbookName} has ${Object.keys(cookbook.recipes).join(', ')})` : ''}`);
    return null;
  };
  const prepare = (cookbook: Cookbook): boolean => {
    if (!prepared.has(cookbook.name)) {
      const problems = applyCookbookAttributes(node, cookbook);
      errors.push(...problems);
      prepared.set(cookbook.name, problems.length === 0);
    }
    return prepared.get(cookbook.name) === true;
  };

  const recorder = new ResourceRecorder(node, (ref, from) => include(ref, from));
  const include = (ref: string, from: string): void => {
    const full = expandRef(ref);
    if (included.has(full)) return;
    included.add(full);
    const found = lookup(full, from);
    if (!found || !prepare(found.cookbook)) return;
    const outer = recorder.declaredIn;
    recorder.declaredIn = full;
    try {
      found.recipe(recorder);
    } catch (err) {
      errors.push(`${full}: the recipe threw: ${messageOf(err)}`);
    } finally {
      recorder.declaredIn = outer;
    }
  };

  // Every run-list cookbook's attributes are ready before the first recipe runs, as recipes may read each other's.
  const runList = role.runList.map((ref) => ({ ref, found: lookup(ref, `role ${role.name}: run list`) }));
  for (const { found } of runList) if (found) prepare(found.cookbook);
  if (errors.length === 0) {
    for (const { ref } of runList) include(ref, `role ${role.name}`);
    recorder.checkNotifications();
  }
  // A top-level key that no cookbook of this run reads is a typo (`redsi`) or a misplaced subtree: name it rather than drop it.
  const used = new Set([...runList.flatMap(({ found }) => (found ? [found.cookbook.name] : [])), ...prepared.keys()]);
  for (const key of Object.keys(node)) {
    if (!used.has(key)) errors.push(`attributes ${key}: unknown key (no cookbook of this run is named so; its cookbooks: ${[...used].join(', ')})`);
  }
  return { resources: recorder.resources, node, errors: [...errors, ...recorder.errors] };
}
