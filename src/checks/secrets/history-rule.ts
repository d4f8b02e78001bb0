/**
 * PLM-SEC-003: no image history line holds a secret value. `docker history --no-trunc` shows every build step
 * (`ENV API_TOKEN=…`, `ARG DB_PASSWORD=…`, `RUN curl --password=…`) to anyone who can pull the image, even when a
 * later layer unsets the variable. Secrets are passed to builds as BuildKit secret mounts (`RUN --mount=type=secret`),
 * which leave no trace in the history. Each image's lines were screened and their values hashed at collection.
 */
import type { ApiObject } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { hasField, readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { engineCheck, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';
import { imageTarget } from '../engine/image-rules.js';
import { findingsByLocation, unscreened } from './secret-evidence.js';

/** PLM-SEC-003: every image's history (`GET /images/{id}/history`, each line's `CreatedBy`). */
export const IMAGE_HISTORY_SECRETS: Check = engineCheck({
  stigId: 'PLM-SEC-003',
  title: 'No image history line may hold a secret value.',
  targetKinds: ['image'],
  expected: 'no build step recorded in the image history (CreatedBy) holds a secret value: build secrets come from secret mounts (RUN --mount=type=secret), not ENV, ARG or command arguments',
  judge(facts): EngineDecision {
    const why = unscreened(facts);
    if (why !== undefined) return why;
    const part = requirePart(facts, 'engine');
    if ('outcome' in part) return part;
    const { images, histories } = part.data;
    if (images.length === 0) return { notApplicable: `${facts.nodeName} holds no images.` };
    if (histories === undefined) return { invalid: `the image histories of ${facts.nodeName} were not collected (facts from a Plimsoll that did not read them)` };
    const findings = findingsByLocation(facts);
    const judgements: EngineJudgement[] = [];
    for (const image of images) {
      const target = imageTarget(image);
      const id = readField(image, 'Id');
      if (typeof id !== 'string') return { invalid: `image ${target.name} has no Id` };
      const lines = histories[id];
      if (!Array.isArray(lines)) return { invalid: `the history of image ${target.name} was not collected` };
      const failing: EngineJudgement[] = [];
      for (const [j, line] of (lines as ApiObject[]).entries()) {
        if (!hasField(line, 'CreatedBy') || typeof readField(line, 'CreatedBy') !== 'string') return { invalid: `line ${j} of the history of image ${target.name} has no CreatedBy` };
        for (const f of findings.get(`engine/histories/${id}/${j}/CreatedBy`) ?? []) {
          const variable = f.name === '' ? 'a command argument' : f.name;
          failing.push({
            target,
            field: `history.${j}.CreatedBy`,
            value: { line: j, variable: f.name, classes: f.classes, hash: f.hash ?? null },
            verdict: 'fail',
            message: `Line ${j} of the history of image ${target.name} holds a secret value in ${variable} (${f.classes.join(', ')}; stored only as its salted hash).`,
          });
        }
      }
      judgements.push(
        ...(failing.length > 0
          ? failing
          : [{ target, field: 'history', value: lines.length, verdict: 'pass' as const, message: `The ${lines.length} history line(s) of image ${target.name} hold no secret value.` }]),
      );
    }
    return { judgements };
  },
});
