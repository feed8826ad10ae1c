import { eventCatalog } from './event-catalog';
import { isJsonObject, type JsonSchema } from './json-schema';
import {
  personalFieldsOf,
  personalFieldsOfStoreType,
  PLACEHOLDER_TOKEN,
  SEALED_FIELD_SCHEMA,
  SEALED_TOKEN_PATTERN,
  withPlaceholderTokens,
} from './personal-data';
import { validateEventData } from './event-validation';

/** Every schema node under `properties` (recursively, arrays too), with its JSON pointer into the payload. */
function fieldsOf(schema: JsonSchema, pointer = ''): { pointer: string; name: string; node: JsonSchema }[] {
  const out: { pointer: string; name: string; node: JsonSchema }[] = [];
  if (isJsonObject(schema.properties))
    for (const [name, node] of Object.entries(schema.properties))
      if (isJsonObject(node))
        out.push({ pointer: `${pointer}/${name}`, name, node }, ...fieldsOf(node, `${pointer}/${name}`));
  if (isJsonObject(schema.items)) out.push(...fieldsOf(schema.items, `${pointer}/*`));
  return out;
}

const isSealed = (node: JsonSchema) =>
  node.type === SEALED_FIELD_SCHEMA.type &&
  node.pattern === SEALED_FIELD_SCHEMA.pattern &&
  node.maxLength === SEALED_FIELD_SCHEMA.maxLength;

function valueAt(data: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, key) => (isJsonObject(v) ? v[key] : undefined), data);
}

describe.each(eventCatalog.map((c) => [c.ceType, c] as const))('personal data of %s', (ceType, contract) => {
  const fields = fieldsOf(contract.schema);
  const declared = personalFieldsOf(ceType);

  it('seals exactly the declared fields, each with its subject next to it in the payload', () => {
    expect(declared.map((d) => d.pointer).sort()).toEqual(
      fields
        .filter((f) => isSealed(f.node))
        .map((f) => f.pointer)
        .sort(),
    );
    for (const { subject } of declared) {
      const node = fields.find((f) => f.pointer === subject)?.node;
      expect(node).toMatchObject({ type: 'string' });
    }
  });

  it('publishes no name or e-mail address in the clear', () => {
    const clear = fields.filter((f) => /^(displayName|email)$/.test(f.name) && !isSealed(f.node));
    expect(clear.map((f) => f.pointer)).toEqual([]);
  });

  it('shows a sealed token in its example, which validates', () => {
    const example = contract.schema.examples[0];
    for (const { pointer } of declared) {
      const value = valueAt(example, pointer);
      if (value !== undefined) expect(value).toMatch(SEALED_TOKEN_PATTERN);
    }
    expect(validateEventData(ceType, example)).toEqual([]);
  });

  it('refuses a plain value where a sealed one belongs', () => {
    const example = JSON.parse(JSON.stringify(contract.schema.examples[0]));
    example.actor.displayName = 'Priya Raman';
    expect(validateEventData(ceType, example)).toEqual([expect.stringMatching(/^\/actor\/displayName/)]);
  });
});

describe('personal fields by store type', () => {
  it('follows the catalog of a context; a type without a contract has none', () => {
    const ofReadiness = personalFieldsOfStoreType('readiness');
    expect(ofReadiness('RemediationTaskCreated').map((f) => f.pointer)).toEqual([
      '/actor/displayName',
      '/owner/displayName',
      '/owner/email',
    ]);
    expect(ofReadiness('PolicyAccepted')).toEqual([]);
    expect(personalFieldsOfStoreType('control-mapping')('PolicyAccepted')).toContainEqual({
      pointer: '/person/email',
      subject: '/person/personId',
    });
  });
});

describe('the sealed token', () => {
  it('has one shape in the schemas and in code', () => {
    const schemaPattern = new RegExp(SEALED_FIELD_SCHEMA.pattern);
    const key = 'Wm9Vb3JqYmNhQ2tBbFRvNQ';
    const body = 'q1eX'.repeat(12);
    for (const [token, valid] of [
      [`pd1.${key}.${body}`, true],
      [`pd1.${key}.${body.slice(0, 39)}`, false],
      [`pd1.${key}x.${body}`, false],
      [`pd2.${key}.${body}`, false],
      [`pd1.${key}.${body}=`, false],
      ['Dana Whitfield', false],
    ] as const) {
      expect(SEALED_TOKEN_PATTERN.test(token)).toBe(valid);
      expect(schemaPattern.test(token)).toBe(valid);
    }
  });
});

describe('a decided payload in its published shape (withPlaceholderTokens)', () => {
  const ceType = 'io.attest.control-mapping.control-owner-assigned.v1';
  const decided = () => ({
    actor: { type: 'user', id: 'u-1', displayName: 'Priya Raman' },
    owner: { personId: 'p-1', displayName: 'Marcus Chen', email: 'marcus.chen@lumen.example' },
    previousOwner: null,
  });

  it('puts a token wherever sealing would, and nowhere else, leaving the decided payload as it was', () => {
    const data = decided();
    expect(SEALED_TOKEN_PATTERN.test(PLACEHOLDER_TOKEN)).toBe(true);
    expect(withPlaceholderTokens(ceType, data)).toEqual({
      actor: { type: 'user', id: 'u-1', displayName: PLACEHOLDER_TOKEN },
      owner: { personId: 'p-1', displayName: PLACEHOLDER_TOKEN, email: PLACEHOLDER_TOKEN },
      previousOwner: null,
    });
    expect(data).toEqual(decided());
  });

  it('leaves a missing or non-string personal field for the schema to refuse', () => {
    const data = {
      ...decided(),
      actor: { type: 'user', id: 'u-1' },
      owner: { ...decided().owner, email: 7 },
    };
    expect(withPlaceholderTokens(ceType, data)).toMatchObject({
      actor: { type: 'user', id: 'u-1' },
      owner: { displayName: PLACEHOLDER_TOKEN, email: 7 },
    });
  });

  it('refuses a value that is already a token or has no subject to be sealed for', () => {
    const sealed = { ...decided(), owner: { ...decided().owner, email: PLACEHOLDER_TOKEN } };
    expect(() => withPlaceholderTokens(ceType, sealed)).toThrow(/\/owner\/email is already sealed/);
    const noSubject = { ...decided(), owner: { displayName: 'Marcus Chen' } };
    expect(() => withPlaceholderTokens(ceType, noSubject)).toThrow(/\/owner\/displayName has no subject/);
  });
});
