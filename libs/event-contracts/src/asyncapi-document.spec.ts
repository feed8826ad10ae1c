import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  buildAsyncApiDocument,
  DRAFT_07_SCHEMA_FORMAT,
  renderAsyncApiYaml,
  toDraft07,
} from './asyncapi-document';
import { EVENT_CONTRACTS_VERSION } from './contracts-version';
import {
  generatedSection,
  normalizeMarkdown,
  renderGeneratedSections,
  applyGeneratedSections,
} from './event-catalog-docs';
import { eventCatalog } from './event-catalog';

const repoRoot = join(__dirname, '..', '..', '..');
const asyncApiPath = join(repoRoot, 'docs/events/asyncapi.yaml');
const readmePath = join(repoRoot, 'docs/events/README.md');
const REGENERATE = 'Run `npm run events:asyncapi` and commit the result.';

/** JSON pointers where two JSON values differ. */
function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [path || '/'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differingPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`),
  );
}

/** DiagnosticSeverity.Error in @stoplight/types. */
const ERROR = 0;

/** The generated document, loosely typed for reading in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plain JSON tree read by path
type Json = any;

describe('AsyncAPI document', () => {
  const document: Json = buildAsyncApiDocument();

  it('is valid AsyncAPI 3.0 for @asyncapi/parser (no error diagnostics)', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(renderAsyncApiYaml());
    const errors = diagnostics
      .filter((d) => d.severity === ERROR)
      .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    if (!parsed) throw new Error('the parser returned no document');
    expect(
      parsed
        .channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(
      expect.arrayContaining([
        'attest.readiness.events.v1',
        'attest.control-mapping.events.v1',
        'attest.evidence.events.v1',
        'attest.monitoring.events.v1',
        'attest.auditor-engagement.events.v1',
        'attest.lifecycle.events.v1',
        'attest.dlq.outbox',
      ]),
    );
    expect(parsed.messages().all().length).toBe(eventCatalog.length + 1);
  }, 60_000);

  it('describes Attest events with the contracts version and a local Kafka server', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.info).toMatchObject({ title: 'Attest events', version: EVENT_CONTRACTS_VERSION });
    expect(document.servers.local).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
    expect(document.servers.local.description).toMatch(/Production brokers are the operator's/);
  });

  it('has one channel per topic with every message type on it, and the dead-letter channels', () => {
    expect(document.channels.readinessEvents.address).toBe('attest.readiness.events.v1');
    expect(document.channels.controlMappingEvents.address).toBe('attest.control-mapping.events.v1');
    expect(document.channels.evidenceEvents.address).toBe('attest.evidence.events.v1');
    expect(document.channels.monitoringEvents.address).toBe('attest.monitoring.events.v1');
    expect(document.channels.auditorEngagementEvents.address).toBe('attest.auditor-engagement.events.v1');
    expect(document.channels.lifecycleEvents.address).toBe('attest.lifecycle.events.v1');
    expect(document.channels.consumerDeadLetters.address).toBe('attest.dlq.{consumerGroup}');
    expect(document.channels.outboxDeadLetters.address).toBe('attest.dlq.outbox');
    for (const c of eventCatalog) {
      const channel = {
        readiness: document.channels.readinessEvents,
        'control-mapping': document.channels.controlMappingEvents,
        evidence: document.channels.evidenceEvents,
        monitoring: document.channels.monitoringEvents,
        'auditor-engagement': document.channels.auditorEngagementEvents,
        lifecycle: document.channels.lifecycleEvents,
      }[c.context];
      expect(channel.messages[c.ceType]).toEqual({ $ref: `#/components/messages/${c.ceType}` });
    }
    expect(document.channels.readinessEvents.bindings.kafka).toEqual({
      topic: 'attest.readiness.events.v1',
      partitions: 6,
      topicConfiguration: { 'cleanup.policy': ['delete'] },
      bindingVersion: '0.5.0',
    });
  });

  it('sends each topic from the service that owns its context', () => {
    expect(document.operations.publishReadinessEvents).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/readinessEvents' },
      'x-attest-service': 'readiness',
    });
    expect(document.operations.publishControlMappingEvents.messages).toHaveLength(33);
    expect(document.operations.publishEvidenceEvents).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/evidenceEvents' },
      'x-attest-service': 'evidence',
    });
    expect(document.operations.publishEvidenceEvents.messages).toHaveLength(11);
    expect(document.operations.publishMonitoringEvents).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/monitoringEvents' },
      'x-attest-service': 'monitoring',
    });
    expect(document.operations.publishMonitoringEvents.messages).toHaveLength(15);
    expect(document.operations.publishAuditorEngagementEvents).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/auditorEngagementEvents' },
      'x-attest-service': 'auditor-engagement',
    });
    expect(document.operations.publishAuditorEngagementEvents.messages).toHaveLength(23);
    expect(document.operations.publishLifecycleEvents).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/lifecycleEvents' },
      'x-attest-service': 'orchestrator',
    });
    expect(document.operations.publishLifecycleEvents.messages).toHaveLength(6);
  });

  it('gives every message its schema, headers, correlation id and key', () => {
    for (const c of eventCatalog) {
      const m = document.components.messages[c.ceType];
      expect(m).toMatchObject({
        name: c.ceType,
        title: c.schema.title,
        summary: c.summary,
        contentType: 'application/json',
      });
      expect(m.payload.schemaFormat).toBe(DRAFT_07_SCHEMA_FORMAT);
      expect(m.payload.schema.properties).toEqual(c.schema.properties);
      expect(m.correlationId).toEqual({ $ref: '#/components/correlationIds/eventId' });
      expect(m.bindings.kafka.key).toMatchObject({ type: 'string' });
      expect(m.headers.allOf[1].properties.ce_type.const).toBe(c.ceType);
      expect(m.examples[0].headers.ce_subject).toBe((c.schema.examples[0] as Json)[c.subjectField]);
    }
    expect(document.components.correlationIds.eventId.location).toBe('$message.header#/ce_id');
  });

  it('is committed up to date in docs/events/asyncapi.yaml', () => {
    const committed = parse(readFileSync(asyncApiPath, 'utf8'));
    const fresh = JSON.parse(JSON.stringify(buildAsyncApiDocument()));
    const differences = differingPaths(committed, fresh);
    if (differences.length)
      throw new Error(
        `docs/events/asyncapi.yaml is out of date (differs at ${differences.slice(0, 5).join(', ')}). ${REGENERATE}`,
      );
  });
});

