/** Every resource kind's provider, by kind. */
import type { Provider, ResourceKind } from '../api';
import { aptPackageProvider } from './apt-package';
import { directoryProvider } from './directory';
import { executeProvider } from './execute';
import { fileProvider } from './file';
import { groupProvider } from './group';
import { serviceProvider } from './service';
import { templateProvider } from './template';
import { userProvider } from './user';

/** The provider of each resource kind. */
export const providers: { readonly [K in ResourceKind]: Provider<K> } = {
  apt_package: aptPackageProvider,
  directory: directoryProvider,
  file: fileProvider,
  template: templateProvider,
  user: userProvider,
  group: groupProvider,
  service: serviceProvider,
  execute: executeProvider,
};

/** The provider of a kind named at run time (a recipe loaded as JS may name any), or undefined. */
export function providerFor(kind: string): Provider | undefined {
  return Object.hasOwn(providers, kind) ? (providers[kind as ResourceKind] as Provider) : undefined;
}
