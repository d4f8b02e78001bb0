/**
 * Kysely, as the repositories import it. Kysely ships as some 260 ES modules, and loading them costs every CLI
 * process about 0.1 s (a third of what `plimsoll assess` spends loading code). The build replaces this module's
 * output with a single-file bundle of the installed package (scripts/bundle-kysely.mjs, run by `npm run build`
 * and `prepare`); where that step did not run, this re-export of the package is what runs, the same API, only
 * slower to load. Types come from the package either way.
 */
export * from 'kysely';
