import type { JsonSchema } from './json-schema';
import {
  isCompatibleChange,
  sameValidation,
  schemaCompatibilityIssues,
  validatingContent,
  type CompatibilityRule,
} from './schema-compatibility';

/** A small released schema; each test changes one thing. */
const base = (): JsonSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:attest:event-schema:io.attest.test.thing-happened.v1',
  title: 'Thing happened',
  description: 'A thing happened.',
  type: 'object',
  additionalProperties: false,
  required: ['thingId', 'status', 'happenedAt'],
  properties: {
    thingId: { type: 'string', format: 'uuid', description: 'The thing.' },
    status: { type: 'string', enum: ['open', 'closed'] },
    kind: { type: 'string', enum: ['a', 'b'], 'x-attest-extensible-enum': true },
    happenedAt: { type: 'string', format: 'date-time' },
    score: { type: 'number', minimum: 0, maximum: 100 },
    note: { type: 'string' },
    owner: {
      type: 'object',
      additionalProperties: false,
      required: ['personId'],
      properties: { personId: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
    },
    tags: { type: 'array', items: { type: 'string', maxLength: 20 } },
  },
  examples: [
    { thingId: '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d', status: 'open', happenedAt: '2026-01-01T00:00:00Z' },
  ],
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into a plain JSON tree
type Edit = (s: any) => void;
const edited = (edit: Edit): JsonSchema => {
  const s = base();
  edit(s);
  return s;
};
const rules = (released: JsonSchema, current: JsonSchema): CompatibilityRule[] =>
  schemaCompatibilityIssues(released, current).map((i) => i.rule);

describe('schemaCompatibilityIssues', () => {
  it('finds nothing between a schema and itself', () => {
    expect(schemaCompatibilityIssues(base(), base())).toEqual([]);
  });

  it('ignores annotations: descriptions, titles, examples, comments', () => {
    const current = edited((s) => {
      s.title = 'Thing occurred';
      s.description = 'Reworded.';
      s.examples = [];
      s.$comment = 'note';
      s.properties.thingId.description = 'Another description.';
      s.properties.note.examples = ['hello'];
    });
    expect(schemaCompatibilityIssues(base(), current)).toEqual([]);
    expect(schemaCompatibilityIssues(current, base())).toEqual([]);
  });

  describe('properties', () => {
    const withNewOptional = edited((s) => (s.properties.extra = { type: 'string' }));

    it('accepts a new optional property', () => {
      expect(isCompatibleChange(base(), withNewOptional)).toBe(true);
    });

    it('refuses a removed property (the same change backwards)', () => {
      expect(rules(withNewOptional, base())).toEqual(['property-removed']);
      expect(
        rules(
          base(),
          edited((s) => delete s.properties.note),
        ),
      ).toEqual(['property-removed']);
    });

    it('refuses a renamed property', () => {
      const renamed = edited((s) => {
        s.properties.comment = s.properties.note;
        delete s.properties.note;
      });
      expect(rules(base(), renamed)).toEqual(['property-removed']);
    });

    it('refuses a removed required property once, as removed', () => {
      const current = edited((s) => {
        delete s.properties.status;
        s.required = ['thingId', 'happenedAt'];
      });
      expect(schemaCompatibilityIssues(base(), current)).toEqual([
        {
          path: '/properties/status',
          rule: 'property-removed',
          message: "property 'status' was removed or renamed",
        },
      ]);
    });

    it('looks into nested objects and array items', () => {
      expect(
        rules(
          base(),
          edited((s) => delete s.properties.owner.properties.name),
        ),
      ).toEqual(['property-removed']);
      const issues = schemaCompatibilityIssues(
        base(),
        edited((s) => (s.properties.tags.items.maxLength = 40)),
      );
      expect(issues).toEqual([
        {
          path: '/properties/tags/items',
          rule: 'constraint-changed',
          message: 'maxLength changed from 20 to 40',
        },
      ]);
    });
  });

  describe('required', () => {
    it('refuses a new required property', () => {
      const current = edited((s) => {
        s.properties.extra = { type: 'string' };
        s.required.push('extra');
      });
      expect(rules(base(), current)).toEqual(['required-added']);
    });

    it('refuses an optional property made required, and a required one made optional', () => {
      const noteRequired = edited((s) => s.required.push('note'));
      expect(rules(base(), noteRequired)).toEqual(['required-added']);
      expect(rules(noteRequired, base())).toEqual(['required-removed']);
    });

    it('applies inside nested objects', () => {
      const nameRequired = edited((s) => s.properties.owner.required.push('name'));
      expect(schemaCompatibilityIssues(base(), nameRequired)).toEqual([
        expect.objectContaining({ path: '/properties/owner/properties/name', rule: 'required-added' }),
      ]);
      expect(rules(nameRequired, base())).toEqual(['required-removed']);
    });
  });

  describe('types', () => {
    it('refuses a changed type in both directions', () => {
      const asInteger = edited((s) => (s.properties.score.type = 'integer'));
      expect(rules(base(), asInteger)).toEqual(['type-changed']);
      expect(rules(asInteger, base())).toEqual(['type-changed']);
    });

    it('refuses a widened type (null allowed)', () => {
      const nullable = edited((s) => (s.properties.note.type = ['string', 'null']));
      expect(rules(base(), nullable)).toEqual(['type-changed']);
      expect(rules(nullable, base())).toEqual(['type-changed']);
    });
  });

  describe('enums', () => {
    it('refuses a removed enum value', () => {
      expect(
        rules(
          base(),
          edited((s) => (s.properties.status.enum = ['open'])),
        ),
      ).toEqual(['enum-value-removed']);
    });

    it('refuses a new value in a closed enum', () => {
      const withReopened = edited((s) => s.properties.status.enum.push('reopened'));
      expect(rules(base(), withReopened)).toEqual(['enum-value-added']);
      expect(rules(withReopened, base())).toEqual(['enum-value-removed']);
    });

    it('accepts a new value in an enum released as x-attest-extensible-enum', () => {
      const withC = edited((s) => s.properties.kind.enum.push('c'));
      expect(schemaCompatibilityIssues(base(), withC)).toEqual([]);
      expect(rules(withC, base())).toEqual(['enum-value-removed']);
    });

    it('does not let a new version mark an enum extensible and add values at once', () => {
      const current = edited((s) => {
        s.properties.status['x-attest-extensible-enum'] = true;
        s.properties.status.enum.push('reopened');
      });
      expect(rules(base(), current)).toEqual(['enum-value-added']);
    });

    it('refuses an enum added to or dropped from a property', () => {
      const free = edited((s) => delete s.properties.status.enum);
      expect(rules(base(), free)).toEqual(['constraint-changed']);
      expect(rules(free, base())).toEqual(['constraint-changed']);
    });

    it('refuses a changed const', () => {
      const a = edited((s) => (s.properties.note.const = 'x'));
      const b = edited((s) => (s.properties.note.const = 'y'));
      expect(rules(a, b)).toEqual(['const-changed']);
      expect(rules(base(), a)).toEqual(['const-changed']);
      expect(rules(a, base())).toEqual(['const-changed']);
    });
  });

  describe('formats', () => {
    it('refuses a changed format', () => {
      const asDate = edited((s) => (s.properties.happenedAt.format = 'date'));
      expect(schemaCompatibilityIssues(base(), asDate)).toEqual([
        {
          path: '/properties/happenedAt',
          rule: 'format-changed',
          message: 'format changed: "date-time" → "date"',
        },
      ]);
      expect(rules(asDate, base())).toEqual(['format-changed']);
    });

    it('refuses an added format and a removed one', () => {
      const email = edited((s) => (s.properties.note.format = 'email'));
      expect(rules(base(), email)).toEqual(['format-changed']);
      expect(rules(email, base())).toEqual(['format-changed']);
    });
  });

  describe('additionalProperties', () => {
    const open = edited((s) => delete s.additionalProperties);
    const stringsOnly = edited((s) => (s.additionalProperties = { type: 'string' }));

    it('refuses tightening: open to closed, open to a schema, a schema to closed', () => {
      expect(rules(open, base())).toEqual(['additional-properties-tightened']);
      expect(rules(open, stringsOnly)).toEqual(['additional-properties-tightened']);
      expect(rules(stringsOnly, base())).toEqual(['additional-properties-tightened']);
    });

    it('accepts loosening: closed to open or to a schema, a schema to open', () => {
      expect(rules(base(), open)).toEqual([]);
      expect(rules(base(), stringsOnly)).toEqual([]);
      expect(rules(stringsOnly, open)).toEqual([]);
    });

    it('compares two additionalProperties schemas', () => {
      const numbers = edited((s) => (s.additionalProperties = { type: 'number' }));
      expect(rules(stringsOnly, numbers)).toEqual(['type-changed']);
    });
  });

  describe('constraints and other keywords', () => {
    it('refuses changed bounds in either direction', () => {
      const wider = edited((s) => (s.properties.score.maximum = 1000));
      expect(rules(base(), wider)).toEqual(['constraint-changed']);
      expect(rules(wider, base())).toEqual(['constraint-changed']);
    });

    it('refuses an added or removed pattern', () => {
      const patterned = edited((s) => (s.properties.note.pattern = '^\\S'));
      expect(rules(base(), patterned)).toEqual(['constraint-changed']);
      expect(rules(patterned, base())).toEqual(['constraint-changed']);
    });

    it('refuses changed conditionals (if/then) and compositions', () => {
      const conditional = edited(
        (s) =>
          (s.allOf = [{ if: { properties: { status: { const: 'closed' } } }, then: { required: ['note'] } }]),
      );
      expect(rules(base(), conditional)).toEqual(['keyword-changed']);
      expect(rules(conditional, base())).toEqual(['keyword-changed']);
      const reworded = edited(
        (s) =>
          (s.allOf = [
            {
              if: { properties: { status: { const: 'closed' } } },
              then: { required: ['note'], description: 'A closed thing needs a note.' },
            },
          ]),
      );
      expect(rules(conditional, reworded)).toEqual([]);
    });

    it('refuses a changed $id', () => {
      expect(
        rules(
          base(),
          edited((s) => (s.$id = 'urn:attest:event-schema:io.attest.test.thing-happened.v2')),
        ),
      ).toEqual(['schema-identity-changed']);
    });

    it('follows local $refs on both sides', () => {
      const viaRef = edited((s) => {
        s.$defs = { uuid: { type: 'string', format: 'uuid' } };
        s.properties.thingId = { $ref: '#/$defs/uuid', description: 'The thing.' };
      });
      expect(rules(base(), viaRef)).toEqual([]);
      expect(rules(viaRef, base())).toEqual([]);
      const refChanged = edited((s) => {
        s.$defs = { uuid: { type: 'string' } };
        s.properties.thingId = { $ref: '#/$defs/uuid' };
      });
      expect(rules(viaRef, refChanged)).toEqual(['format-changed']);
    });
  });

  it('reports every issue with a JSON pointer', () => {
    const current = edited((s) => {
      delete s.properties.note;
      s.properties.status.enum = ['open', 'closed', 'archived'];
      s.properties.owner.properties['a/b'] = { type: 'string' };
      s.properties.owner.required.push('a/b');
    });
    expect(schemaCompatibilityIssues(base(), current).map((i) => `${i.rule} ${i.path}`)).toEqual([
      'enum-value-added /properties/status',
      'property-removed /properties/note',
      'required-added /properties/owner/properties/a~1b',
    ]);
  });
});

describe('validatingContent', () => {
  it('drops annotations only at schema positions', () => {
    const schema = {
      description: 'dropped',
      properties: { description: { type: 'string', description: 'dropped too' } },
      enum: [{ description: 'kept: it is data' }],
    };
    expect(validatingContent(schema)).toEqual({
      properties: { description: { type: 'string' } },
      enum: [{ description: 'kept: it is data' }],
    });
    expect(sameValidation(schema, { ...schema, title: 'x' })).toBe(true);
  });
});
