/**
 * `nx add nx-parallel` / `nx g nx-parallel:init`: registers the inferred-targets plugin in nx.json,
 * which gives every project a `parallel` target; or, when asked, adds the target to one project or
 * to `targetDefaults`. Says what it did; running it again changes nothing.
 */
import {
  formatFiles,
  logger,
  readNxJson,
  readProjectConfiguration,
  updateNxJson,
  updateProjectConfiguration,
  type TargetConfiguration,
  type Tree,
} from '@nx/devkit';
import { PARALLEL_EXECUTOR } from '../../graph/task-graph';

export interface InitOptions {
  project?: string;
  /** Register the plugin (the default when neither `project` nor `targetDefaults` is given). */
  plugin?: boolean;
  targetDefaults?: boolean;
  targetName?: string;
  skipFormat?: boolean;
}

const parallelTarget = (): TargetConfiguration => ({
  executor: PARALLEL_EXECUTOR,
  cache: false,
  options: { targets: ['build'] },
});

function addToProject(tree: Tree, project: string, targetName: string): void {
  const configuration = readProjectConfiguration(tree, project);
  if (configuration.targets?.[targetName]) {
    logger.info(`${project} already has a '${targetName}' target; left as it is.`);
    return;
  }
  configuration.targets = { ...configuration.targets, [targetName]: parallelTarget() };
  updateProjectConfiguration(tree, project, configuration);
  logger.info(`Added '${targetName}' to ${project}: run it with 'nx run ${project}:${targetName}'.`);
}

function addToTargetDefaults(tree: Tree, targetName: string): void {
  const nxJson = readNxJson(tree) ?? {};
  if (nxJson.targetDefaults?.[targetName]) {
    logger.info(`nx.json already has targetDefaults for '${targetName}'; left as they are.`);
    return;
  }
  nxJson.targetDefaults = { ...nxJson.targetDefaults, [targetName]: parallelTarget() };
  updateNxJson(tree, nxJson);
  logger.info(
    `Added '${targetName}' to targetDefaults in nx.json. A project uses it once its project.json declares ` +
      `"${targetName}": {} (then: nx run <project>:${targetName}).`,
  );
}

export const PLUGIN = 'nx-parallel/plugin';

const pluginName = (entry: string | { plugin: string }): string => (typeof entry === 'string' ? entry : entry.plugin);

function registerPlugin(tree: Tree, targetName: string): void {
  const nxJson = readNxJson(tree) ?? {};
  if ((nxJson.plugins ?? []).some((entry) => pluginName(entry) === PLUGIN)) {
    logger.info(`nx.json already registers the plugin '${PLUGIN}'; left as it is.`);
    return;
  }
  const entry = targetName === 'parallel' ? PLUGIN : { plugin: PLUGIN, options: { targetName } };
  nxJson.plugins = [...(nxJson.plugins ?? []), entry];
  updateNxJson(tree, nxJson);
  logger.info(
    `Registered the plugin '${PLUGIN}' in nx.json: every project now has a '${targetName}' target. ` +
      `Run 'nx run <project>:${targetName}' to build the project and its dependencies on warm workers ` +
      `('nx show project <project>' shows the target; a '${targetName}' target a project declares itself wins).`,
  );
}

export default async function initGenerator(tree: Tree, options: InitOptions): Promise<void> {
  const targetName = options.targetName ?? 'parallel';
  if (options.project) addToProject(tree, options.project, targetName);
  if (options.targetDefaults) addToTargetDefaults(tree, targetName);
  if (options.plugin ?? (!options.project && !options.targetDefaults)) registerPlugin(tree, targetName);
  if (!options.skipFormat) await formatFiles(tree);
}
