/** The recipe DSL: a RecipeContext that validates and records each declared resource. */
import { isDeepStrictEqual } from 'node:util';
import type {
  AptPackageProps, Attributes, DirectoryProps, ExecuteProps, FileProps, GroupProps, RecipeContext, Resource, ResourceKind,
  ServiceProps, TemplateProps, UserProps,
} from './api';
import { describeIssues } from './attributes';
import { providerFor, providers } from './providers';

/** `kind[name]`, a resource's identity. */
export function resourceId(resource: { kind: string; name: string }): string {
  return `${resource.kind}[${resource.name}]`;
}

/**
 * Records resources as recipes declare them. Every declaration is checked at once (kind, props,
 * action, duplicates); errors are collected, not thrown, so one pass names every offender.
 */
export class ResourceRecorder implements RecipeContext {
  readonly resources: Resource[] = [];
  readonly errors: string[] = [];
  /** `cookbook::recipe` running now; set by the compiler. */
  declaredIn = '';
  private readonly byId = new Map<string, Resource>();

  constructor(
    readonly node: Attributes,
    private readonly include: (ref: string, from: string) => void,
  ) {}

  aptPackage = (name: string, props: AptPackageProps = {}) => this.record('apt_package', name, props);
  directory = (path: string, props: DirectoryProps = {}) => this.record('directory', path, props);
  file = (path: string, props: FileProps) => this.record('file', path, props);
  template = (path: string, props: TemplateProps) => this.record('template', path, props);
  user = (name: string, props: UserProps = {}) => this.record('user', name, props);
  group = (name: string, props: GroupProps = {}) => this.record('group', name, props);
  service = (name: string, props: ServiceProps) => this.record('service', name, props);
  execute = (name: string, props: ExecuteProps) => this.record('execute', name, props);
  includeRecipe = (ref: string) => this.include(ref, this.declaredIn);

  /** The resource with this id, if declared. */
  find(id: string): Resource | undefined {
    return this.byId.get(id);
  }

  /** Declares a resource of any kind; typed loosely because recipes loaded as JS may pass anything. */
  record(kind: ResourceKind, name: string, props: unknown): string {
    const id = `${String(kind)}[${String(name)}]`;
    const where = `${this.declaredIn}: ${id}`;
    const provider = providerFor(kind);
    if (!provider) return this.fail(id, `${where}: unknown resource kind "${String(kind)}" (known: ${Object.keys(providers).join(', ')})`);
    if (typeof name !== 'string' || name === '') return this.fail(id, `${where}: the name must be a non-empty string`);
    const action = (props as { action?: unknown } | undefined)?.action;
    if (action !== undefined && !provider.actions.includes(action as string)) {
      return this.fail(id, `${where}: action ${String(action)} is not one of ${provider.actions.join(', ')}`);
    }
    const parsed = provider.schema.safeParse(props ?? {});
    if (!parsed.success) return this.fail(id, ...describeIssues(`${where}: props`, parsed.error, provider.schema));
    const existing = this.byId.get(id);
    if (existing) {
      // Declaring the same thing twice is harmless (two recipes needing one package); differently is a conflict.
      if (!isDeepStrictEqual(existing.props, props)) this.errors.push(`${where}: declared again with different props (first in ${existing.declaredIn})`);
      return id;
    }
    const resource = { kind, name, props, declaredIn: this.declaredIn } as Resource;
    this.byId.set(id, resource);
    this.resources.push(resource);
    return id;
  }

  private fail(id: string, ...errors: string[]): string {
    this.errors.push(...errors);
    return id;
  }

  /** Errors for notifications naming a resource that is not declared or an action it does not have. */
  checkNotifications(): void {
    for (const resource of this.resources) {
      for (const n of resource.props.notifies ?? []) {
        const where = `${resource.declaredIn}: ${resourceId(resource)}: notifies ${n.resource}`;
        const target = this.byId.get(n.resource);
        const actions = target ? providerFor(target.kind)?.actions ?? [] : [];
        if (!target) this.errors.push(`${where}, which is not declared`);
        else if (!actions.includes(n.action)) this.errors.push(`${where} to ${n.action}, which it cannot (actions: ${actions.join(', ')})`);
      }
    }
  }
}
