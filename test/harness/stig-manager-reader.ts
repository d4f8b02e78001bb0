/**
 * Settings for STIG Manager's own checklist parser (npm @nuwcdivnpt/stig-manager-client-modules), the independent
 * reader of Plimsoll's CKL and CKLB in tests: every status imported as written, empty fields kept, nothing
 * accepted automatically.
 */
export const READER_OPTIONS = {
  fieldSettings: { detail: { enabled: 'always', required: 'optional' }, comment: { enabled: 'always', required: 'optional' } },
  allowAccept: false,
  importOptions: { autoStatus: 'saved', unreviewed: 'always', unreviewedCommented: 'notchecked', emptyDetail: 'import', emptyComment: 'import', allowCustom: true },
  sourceRef: 'test',
};
