import { FrontMatterError, parseFrontMatter } from './front-matter';

const doc = (...lines: string[]) => ['---', ...lines, '---', '', '# Body', 'text {{x}}'].join('\n');

describe('parseFrontMatter', () => {
  it('reads plain, quoted and list values and returns the body after the closing line', () => {
    const parsed = parseFrontMatter(
      doc(
        'id: access-control',
        'version: 1.0.0',
        'summary: Defines who may access what, and how access is removed.',
        'owner: "{{policy_owner}}"',
        "title: 'It''s a policy'",
        'controls: [AC-01, AC-02,HR-03]',
        'placeholders: []',
        '',
      ),
    );
    expect(parsed.data).toEqual({
      id: 'access-control',
      version: '1.0.0',
      summary: 'Defines who may access what, and how access is removed.',
      owner: '{{policy_owner}}',
      title: "It's a policy",
      controls: ['AC-01', 'AC-02', 'HR-03'],
      placeholders: [],
    });
    expect(parsed.body).toBe('\n# Body\ntext {{x}}');
  });

  it('accepts CRLF line ends', () => {
    expect(parseFrontMatter('---\r\nid: x\r\n---\r\nbody').data).toEqual({ id: 'x' });
  });

  it.each([
    ['no opening line', 'id: x\n---\n', 'line 1: the document must start with a "---" line'],
    ['no closing line', '---\nid: x\n', 'no closing "---" line'],
    ['a duplicate key', doc('id: a', 'id: b'), 'line 3: duplicate key "id"'],
    ['a nested mapping', doc('owner:', '  name: x'), 'line 2: "owner" has no value'],
    ['a block list', doc('controls:', '  - AC-01'), 'line 2: "controls" has no value'],
    ['a comment after a value', doc('id: a # note'), 'line 2: unsupported value a # note (quote it)'],
    ['a colon inside a plain value', doc('summary: a: b'), 'line 2: unsupported value a: b'],
    ['a number', doc('version: 1.0'), 'line 2: 1.0 would not be read as text'],
    ['a boolean', doc('draft: true'), 'line 2: true would not be read as text'],
    ['an anchor', doc('id: &a x'), 'line 2: unsupported value &a x'],
    ['a list without its closing bracket', doc('controls: [AC-01,'), 'line 2: a list must end with "]"'],
    ['a quoted list item', doc('controls: ["AC-01"]'), 'line 2: unsupported list item'],
    ['an empty list item', doc('controls: [AC-01, , AC-02]'), 'line 2: unsupported list item'],
    ['a broken double-quoted string', doc('owner: "a\\q"'), 'line 2: invalid double-quoted string'],
    ['a stray single quote', doc("title: 'it's'"), 'line 2: invalid single-quoted string'],
    ['a line that is not key: value', doc('just text'), 'line 2: expected "key: value"'],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseFrontMatter(text)).toThrow(FrontMatterError);
    expect(() => parseFrontMatter(text)).toThrow(message);
  });
});
