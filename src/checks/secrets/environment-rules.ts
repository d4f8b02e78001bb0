/**
 * PLM-SEC-001 and PLM-SEC-002: no secret value in a container's environment (`docker inspect` shows it to anyone
 * with API access, and it is inherited by every process and child) nor in an image's configured environment
 * (baked in for every container and every holder of the image). Secrets belong in a secrets store, mounted as
 * files (`/run/secrets/…`, `*_FILE` variables). Every container counts, stopped ones too, platform ones too.
 */
import type { Check } from '../check.js';
import { containerTarget } from '../evidence.js';
import { requirePart } from '../parts.js';
import { engineCheck, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';
import { imageTarget } from '../engine/image-rules.js';
import { findingsByLocation, judgeEnv, storedVariables, unscreened } from './secret-evidence.js';

const EXPECTED = 'no environment variable holds a secret value (known credential formats, private keys, URLs with passwords, literal values of *_PASSWORD/*_TOKEN/*_SECRET/*_API_KEY-style names): secrets come from a secrets store, mounted as files';

/** PLM-SEC-001: containers' `Config.Env`. */
export const CONTAINER_ENV_SECRETS: Check = engineCheck({
  stigId: 'PLM-SEC-001',
  title: "No container's environment may hold a secret value.",
  targetKinds: ['container'],
  expected: EXPECTED,
  judge(facts): EngineDecision {
    const why = unscreened(facts);
    if (why !== undefined) return why;
    if (facts.containers.length === 0) return { notApplicable: `${facts.nodeName} has no containers, running or stopped.` };
    const findings = findingsByLocation(facts);
    const judgements: EngineJudgement[] = [];
    for (const c of facts.containers) {
      const variables = storedVariables(c.inspect, 'Config.Env', `container ${c.name}`);
      if ('invalid' in variables) return variables;
      judgements.push(...judgeEnv(containerTarget(c), 'Config.Env', variables, findings, (i) => `containers/${c.id}/inspect/Config/Env/${i}`, `Container ${c.name}`));
    }
    return { judgements };
  },
});

/** PLM-SEC-002: images' `Config.Env` (the ENV instructions baked into the image). */
export const IMAGE_ENV_SECRETS: Check = engineCheck({
  stigId: 'PLM-SEC-002',
  title: "No image's configured environment may hold a secret value.",
  targetKinds: ['image'],
  expected: EXPECTED,
  judge(facts): EngineDecision {
    const why = unscreened(facts);
    if (why !== undefined) return why;
    const part = requirePart(facts, 'engine');
    if ('outcome' in part) return part;
    const images = part.data.images;
    if (images.length === 0) return { notApplicable: `${facts.nodeName} holds no images.` };
    const findings = findingsByLocation(facts);
    const judgements: EngineJudgement[] = [];
    for (const [i, image] of images.entries()) {
      const target = imageTarget(image);
      // An image without any configuration (imported without --change) has no environment.
      const variables = image.Config === null ? [] : storedVariables(image, 'Config.Env', `image ${target.name}`);
      if ('invalid' in variables) return variables;
      judgements.push(...judgeEnv(target, 'Config.Env', variables, findings, (k) => `engine/images/${i}/Config/Env/${k}`, `Image ${target.name}`));
    }
    return { judgements };
  },
});
