/** template: a file whose content is a TypeScript function of the node's attributes. */
import { z } from 'zod';
import type { Provider, TemplateProps } from '../api';
import { planFile } from './file-content';
import { ownershipSchema } from './ownership';
import { notifiesSchema } from './schema';

/** Props of `template`; `source` is checked to be a function (zod cannot describe its signature). */
export const templateSchema = z.strictObject({
  action: z.enum(['create', 'delete']).optional(),
  source: z.custom<TemplateProps['source']>((value) => typeof value === 'function', 'expected a function'),
  variables: z.record(z.string(), z.unknown()).optional(),
  ...ownershipSchema,
  sensitive: z.boolean().optional(),
  notifies: notifiesSchema,
});

/** Renders the source, then manages the result exactly as `file` does. */
export const templateProvider: Provider<'template'> = {
  actions: ['create', 'delete'],
  schema: templateSchema,
  plan: (resource, action, context) => {
    const { source, variables = {} } = resource.props;
    // Rendering happens at plan time, so why-run shows the real diff.
    const content = action === 'delete' ? '' : source(context.node, variables);
    return planFile(resource.name, { ...resource.props, content, action: action as 'create' | 'delete' });
  },
};
