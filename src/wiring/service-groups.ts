/**
 * Which services src/main.ts wires when the application opens (the library core: what `plimsoll import` needs)
 * and which ./services.ts wires, on the first call of one of them when the application opens lazily (the CLI).
 */
import type { AppServices } from '../domain/services.js';

/** The services wired by ./services.ts; every other service of AppServices is wired by src/main.ts. */
export const LATER_SERVICES = [
  'nodes',
  'nodeAssets',
  'assessments',
  'exemptions',
  'remediation',
  'reviews',
  'checklists',
  'convert',
  'benchmarkDiff',
  'coverage',
  'search',
  'downloads',
  'drift',
  'history',
  'schedules',
  'webhooks',
  'notifications',
  'reports',
  'supplyChain',
] as const satisfies readonly (keyof AppServices)[];

export type LaterService = (typeof LATER_SERVICES)[number];
