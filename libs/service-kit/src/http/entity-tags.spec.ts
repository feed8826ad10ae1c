import { RequestValidationError } from '../request-validation';
import {
  entityTag,
  expectedVersionFromIfMatch,
  IF_MATCH_PATTERN,
  parseIfMatch,
  PreconditionFailedError,
} from './entity-tags';

describe('entity tags', () => {
  it('are the strong, quoted stream version', () => {
    expect(entityTag(0)).toBe('"0"');
    expect(entityTag(42)).toBe('"42"');
    expect(() => entityTag(-1)).toThrow(RangeError);
    expect(() => entityTag(1.5)).toThrow(RangeError);
  });

  it('add the position of outside state the representation shows', () => {
    expect(entityTag(7, 0)).toBe('"7.0"');
    expect(entityTag(7, 12)).toBe('"7.12"');
    expect(() => entityTag(7, -1)).toThrow(RangeError);
    expect(() => entityTag(7, 0.5)).toThrow(RangeError);
  });
});

describe('parseIfMatch (RFC 9110 §13.1.1)', () => {
  it.each([
    [undefined, undefined],
    ['*', { any: true }],
    [' * ', { any: true }],
    ['"3"', { any: false, tags: [{ weak: false, opaque: '3' }] }],
    ['W/"3"', { any: false, tags: [{ weak: true, opaque: '3' }] }],
    [
      '"1", W/"2" ,"a,b"',
      {
        any: false,
        tags: [
          { weak: false, opaque: '1' },
          { weak: true, opaque: '2' },
          { weak: false, opaque: 'a,b' },
        ],
      },
    ],
    [
      ['"1"', '"2"'],
      {
        any: false,
        tags: [
          { weak: false, opaque: '1' },
          { weak: false, opaque: '2' },
        ],
      },
    ],
    ['', { any: false, tags: [] }],
    [' , ,', { any: false, tags: [] }],
    [', "3" ,,', { any: false, tags: [{ weak: false, opaque: '3' }] }],
  ])('parses %j', (value, expected) => {
    expect(parseIfMatch(value)).toEqual(expected);
  });

  it.each(['3', '"3', 'W/3', '"3" x', '*, "3"', '"a"b"', '"1""2"', '\u00a0"3"'])(
    'refuses malformed %j',
    (value) => {
      expect(parseIfMatch(value)).toBeNull();
    },
  );
});

describe('expectedVersionFromIfMatch', () => {
  it('runs against the latest version without If-Match or with *', () => {
    expect(expectedVersionFromIfMatch(undefined)).toBeUndefined();
    expect(expectedVersionFromIfMatch('*')).toBeUndefined();
  });

  it('expects the version of one strong tag (repeated tags of one version too)', () => {
    expect(expectedVersionFromIfMatch('"7"')).toBe(7);
    expect(expectedVersionFromIfMatch('"7", "7"')).toBe(7);
    expect(expectedVersionFromIfMatch('W/"6", "7"')).toBe(7);
  });

  it('expects the version of a tag with an outside state’s position, whatever the position', () => {
    expect(expectedVersionFromIfMatch('"7.3"')).toBe(7);
    expect(expectedVersionFromIfMatch('"7.3", "7.4", "7"')).toBe(7);
    for (const value of ['"7.3", "8.3"', '"7."', '"7.03"', '".3"', '"7.3.1"', 'W/"7.3"'])
      expect(() => expectedVersionFromIfMatch(value)).toThrow(PreconditionFailedError);
  });

  it('fails the precondition (412) when no tag can match: an empty list, weak tags, tags that are not versions', () => {
    for (const value of ['W/"7"', '"abc"', '"07"', '"-1"', '"1", "2"', '', ' , '])
      expect(() => expectedVersionFromIfMatch(value)).toThrow(PreconditionFailedError);
  });

  it('states its syntax in the document: what the pattern admits parses, what it refuses does not', () => {
    const pattern = new RegExp(IF_MATCH_PATTERN);
    for (const value of ['*', '"7"', 'W/"6", "7"', ' "a" ,"b" ', '', ', "7" ,', '"a,b"']) {
      expect(pattern.test(value)).toBe(true);
      expect(parseIfMatch(value)).not.toBeNull();
    }
    for (const value of ['7', '"3', 'W/3', '"3" x', '*, "3"', '"1""2"', ', *']) {
      expect(pattern.test(value)).toBe(false);
      expect(parseIfMatch(value)).toBeNull();
    }
  });

  it('refuses a value that is not If-Match syntax as a validation problem on the header', () => {
    for (const value of ['7', '"3" x']) {
      const error = (() => {
        try {
          return expectedVersionFromIfMatch(value);
        } catch (e) {
          return e;
        }
      })() as RequestValidationError;
      expect(error).toBeInstanceOf(RequestValidationError);
      expect(error.errors).toEqual([{ pointer: '/If-Match', in: 'header', message: expect.any(String) }]);
    }
  });
});
