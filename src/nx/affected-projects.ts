/**
 * Nx's own affected logic, as `nx show projects --affected` runs it (nx 22 to 24): base and head
 * default as in `nx affected` (`NX_BASE`/`NX_HEAD`, nx.json `defaultBase`, the merge base with
 * head; no head: the working tree), the touched files from git, the touched projects from Nx's
 * locators, then every project that depends on one of them.
 */
import type { NxJsonConfiguration, ProjectGraph } from '@nx/devkit';
import type * as AffectedProjectGraph from 'nx/src/project-graph/affected/affected-project-graph';
import type * as FileUtils from 'nx/src/project-graph/file-utils';
import type * as CommandLineUtils from 'nx/src/utils/command-line-utils';
import { loadNxInternal } from './load';

export interface AffectedRequest {
  projectGraph: ProjectGraph;
  nxJson: NxJsonConfiguration;
  /** Given refs; undefined: as `nx affected` defaults them. */
  base: string | undefined;
  head: string | undefined;
}

export interface AffectedProjects {
  /** The names of the affected projects. */
  projects: string[];
  /** The base the files were compared against (after Nx's merge-base step). */
  base: string;
  /** undefined: the working tree. */
  head: string | undefined;
}

export async function findAffectedProjects(request: AffectedRequest): Promise<AffectedProjects> {
  const cli = loadNxInternal<typeof CommandLineUtils>('nx/src/utils/command-line-utils');
  const files = loadNxInternal<typeof FileUtils>('nx/src/project-graph/file-utils');
  const affected = loadNxInternal<typeof AffectedProjectGraph>('nx/src/project-graph/affected/affected-project-graph');
  const args = { base: request.base, head: request.head, __overrides_unparsed__: [] };
  const { nxArgs } = cli.splitArgsIntoNxArgsAndOverrides(args, 'affected', { printWarnings: false }, request.nxJson);
  const changed = cli.parseFiles(nxArgs).files;
  const touched = files.calculateFileChanges(changed, nxArgs);
  const graph = await affected.filterAffected(request.projectGraph, touched, request.nxJson);
  return { projects: Object.keys(graph.nodes), base: nxArgs.base ?? '', head: nxArgs.head };
}