describe('toDraft07', () => {
  it('renames $defs and their refs and names draft-07', () => {
    expect(
      toDraft07({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $defs: { id: { type: 'string' } },
        properties: { a: { $ref: '#/$defs/id' } },
        examples: [{ $defs: 'data stays as it is' }],
      }),
    ).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { id: { type: 'string' } },
      properties: { a: { $ref: '#/definitions/id' } },
      examples: [{ $defs: 'data stays as it is' }],
    });
  });

  it('refuses keywords draft-07 does not have', () => {
    expect(() => toDraft07({ properties: { a: { type: 'array', prefixItems: [] } } })).toThrow(
      "/properties/a/prefixItems: draft-07 has no 'prefixItems'",
    );
  });
});

describe('docs/events/README.md', () => {
  const readme = readFileSync(readmePath, 'utf8');

  it.each(Object.entries(renderGeneratedSections()))(
    'has the generated %s section up to date',
    (name, content) => {
      const committed = normalizeMarkdown(generatedSection(readme, name as never));
      const fresh = normalizeMarkdown(content);
      if (committed.join('\n') !== fresh.join('\n')) {
        const line = fresh.findIndex((l, i) => committed[i] !== l);
        throw new Error(
          `docs/events/README.md: the generated ${name} section is out of date near "${fresh[line] ?? committed[line]}". ${REGENERATE}`,
        );
      }
    },
  );

  it('lists every event type', () => {
    for (const c of eventCatalog) expect(readme).toContain(`[\`${c.ceType}\`]`);
  });

  it('replaces generated sections idempotently', () => {
    const once = applyGeneratedSections(readme);
    expect(applyGeneratedSections(once)).toBe(once);
    expect(() => generatedSection('# nothing', 'headers')).toThrow(/markers/);
  });

  it('compares tables regardless of alignment', () => {
    expect(normalizeMarkdown('| a | b |\n| --- | --- |\n| x  |  y |')).toEqual(
      normalizeMarkdown('| a   | b   |\n| :-- | --- |\n\n| x | y |'),
    );
  });
});
