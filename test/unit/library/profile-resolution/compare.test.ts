import { describe, expect, it } from 'vitest';
import { differences, firstDifferences } from './compare.js';

describe('firstDifferences', () => {
  const expected = { groups: [{ id: 'ac', controls: [{ id: 'ac-1', title: 'Policy', props: [{ name: 'label', value: 'AC-1' }] }] }] };

  it('is empty for equal values, whatever the key order', () => {
    expect(firstDifferences({ groups: [{ controls: [{ props: [{ value: 'AC-1', name: 'label' }], title: 'Policy', id: 'ac-1' }], id: 'ac' }] }, expected)).toEqual([]);
  });

  it('names the path of changed, missing and extra values, with ids in the path', () => {
    const actual = { groups: [{ id: 'ac', controls: [{ id: 'ac-1', title: 'Policy!', params: [], props: [] }] }] };
    expect(firstDifferences(actual, expected)).toEqual([
      '/groups/0(ac)/controls/0(ac-1)/title: "Policy!", expected "Policy"',
      '/groups/0(ac)/controls/0(ac-1)/props: length 0, expected 1',
      '/groups/0(ac)/controls/0(ac-1)/params: unexpected []',
    ]);
  });

  it('stops at max and can ignore whitespace', () => {
    expect(firstDifferences([1, 2, 3], [4, 5, 6], { max: 2 })).toHaveLength(2);
    expect(differences({ prose: ' a  b ' }, { prose: 'a b' }, { normalizeWhitespace: true })).toEqual([]);
    expect(differences({ prose: ' a  b ' }, { prose: 'a b' })).toEqual([{ path: '/prose', actual: ' a  b ', expected: 'a b', text: '/prose: " a  b ", expected "a b"' }]);
  });
});
