import { contractForCeType, eventCatalog } from './event-catalog';
import { validateEventData } from './event-validation';
import { isJsonObject, type JsonSchema } from './json-schema';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
function exampleOf(ceType: string): Record<string, unknown> {
  const contract = contractForCeType(ceType);
  if (!contract) throw new Error(`no contract ${ceType}`);
  return clone(contract.schema.examples[0] as Record<string, unknown>);
}

/** The first place in the example whose schema is an enum: its path of keys and a setter. */
function findEnumSlot(
  schema: JsonSchema,
  value: unknown,
  path: (string | number)[] = [],
): (string | number)[] | null {
  if (Array.isArray(schema.enum) && path.length) return path;
  if (isJsonObject(value) && isJsonObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!(name in value) || !isJsonObject(sub)) continue;
      const found = findEnumSlot(sub, value[name], [...path, name]);
      if (found) return found;
    }
  }
  if (Array.isArray(value) && value.length && isJsonObject(schema.items))
    return findEnumSlot(schema.items, value[0], [...path, 0]);
  return null;
}

function setAt(target: unknown, path: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

describe.each(eventCatalog.map((c) => [c.ceType, c] as const))('%s', (ceType, contract) => {
  const example = () => clone(contract.schema.examples[0]) as Record<string, unknown>;

  it('accepts its example', () => {
    expect(validateEventData(ceType, example())).toEqual([]);
  });

  it.each(contract.schema.required)('rejects data without %s', (field) => {
    const data = example();
    delete data[field];
    expect(validateEventData(ceType, data)).toContain(`/ must have required property '${field}'`);
  });

  it('rejects a value outside an enum', () => {
    const data = example();
    const slot = findEnumSlot(contract.schema, data);
    if (!slot) throw new Error(`the example of ${ceType} sets no enum-valued property`);
    setAt(data, slot, 'definitely-not-allowed');
    const problems = validateEventData(ceType, data);
    expect(problems.some((p) => p.startsWith(`/${slot.join('/')} must be one of`))).toBe(true);
  });

  it('rejects properties it does not define', () => {
    expect(validateEventData(ceType, { ...example(), tenantId: 'acme' })).toContain(
      "/ must not have property 'tenantId'",
    );
  });

  it('rejects a malformed business time', () => {
    const data = example();
    data[contract.businessTimeField] = '20 March 2026';
    expect(validateEventData(ceType, data)).toContain(
      `/${contract.businessTimeField} must match format "date-time"`,
    );
  });
});

describe('validateEventData', () => {
  it('reports an unknown event type', () => {
    expect(validateEventData('io.attest.readiness.nothing-happened.v1', {})).toEqual([
      "unknown event type 'io.attest.readiness.nothing-happened.v1'",
    ]);
  });

  it('rejects data that is not an object', () => {
    expect(validateEventData('io.attest.control-mapping.policy-accepted.v1', null)).toEqual([
      '/ must be object',
    ]);
  });

  it('requires a justification for a not-applicable answer', () => {
    const type = 'io.attest.readiness.answer-recorded.v1';
    const data = { ...exampleOf(type), answer: 'not-applicable' };
    expect(validateEventData(type, data)).toEqual(["/ must have required property 'justification'"]);
    expect(validateEventData(type, { ...data, justification: 'We process no personal data.' })).toEqual([]);
  });

  it('keeps security in every assessment scope', () => {
    const type = 'io.attest.readiness.assessment-started.v1';
    const data = exampleOf(type);
    (data.scope as { categories: string[] }).categories = ['availability', 'privacy'];
    expect(validateEventData(type, data)).toEqual([
      '/scope/categories must contain at least 1 valid item(s)',
    ]);
  });

  it('bounds scores to 0-100 and risk ratings to 1-5', () => {
    const completed = exampleOf('io.attest.readiness.assessment-completed.v1');
    (completed.scores as { overall: number }).overall = 101;
    expect(validateEventData('io.attest.readiness.assessment-completed.v1', completed)).toEqual([
      '/scores/overall must be <= 100',
    ]);
    const risk = exampleOf('io.attest.readiness.risk-registered.v1');
    (risk.inherent as { likelihood: number }).likelihood = 0;
    expect(validateEventData('io.attest.readiness.risk-registered.v1', risk)).toEqual([
      '/inherent/likelihood must be >= 1',
    ]);
  });

  it('requires a rationale for an accepted risk and a risk for a risk-accepted task', () => {
    const risk = { ...exampleOf('io.attest.readiness.risk-registered.v1'), treatment: 'accept' };
    expect(validateEventData('io.attest.readiness.risk-registered.v1', risk)).toEqual([
      "/ must have required property 'treatmentRationale'",
    ]);
    const task = {
      ...exampleOf('io.attest.readiness.remediation-task-completed.v1'),
      resolution: 'risk-accepted',
    };
    expect(validateEventData('io.attest.readiness.remediation-task-completed.v1', task)).toEqual([
      "/ must have required property 'riskId'",
    ]);
  });

  it('requires a reason to block a remediation task', () => {
    const type = 'io.attest.readiness.remediation-task-status-changed.v1';
    expect(validateEventData(type, { ...exampleOf(type), to: 'blocked' })).toEqual([
      "/ must have required property 'reason'",
    ]);
  });

  it('requires the date a control started operating when it becomes implemented', () => {
    const type = 'io.attest.control-mapping.control-implementation-changed.v1';
    const data = exampleOf(type);
    delete data.implementedOn;
    expect(validateEventData(type, data)).toEqual(["/ must have required property 'implementedOn'"]);
    expect(validateEventData(type, { ...data, from: 'not-started', to: 'in-progress' })).toEqual([]);
  });

  it('refuses a blank not-applicable justification', () => {
    const type = 'io.attest.control-mapping.control-marked-not-applicable.v1';
    expect(validateEventData(type, { ...exampleOf(type), justification: '   ' })).toEqual([
      '/justification must match pattern "\\S"',
    ]);
  });

  it('checks ids, dates and criteria references', () => {
    const type = 'io.attest.readiness.gap-identified.v1';
    const data = {
      ...exampleOf(type),
      gapId: 'gap-1',
      pointOfFocusRef: 'CC6.1',
      proposedCatalogControlIds: ['ac-3'],
    };
    expect(validateEventData(type, data)).toEqual([
      '/gapId must match format "uuid"',
      expect.stringMatching(/^\/pointOfFocusRef must match pattern/),
      expect.stringMatching(/^\/proposedCatalogControlIds\/0 must match pattern/),
    ]);
  });

  it('requires the catalog version of a policy adopted from a template', () => {
    const type = 'io.attest.control-mapping.policy-adopted.v1';
    const data = exampleOf(type);
    delete data.catalogVersion;
    expect(validateEventData(type, data)).toEqual(["/ must have required property 'catalogVersion'"]);
    delete data.templateId;
    expect(validateEventData(type, data)).toEqual([]);
  });
});
