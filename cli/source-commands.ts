/** `tributary source add|list|status|remove`: built-in sources (RSS, Twitter, IMAP, IRC) from the command line, each with --json (cli/sources.ts). */

import { SOURCE_TYPES } from '../core/integrations/source-types';
import { leaf, withDirectory } from './admin-commands';
import { action, type CliCommand } from './command';

type Sources = typeof import('./sources');
const sources = () => require('./sources') as Sources;

export const SOURCE_COMMAND: CliCommand = {
  register(program) {
    const cmd = program.command('source').description(`add, list, inspect and remove built-in sources (${SOURCE_TYPES.join(', ')}) of flows`);
    leaf(cmd, 'add', 'add a built-in source to a flow; prints its flow token once').argument('<org/flow>', "the flow's path, e.g. acme/main")
      .requiredOption('--name <name>', 'the name shown on its posts')
      .requiredOption('--type <type>', `the integration: ${SOURCE_TYPES.join(', ')}`)
      .requiredOption('--config <json>', `its settings as JSON, e.g. '{"url":"https://example.com/feed.xml","interval_s":300}'`)
      .requiredOption('--creator <email>', 'the flow member it is created as')
      .action(action(async (o, path: string) => withDirectory((d) => {
        const { cliConfig } = require('./cli-config') as typeof import('./cli-config');
        return sources().addSource(d, path, o, cliConfig().SOURCE_SECRET_KEY);
      })));
    leaf(cmd, 'list', "list a flow's sources, or without a flow every built-in source, with their status").argument('[org/flow]', "the flow's path")
      .action(action(async (_o, path?: string) => withDirectory((d) => sources().listSources(d, path))));
    leaf(cmd, 'status', "a source's status: last run, last error, next run, items posted").argument('<org/flow>', "the flow's path").argument('<id>', 'the source id')
      .action(action(async (_o, path: string, id: string) => withDirectory((d) => sources().sourceStatus(d, path, id))));
    leaf(cmd, 'remove', 'delete a source: its worker stops and its flow token answers 410').argument('<org/flow>', "the flow's path").argument('<id>', 'the source id')
      .action(action(async (_o, path: string, id: string) => withDirectory((d) => sources().removeSource(d, path, id))));
  },
};
