/**
 * Rules about what runs inside containers, read from the engine part of the inventory: the process list of
 * each running container (`GET /containers/{id}/top`) and the exec sessions each container lists
 * (`GET /exec/{id}/json`). A running container whose process list or exec sessions were not collected can't
 * be judged (error, never pass).
 */
import type { ApiObject, ContainerFacts, EngineInventory, NodeFacts } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { show, type ContainerJudgement, type JudgeResult } from '../container-rule.js';
import { labelField, readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { gatedContainerCheck, linuxOnly, type GateResult } from './gated.js';

/** The engine part, or the error outcome when it is missing. */
function engineGate(facts: NodeFacts): GateResult<EngineInventory> {
  const part = requirePart(facts, 'engine');
  return 'outcome' in part ? part : { context: part.data };
}

/** The commands of a `top` answer (its CMD or COMMAND column), or why they can't be read. */
export function topCommands(top: ApiObject): string[] | { invalid: string } {
  const titles = top.Titles;
  const rows = top.Processes;
  if (!Array.isArray(titles) || !titles.every((t) => typeof t === 'string')) return { invalid: `its process list has Titles ${show(titles)}: expected a list of column names` };
  const column = titles.findIndex((t) => t === 'CMD' || t === 'COMMAND');
  if (column < 0) return { invalid: `its process list has no CMD or COMMAND column (Titles ${show(titles)})` };
  if (rows === null) return [];
  if (!Array.isArray(rows)) return { invalid: `its process list has Processes ${show(rows)}: expected a list of rows` };
  const commands: string[] = [];
  for (const [i, row] of rows.entries()) {
    const cmd: unknown = Array.isArray(row) ? row[column] : undefined;
    if (typeof cmd !== 'string') return { invalid: `its process list row ${i} is ${show(row)}: expected a ${titles[column]} string` };
    commands.push(cmd);
  }
  return commands;
}

/** As the STIG's `ps -el | grep -i sshd`: any process whose command line mentions sshd. */
const SSHD = /sshd/i;

/**
 * DKER-EE-001970: no running container may run an SSH server: no process of its `top` (ps -ef) whose
 * command mentions sshd. Every container is considered (`docker ps -qa`); a stopped one has no process to
 * observe, which the check text says is not a finding ("Container not running errors are not a finding").
 */
export const sshdCheck: Check = linuxOnly(gatedContainerCheck<EngineInventory>({
  stigId: 'DKER-EE-001970',
  title: 'SSH must not run within Linux containers for Docker Enterprise.',
  requiredFields: ['State.Running'],
  expected: 'no process of the running container has sshd in its command (GET /containers/{id}/top); a stopped container is not a finding',
  excludesPlatformContainers: false,
  failing: 'run an SSH server',
  gate: engineGate,
  judge: (engine) => (inspect, container): JudgeResult => {
    const running = readField(inspect, 'State.Running');
    if (typeof running !== 'boolean') return { invalid: `State.Running is ${show(running)}: expected a boolean` };
    if (!running) {
      const status = labelField(inspect, 'State.Status');
      return {
        judgements: [{
          field: 'State.Running',
          value: false,
          verdict: 'pass',
          message: `is not running (State.Status ${show(status)}): it has no processes to observe, which the STIG counts as not a finding; the image is not inspected for an SSH server.`,
        }],
      };
    }
    const top = engine.processes[container.id];
    if (top === undefined) return { invalid: 'it is running but its process list was not collected (it may have stopped during collection)' };
    const commands = topCommands(top);
    if (!Array.isArray(commands)) return commands;
    const sshd = commands.map((command, index) => ({ command, index })).filter((p) => SSHD.test(p.command));
    if (sshd.length === 0) {
      return { judgements: [{ field: 'top.Processes', value: commands, verdict: 'pass', message: `none of its ${commands.length} processes is an SSH server.` }] };
    }
    return {
      judgements: sshd.map((p) => ({
        field: `top.Processes.${p.index}`,
        value: (top.Processes as unknown[])[p.index],
        verdict: 'fail' as const,
        message: `runs an SSH server process: ${p.command}.`,
      })),
    };
  },
}));

/** The engine part with exec sessions, or the error outcome when they were not collected. */
function execGate(facts: NodeFacts): GateResult<Record<string, ApiObject[]>> {
  const gate = engineGate(facts);
  if ('outcome' in gate) return gate;
  if (gate.context.execs === undefined) {
    return { outcome: { status: 'error', message: `The engine facts of ${facts.nodeName} have no exec sessions (they were collected before exec sessions were).`, observations: [] } };
  }
  return { context: gate.context.execs };
}

/** A container's exec sessions as collected, or why they can't be judged. */
function execsOf(execs: Record<string, ApiObject[]>, inspect: ApiObject, container: ContainerFacts): ApiObject[] | { invalid: string } {
  const ids = readField(inspect, 'ExecIDs');
  if (ids !== null && !Array.isArray(ids)) return { invalid: `ExecIDs is ${show(ids)}: expected null or a list` };
  const sessions = execs[container.id];
  if (sessions === undefined) return { invalid: 'its exec sessions were not collected' };
  return sessions;
}

const NOT_KEPT =
  'the engine keeps only running and not-yet-started exec sessions, so finished ones are found in the audit log only (the STIG: ausearch -k docker)';

/** The command line of a health-check probe of this container (the engine runs probes as exec sessions). */
function healthProbeCommand(inspect: ApiObject): string[] | undefined {
  const test = readField(inspect, 'Config.Healthcheck.Test');
  if (!Array.isArray(test) || !test.every((t) => typeof t === 'string')) return undefined;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] !== 'CMD-SHELL') return undefined;
  const shell = readField(inspect, 'Config.Shell');
  const prefix = Array.isArray(shell) && shell.length > 0 && shell.every((s) => typeof s === 'string') ? (shell as string[]) : ['/bin/sh', '-c'];
  return [...prefix, ...test.slice(1)];
}

