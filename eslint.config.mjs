// GraphQL ESLint over the emitted schema (schemas/schema.graphql): descriptions, naming and Relay rules.
// `npm run lint:schema`; also run by test/unit/graphql/schema-guard.test.ts inside `npm test`.
import graphql from '@graphql-eslint/eslint-plugin';

export default [
  {
    files: ['schemas/schema.graphql'],
    languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: { schema: 'schemas/schema.graphql' } } },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      // Every type, field, argument and enum value is described.
      '@graphql-eslint/require-description': ['error', { types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true, DirectiveDefinition: true }],
      '@graphql-eslint/description-style': ['error', { style: 'block' }],
      '@graphql-eslint/no-hashtag-description': 'error',
      // Names: types for what they are (a Node's domain key is deliberately `<type>Id`, e.g. Control.controlId,
      // beside its opaque global `id`, so no-typename-prefix is not used) (no server class suffixes), camelCase fields and arguments, ALL_CAPS enum values.
      '@graphql-eslint/naming-convention': [
        'error',
        {
          types: { style: 'PascalCase', forbiddenSuffixes: ['Type', 'Page'] },
          InputObjectTypeDefinition: { style: 'PascalCase', requiredSuffixes: ['Input'] },
          FieldDefinition: 'camelCase',
          InputValueDefinition: 'camelCase',
          EnumValueDefinition: 'UPPER_CASE',
          'FieldDefinition[parent.name.value=Query]': { forbiddenPrefixes: ['get', 'query', 'list'] },
          'FieldDefinition[parent.name.value=Mutation]': { forbiddenSuffixes: ['Mutation'] },
        },
      ],
      '@graphql-eslint/input-name': ['error', { checkInputType: true, caseSensitiveInputType: false }],
      '@graphql-eslint/no-unreachable-types': 'error',
      '@graphql-eslint/require-deprecation-reason': 'error',
      // One way to page: Relay connections, edges, PageInfo and paging arguments.
      '@graphql-eslint/relay-connection-types': 'error',
      '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
      '@graphql-eslint/relay-page-info': 'error',
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
    },
  },
];
