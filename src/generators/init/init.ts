/**
 * `nx add nx-parallel` / `nx g nx-parallel:init`: adds a `parallel` target (`cache: false`) to a
 * project, or to `targetDefaults` in nx.json. Running it again changes nothing.
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

export default async function initGenerator(tree: Tree, options: InitOptions): Promise<void> {
  const targetName = options.targetName ?? 'parallel';
  if (options.project) addToProject(tree, options.project, targetName);
  if (options.targetDefaults || !options.project) addToTargetDefaults(tree, targetName);
  if (!options.skipFormat) await formatFiles(tree);
}
