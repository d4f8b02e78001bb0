/**
 * The manual steps of a remediation plan: what Plimsoll never applies (a container recreated, a daemon
 * restarted, a host file's owner or mode), written for the target at hand. The instructions are the rule's
 * concrete remediation (src/checks/remediation.ts) with the target's name in place of NAME or the file's path
 * in place of CA_FILE/CERT_FILE/KEY_FILE; the commands are those Plimsoll can write exactly: recreating a
 * compose service or a swarm service's tasks, `docker service update` with the flags of an in-place setting, a
 * chown or chmod of a host file. A container run by hand can't be recreated exactly (its original `docker run`
 * is not recorded by the engine): its commands say so with `<its other options>`.
 */
import { FILE_REQUIREMENTS } from '../checks/host/file-permission-rules.js';
import { remediationFor } from '../checks/remediation.js';
import type { ApiObject } from '../domain/facts.js';
import type { ContainerUpdate, RemediationAction } from '../domain/remediation.js';
import type { AssessedTarget } from '../domain/target-results.js';
import { commandLine, type InPlaceContainerChange } from './in-place-changes.js';

/** How a container came to be, from its labels: what recreates it. */
export type ContainerOrigin =
  | { kind: 'compose'; project: string; service: string; configFiles: string[]; workingDir?: string }
  | { kind: 'swarm'; service: string }
  | { kind: 'plain' };

function label(inspect: ApiObject | undefined, key: string): string | undefined {
  const config = inspect?.Config;
  const labels = typeof config === 'object' && config !== null ? (config as ApiObject).Labels : undefined;
  const value = typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The origin of a container from its inspection's labels (compose and swarm set them). */
export function containerOrigin(inspect: ApiObject | undefined): ContainerOrigin {
  const swarmService = label(inspect, 'com.docker.swarm.service.name');
  if (swarmService !== undefined) return { kind: 'swarm', service: swarmService };
  const project = label(inspect, 'com.docker.compose.project');
  const service = label(inspect, 'com.docker.compose.service');
  if (project !== undefined && service !== undefined) {
    const files = label(inspect, 'com.docker.compose.project.config_files');
    const workingDir = label(inspect, 'com.docker.compose.project.working_dir');
    return { kind: 'compose', project, service, configFiles: files === undefined ? [] : files.split(','), ...(workingDir !== undefined ? { workingDir } : {}) };
  }
  return { kind: 'plain' };
}

/** The commands that recreate a container, after its definition was changed as the instructions say. */
export function recreateCommands(name: string, image: string | undefined, origin: ContainerOrigin): string[] {
  switch (origin.kind) {
    case 'compose':
      return [commandLine(['docker', 'compose', '--project-name', origin.project, ...origin.configFiles.flatMap((f) => ['--file', f]), 'up', '--detach', '--force-recreate', '--no-deps', origin.service])];
    case 'swarm':
      return [commandLine(['docker', 'service', 'update', '--force', origin.service])];
    case 'plain':
      return [commandLine(['docker', 'rm', '--force', name]), `${commandLine(['docker', 'run', '--detach', '--name', name])} <its other options, changed as above> ${commandLine([image ?? '<image>'])}`];
  }
}

/** The rule's remediation text written for the target: its name or path in place of the placeholders. */
export function instructionsFor(stigId: string, fixText: string, target: AssessedTarget): string {
  const text = remediationFor(stigId) ?? fixText.trim();
  if (target.kind === 'container') return text.replace(/\bNAME\b/g, target.name);
  if (target.kind === 'file') return text.replace(/\b(CA_FILE|CERT_FILE|KEY_FILE)\b/g, target.name);
  return text;
}

/** The chown or chmod a host file rule needs on this file. */
export function fileCommands(stigId: string, path: string): string[] {
  const r = FILE_REQUIREMENTS[stigId];
  if (r === undefined) return [];
  return 'owner' in r ? [commandLine(['chown', `${r.owner}:${r.group}`, path])] : [commandLine(['chmod', r.mask.toString(8), path])];
}

/** The manual step of a failing target: why it is manual, what to do, and the commands Plimsoll can write exactly. */
export function manualStep(input: { stigId: string; fixText: string; target: AssessedTarget; inspect?: ApiObject; reason: string }): RemediationAction & { mode: 'manual' } {
  const { stigId, fixText, target, inspect, reason } = input;
  const instructions = instructionsFor(stigId, fixText, target);
  let commands: string[] = [];
  if (target.kind === 'container') commands = recreateCommands(target.name, target.image, containerOrigin(inspect));
  else if (target.kind === 'file') commands = fileCommands(stigId, target.name);
  return { mode: 'manual', reason, instructions, commands };
}

/**
 * The manual step of an in-place setting on a swarm task: the service's spec is what the swarm keeps (a changed
 * container would be replaced by its spec), so the change is `docker service update` with the setting's flags,
 * or, for a setting services don't have, the instructions alone.
 */
export function serviceStep(input: { stigId: string; fixText: string; target: AssessedTarget; service: string; change: InPlaceContainerChange; update: ContainerUpdate }): RemediationAction & { mode: 'manual' } {
  const flags = input.change.serviceArgs(input.update);
  const reason = `${input.target.name} is a task of the swarm service ${input.service}: change the service, whose spec the swarm restores on its tasks`;
  return {
    mode: 'manual',
    reason: flags === undefined ? `${reason} (services have no ${input.change.setting} setting: set it in the service's deployment instead)` : reason,
    instructions: instructionsFor(input.stigId, input.fixText, input.target),
    commands: flags === undefined ? [] : [commandLine(['docker', 'service', 'update', ...flags, input.service])],
  };
}
