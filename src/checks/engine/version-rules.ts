/**
 * DKER-EE-999999, supported version. Its check text names one finding: "Docker Enterprise Edition 2.x is
 * no longer supported by the vendor. If the system is running Docker Enterprise Edition 2.x, this is a
 * finding." Docker EE 2.0 shipped engine 17.06 (`17.06.2-ee-…`) and EE 2.1 engine 18.09; the engines
 * before them are older still. So an engine release before 19.03 (Docker Enterprise 3.0's engine) fails,
 * whatever its edition: community builds of those lines are as unsupported. A later engine (19.03, a
 * Mirantis Container Runtime 20.10/23.0, a distribution's 20.10 build) is not the finding the text names
 * and passes; the pass says that the vendor's support calendar for that release is not among the facts.
 */
import type { Check } from '../check.js';
import { labelField, readField } from '../evidence.js';
import { engineCheck, show, type EngineDecision } from './engine-rule.js';

/** The first engine release after Docker Enterprise 2.x (Docker Enterprise 3.0 shipped 19.03). */
export const FIRST_RELEASE_AFTER_EE2: readonly [number, number] = [19, 3];

/** `[year, month]` of an engine version (`18.09.11`, `17.06.2-ee-25`, `20.10.24+dfsg1`), or undefined. */
export function engineRelease(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

function before(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export const supportedVersionCheck: Check = engineCheck({
  stigId: 'DKER-EE-999999',
  title: 'The version of Docker Enterprise Edition running on the system must be a supported version.',
  expected: 'an engine release of 19.03 or later (not Docker Enterprise 2.x: engine 17.06 or 18.09, nor older)',
  judge: (facts): EngineDecision => {
    const version = readField(facts.version, 'Version');
    if (typeof version !== 'string' || version === '') return { invalid: `version.Version is ${show(version)}: expected the engine's version` };
    const release = engineRelease(version);
    if (release === undefined) return { invalid: `version.Version ${show(version)} names no year.month release` };
    // The platform name only words the message (the verdict follows the release): Platform is omitted by distribution builds.
    const platform = labelField(facts.version, 'Platform.Name');
    const platformName = typeof platform === 'string' && platform !== '' ? platform : undefined;
    const edition = platformName ?? 'no platform name: a distribution or source build';
    const enterprise = /-ee\b/i.test(version) || (platformName !== undefined && /enterprise/i.test(platformName));
    const ee2 = enterprise && (release[0] === 17 || release[0] === 18) && !(release[0] === 17 && release[1] < 6);
    if (before(release, FIRST_RELEASE_AFTER_EE2)) {
      return {
        judgements: [
          {
            field: 'version.Version',
            value: version,
            verdict: 'fail',
            message: ee2
              ? `The engine is ${version} (${edition}): Docker Enterprise Edition 2.x, which the vendor no longer supports.`
              : `The engine is ${version} (${edition}), a release of Docker Enterprise 2.x's era (before 19.03) or older, no longer supported.`,
          },
        ],
      };
    }
    return {
      judgements: [
        {
          field: 'version.Version',
          value: version,
          verdict: 'pass',
          message: `The engine is ${version} (${edition}), not Docker Enterprise Edition 2.x, the finding the check text names; the vendor's support calendar for this release is not among the facts.`,
        },
      ],
    };
  },
});

/** The version rules. */
export const VERSION_CHECKS: readonly Check[] = [supportedVersionCheck];
