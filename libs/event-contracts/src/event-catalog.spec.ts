import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchemaFiles } from '../schemas';
import {
  CE_TYPE_PATTERN,
  contractForCeType,
  contractForStoreType,
  contractsOfContext,
  dataSchemaFor,
  EVENT_CONTEXTS,
  eventCatalog,
  eventContexts,
  parseCeType,
  topicFor,
} from './event-catalog';
import { isJsonObject, JSON_SCHEMA_DRAFT_2020_12 } from './json-schema';

const schemasDir = join(__dirname, '..', 'schemas');

describe('event catalog', () => {
  it('holds the readiness, control-mapping, evidence, monitoring, auditor-engagement and lifecycle contracts', () => {
    expect(contractsOfContext('readiness')).toHaveLength(25);
    expect(contractsOfContext('control-mapping')).toHaveLength(33);
    expect(contractsOfContext('evidence')).toHaveLength(11);
    expect(contractsOfContext('monitoring')).toHaveLength(15);
    expect(contractsOfContext('auditor-engagement')).toHaveLength(23);
    expect(contractsOfContext('lifecycle')).toHaveLength(6);
    expect(eventCatalog).toHaveLength(113);
  });

  it('names topics attest.<context>.events.v1', () => {
    expect(topicFor('readiness')).toBe('attest.readiness.events.v1');
    expect(topicFor('control-mapping')).toBe('attest.control-mapping.events.v1');
    expect(topicFor('evidence')).toBe('attest.evidence.events.v1');
    expect(topicFor('monitoring')).toBe('attest.monitoring.events.v1');
    expect(topicFor('auditor-engagement')).toBe('attest.auditor-engagement.events.v1');
    expect(topicFor('lifecycle')).toBe('attest.lifecycle.events.v1');
    for (const c of eventCatalog) {
      expect(c.topic).toBe(topicFor(c.context));
      expect(c.topic).toMatch(/^attest\.[a-z-]+\.events\.v[0-9]+$/);
    }
    expect(() => topicFor('alerting' as never)).toThrow(/unknown event context/);
  });

  it('looks contracts up by ce_type and by (context, store type)', () => {
    const started = contractForCeType('io.attest.readiness.assessment-started.v1');
    expect(started).toMatchObject({
      context: 'readiness',
      storeType: 'AssessmentStarted',
      topic: 'attest.readiness.events.v1',
      source: '/attest/readiness',
      dataSchema: 'urn:attest:event-schema:io.attest.readiness.assessment-started.v1',
    });
    expect(contractForStoreType('readiness', 'AssessmentStarted')).toBe(started);
    expect(contractForStoreType('control-mapping', 'PolicyAccepted')?.ceType).toBe(
      'io.attest.control-mapping.policy-accepted.v1',
    );
    expect(contractForStoreType('control-mapping', 'AssessmentStarted')).toBeUndefined();
    expect(contractForCeType('io.attest.readiness.nothing-happened.v1')).toBeUndefined();
  });

  it('parses ce_types', () => {
    expect(parseCeType('io.attest.control-mapping.policy-approved.v1')).toEqual({
      context: 'control-mapping',
      eventName: 'policy-approved',
      version: 1,
    });
    expect(() => parseCeType('com.example.thing.v1')).toThrow(/not an Attest event type/);
  });
});

describe('naming rules', () => {
  const files = EVENT_CONTEXTS.flatMap((context) =>
    readdirSync(join(schemasDir, context))
      .filter((f) => f.endsWith('.json'))
      .map((file) => ({ context, file })),
  );

  it('has only context folders and the index in schemas/', () => {
    const entries = readdirSync(schemasDir).sort();
    expect(entries).toEqual([...EVENT_CONTEXTS, 'index.ts'].sort());
  });

  it('registers exactly the schema files there are', () => {
    const onDisk = files.map((f) => f.file.replace(/\.json$/, '')).sort();
    expect(Object.keys(eventSchemaFiles).sort()).toEqual(onDisk);
    expect(eventCatalog.map((c) => c.ceType).sort()).toEqual(onDisk);
  });

  it.each(files)('$context/$file: ce_type pattern, file name, folder and $id', ({ context, file }) => {
    const ceType = file.replace(/\.json$/, '');
    expect(ceType).toMatch(CE_TYPE_PATTERN);
    expect(ceType).toMatch(/^io\.attest\.[a-z-]+\.[a-z-]+\.v[0-9]+$/);
    expect(parseCeType(ceType).context).toBe(context);
    const schema = JSON.parse(readFileSync(join(schemasDir, context, file), 'utf8'));
    expect(schema.$id).toBe(`urn:attest:event-schema:${ceType}`);
    expect(schema.$id).toBe(dataSchemaFor(ceType));
    expect(schema.$schema).toBe(JSON_SCHEMA_DRAFT_2020_12);
    expect(schema).toEqual(eventSchemaFiles[ceType]);
  });
});

describe.each(eventCatalog.map((c) => [c.ceType, c] as const))('%s', (_ceType, contract) => {
  const { schema } = contract;

  it('is documented: title, description, summary, one example', () => {
    expect(schema.title.length).toBeGreaterThan(5);
    expect(schema.description.length).toBeGreaterThan(60);
    expect(contract.summary.length).toBeGreaterThan(10);
    expect(schema.examples).toHaveLength(1);
  });

  it('is a closed object whose required fields are all declared', () => {
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    for (const name of schema.required) expect(Object.keys(schema.properties)).toContain(name);
  });

  it('carries its stream id, its business time and its actor', () => {
    expect(schema.required).toEqual(
      expect.arrayContaining([contract.subjectField, contract.businessTimeField, 'actor']),
    );
    expect(schema.properties[contract.subjectField]).toMatchObject({ type: 'string', format: 'uuid' });
    expect(schema.properties[contract.businessTimeField]).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    const example = schema.examples[0] as Record<string, unknown>;
    expect(typeof example[contract.subjectField]).toBe('string');
  });

  it('has no tenant id in the payload (it is the ce_tenantid header)', () => {
    expect(JSON.stringify(schema.properties)).not.toMatch(/"tenantId"/i);
  });

  it('is published by the service that owns its context', () => {
    expect(contract.source).toBe(eventContexts[contract.context].source);
    expect(contract.storeType).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(isJsonObject(schema.properties)).toBe(true);
  });
});