/** The session's command line (`ProcessConfig.entrypoint` then `.arguments`). */
function execCommand(exec: ApiObject): string[] {
  const args = readField(exec, 'ProcessConfig.arguments');
  return [readField(exec, 'ProcessConfig.entrypoint'), ...(Array.isArray(args) ? args : [])].filter((a): a is string => typeof a === 'string');
}

/**
 * True for a health-check probe: the engine runs one as an exec session with the health check's command, as
 * the container's own user (Config.User), never privileged.
 */
export function isHealthProbe(exec: ApiObject, inspect: ApiObject): boolean {
  const probe = healthProbeCommand(inspect);
  if (probe === undefined) return false;
  const user = readField(exec, 'ProcessConfig.user') ?? '';
  const configUser = readField(inspect, 'Config.User') ?? '';
  return JSON.stringify(execCommand(exec)) === JSON.stringify(probe) && user === configUser && readField(exec, 'ProcessConfig.privileged') !== true;
}

interface ExecRuleSpec {
  stigId: string;
  title: string;
  /** Field of the exec inspection, e.g. `ProcessConfig.privileged`. */
  field: string;
  expected: string;
  failing: string;
  /** The verdict on one session's field value (missing reads as null), or why it can't be judged. */
  decide(value: unknown): { fails: boolean; what: string } | { invalid: string };
}

/** A rule over the exec sessions the engine knows of, one judgement per session (or one pass for none). */
function execCheck(spec: ExecRuleSpec): Check {
  return linuxOnly(gatedContainerCheck<Record<string, ApiObject[]>>({
    stigId: spec.stigId,
    title: spec.title,
    requiredFields: ['ExecIDs'],
    expected: spec.expected,
    excludesPlatformContainers: false,
    failing: spec.failing,
    gate: execGate,
    judge: (execs) => (inspect, container): JudgeResult => {
      const sessions = execsOf(execs, inspect, container);
      if (!Array.isArray(sessions)) return sessions;
      if (sessions.length === 0) {
        return { judgements: [{ field: 'ExecIDs', value: readField(inspect, 'ExecIDs'), verdict: 'pass', message: `has no exec sessions; ${NOT_KEPT}.` }] };
      }
      const judgements: ContainerJudgement[] = [];
      for (const [i, exec] of sessions.entries()) {
        const value = readField(exec, spec.field);
        const decision = spec.decide(value);
        const id = typeof exec.ID === 'string' ? exec.ID.slice(0, 12) : `#${i}`;
        if ('invalid' in decision) return { invalid: `exec session ${id} has ${spec.field} ${show(value)}: ${decision.invalid}` };
        const command = execCommand(exec).join(' ');
        const state = exec.Running === true ? 'running' : 'not started or ended';
        if (isHealthProbe(exec, inspect)) {
          // A probe runs as the container's own user: not a use of `docker exec --user`.
          judgements.push({ field: `execs.${i}.${spec.field}`, value, verdict: 'pass', message: `exec session ${id} (${command}, ${state}) is the engine's health-check probe, not a docker exec.` });
          continue;
        }
        judgements.push({
          field: `execs.${i}.${spec.field}`,
          value,
          verdict: decision.fails ? 'fail' : 'pass',
          message: `exec session ${id} (${command || 'unknown command'}, ${state}) ${decision.what}${decision.fails ? '' : `; ${NOT_KEPT}`}.`,
        });
      }
      return { judgements };
    },
  }));
}

/**
 * DKER-EE-002080: no exec session may run with `--privileged` (`ProcessConfig.privileged`). The STIG reads
 * the audit log; the engine shows the sessions it still keeps (running or not yet started), so a pass covers
 * those, and the message says so.
 */
export const privilegedExecCheck: Check = execCheck({
  stigId: 'DKER-EE-002080',
  title: 'Docker Enterprise exec commands must not be used with privileged option.',
  field: 'ProcessConfig.privileged',
  expected: 'no exec session the engine keeps has ProcessConfig.privileged true',
  failing: 'have exec sessions run with --privileged',
  decide: (value) => {
    if (value !== null && typeof value !== 'boolean') return { invalid: 'expected a boolean' };
    return value === true ? { fails: true, what: 'was created with --privileged' } : { fails: false, what: 'is not privileged' };
  },
});

/**
 * DKER-EE-002090: no exec session may be run with `--user` (`ProcessConfig.user`, omitted when not given).
 * Any user counts, root included: the finding is the use of the option. Same scope as DKER-EE-002080.
 */
export const userExecCheck: Check = execCheck({
  stigId: 'DKER-EE-002090',
  title: 'Docker Enterprise exec commands must not be used with the user option.',
  field: 'ProcessConfig.user',
  expected: 'no exec session the engine keeps has a ProcessConfig.user (docker exec --user)',
  failing: 'have exec sessions run with --user',
  decide: (value) => {
    if (value !== null && typeof value !== 'string') return { invalid: 'expected a string' };
    return typeof value === 'string' && value !== '' ? { fails: true, what: `was created with --user ${value}` } : { fails: false, what: 'was created without --user' };
  },
});

/** The process and exec session rules. */
export const PROCESS_CHECKS: readonly Check[] = [sshdCheck, privilegedExecCheck, userExecCheck];
