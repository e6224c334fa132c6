/**
 * Test helper: runs recipes against a RecipeContext that only records what they declare, so the
 * cookbooks' declarations can be checked without the engine or the machine.
 */
import type { Attributes, Cookbook, RecipeContext, Resource, ResourceKind, ResourceKinds } from '../../api';
import { cookbooks as shipped } from '../index';

/** Runs `runList` (`cookbook` or `cookbook::recipe`) with `node` and returns the declared resources in order. */
export function collect(runList: string[], node: Attributes = {}, cookbooks: Cookbook[] = shipped): Resource[] {
  const resources: Resource[] = [];
  const included = new Set<string>();
  const byName = new Map(cookbooks.map((c) => [c.name, c]));
  const include = (ref: string) => {
    const [name, recipe = 'default'] = ref.split('::') as [string, string?];
    const key = `${name}::${recipe}`;
    if (included.has(key)) return;
    included.add(key);
    const fn = byName.get(name)?.recipes[recipe];
    if (!fn) throw new Error(`unknown recipe ${key}`);
    fn(context(key));
  };
  const context = (declaredIn: string): RecipeContext => {
    const add =
      <K extends ResourceKind>(kind: K) =>
      (name: string, props?: ResourceKinds[K]) => {
        const id = `${kind}[${name}]`;
        if (resources.some((r) => `${r.kind}[${r.name}]` === id)) throw new Error(`${id} declared twice`);
        resources.push({ kind, name, props: props ?? ({} as ResourceKinds[K]), declaredIn } as Resource);
        return id;
      };
    return {
      node,
      aptPackage: add('apt_package'),
      directory: add('directory'),
      file: add('file'),
      template: add('template'),
      user: add('user'),
      group: add('group'),
      service: add('service'),
      execute: add('execute'),
      includeRecipe: include,
    };
  };
  for (const ref of runList) include(ref);
  return resources;
}

/** The resource with this id, or a thrown error listing what there is. */
export function find<K extends ResourceKind>(resources: Resource[], kind: K, name: string): Resource<K> {
  const found = resources.find((r) => r.kind === kind && r.name === name);
  if (!found) throw new Error(`no ${kind}[${name}] among ${resources.map((r) => `${r.kind}[${r.name}]`).join(', ')}`);
  return found as Resource<K>;
}

/** Renders a template resource's content the way the engine would. */
export function render(resource: Resource<'template'>, node: Attributes): string {
  return resource.props.source(node, resource.props.variables ?? {});
}
