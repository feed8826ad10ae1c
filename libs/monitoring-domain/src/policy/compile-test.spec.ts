import { DomainError } from '@attest/decider';
import type { ResourceFact, TestDefinition } from '../monitoring-events';
import { compileTest, evaluateFacts, type TestProblem } from './compile-test';

const definition = (overrides: Partial<TestDefinition> = {}): TestDefinition => ({
  testId: 'postgres-ssl-on',
  title: 'PostgreSQL accepts TLS',
  description: 'The server accepts TLS connections.',
  factTypes: ['postgresql.server'],
  condition: 'resource.attributes.ssl == true',
  severity: 'high',
  controls: { catalogControlIds: ['NET-03'], controlIds: [] },
  remediation: 'Set ssl = on.',
  ...overrides,
});

const server = (attributes: Record<string, unknown>): ResourceFact => ({
  resourceType: 'postgresql.server',
  resourceId: 'db.internal:5432',
  attributes,
});

function problemsOf(overrides: Partial<TestDefinition>): TestProblem[] {
  try {
    compileTest(definition(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('invalid-test');
    return (error as DomainError).details['problems'] as TestProblem[];
  }
  throw new Error('expected the test to be refused');
}

describe('compileTest: evaluation', () => {
  it('passes when the condition holds and fails with the details value when it does not', () => {
    const test = compileTest(
      definition({ details: '{"ssl": resource.attributes.ssl, "version": resource.attributes.version}' }),
    );
    expect(test.evaluate(server({ ssl: true, version: '16.4' }))).toEqual({ outcome: 'pass', details: {} });
    expect(test.evaluate(server({ ssl: false, version: '16.4' }))).toEqual({
      outcome: 'fail',
      details: { ssl: false, version: '16.4' },
    });
  });

  it('records a non-map details value under `value`, with numbers as JSON numbers', () => {
    const test = compileTest(
      definition({ condition: 'resource.attributes.port < 1024', details: 'resource.attributes.port' }),
    );
    expect(test.evaluate(server({ port: 5432 }))).toEqual({ outcome: 'fail', details: { value: 5432 } });
  });

  it('is not-applicable when `applies` is false, without evaluating the condition', () => {
    const test = compileTest(
      definition({ applies: 'resource.attributes.canLogin', condition: 'resource.attributes.missing == 1' }),
    );
    expect(test.evaluate(server({ canLogin: false }))).toEqual({ outcome: 'not-applicable', details: {} });
    expect(test.evaluate(server({ canLogin: true })).outcome).toBe('error');
  });

  it('is an error, not a fail, when the condition reads a missing attribute or yields no bool', () => {
    const missing = compileTest(definition()).evaluate(server({}));
    expect(missing.outcome).toBe('error');
    expect(missing.details).toEqual({ field: 'condition', error: expect.stringContaining('ssl') });

    const notBool = compileTest(definition({ condition: 'resource.attributes.ssl' })).evaluate(
      server({ ssl: 'on' }),
    );
    expect(notBool).toEqual({
      outcome: 'error',
      details: { field: 'condition', error: 'expected a bool, got string' },
    });
  });

  it('is an error when an attribute has another type than the test expects', () => {
    const test = compileTest(
      definition({ condition: 'resource.attributes.logMinDurationStatementMs >= 0.0' }),
    );
    expect(test.evaluate(server({ logMinDurationStatementMs: '250' })).outcome).toBe('error');
    expect(test.evaluate(server({ logMinDurationStatementMs: 250 })).outcome).toBe('pass');
  });

  it('lets a test guard an optional attribute with has()', () => {
    const test = compileTest(
      definition({ condition: '!has(resource.attributes.ssl) || resource.attributes.ssl' }),
    );
    expect(test.evaluate(server({})).outcome).toBe('pass');
    expect(test.evaluate(server({ ssl: false })).outcome).toBe('fail');
  });

  it('offers macros, RE2 matches and the strings extension', () => {
    const test = compileTest(
      definition({
        condition:
          'resource.attributes.listenAddresses.all(a, a.matches("^(localhost|127\\\\.0\\\\.0\\\\.1|::1)$")) && ' +
          'resource.attributes.passwordEncryption.upperAscii().startsWith("SCRAM")',
      }),
    );
    expect(
      test.evaluate(server({ listenAddresses: ['localhost', '::1'], passwordEncryption: 'scram-sha-256' }))
        .outcome,
    ).toBe('pass');
    expect(
      test.evaluate(server({ listenAddresses: ['*'], passwordEncryption: 'scram-sha-256' })).outcome,
    ).toBe('fail');
  });

  it('records a fail even when the details expression itself errors', () => {
    const test = compileTest(definition({ details: 'resource.attributes.nope' }));
    expect(test.evaluate(server({ ssl: false }))).toEqual({
      outcome: 'fail',
      details: { detailsError: expect.stringContaining('nope') },
    });
  });

  it('evaluates only the facts of the types it reads', () => {
    const test = compileTest(definition());
    const role: ResourceFact = { resourceType: 'postgresql.role', resourceId: 'db/role/app', attributes: {} };
    expect(evaluateFacts(test, [role, server({ ssl: true })])).toEqual([
      { resourceType: 'postgresql.server', resourceId: 'db.internal:5432', outcome: 'pass', details: {} },
    ]);
    expect(() => test.evaluate(role)).toThrow(RangeError);
  });
});

describe('compileTest: refusals', () => {
  it('refuses a syntax error, naming the field', () => {
    expect(problemsOf({ condition: 'resource.attributes.ssl ==' })).toEqual([
      { field: 'condition', message: expect.stringContaining('does not parse') },
    ]);
  });

  it.each([
    ['http.get("https://example.com") == 200', "unknown function 'http.get'"],
    ['process.env.HOME == ""', "unknown identifier 'process': a test may only read 'resource'"],
    ['env == {}', "unknown identifier 'env': a test may only read 'resource'"],
    ['readFile("/etc/passwd") == ""', "unknown function 'readFile'"],
    ['resource.attributes.name.exec() == 1', "unknown function 'exec'"],
    ['google.protobuf.Struct{} == {}', "message construction 'google.protobuf.Struct' is not allowed"],
  ])('refuses what could reach I/O or the process: %s', (condition, message) => {
    expect(problemsOf({ condition })).toContainEqual({ field: 'condition', message });
  });

  it('does not let a comprehension variable leak out of its loop', () => {
    expect(problemsOf({ condition: 'resource.attributes.l.all(x, x > 0) && x == 1' })).toEqual([
      { field: 'condition', message: "unknown identifier 'x': a test may only read 'resource'" },
    ]);
  });

  it('allows comprehensions nested two deep and refuses three', () => {
    const two = 'resource.attributes.m.all(a, a.all(b, b > 0))';
    expect(compileTest(definition({ condition: two })).evaluate(server({ m: [[1, 2], [3]] })).outcome).toBe(
      'pass',
    );
    expect(problemsOf({ condition: 'resource.attributes.m.all(a, a.all(b, b.all(c, c > 0)))' })).toEqual([
      { field: 'condition', message: 'too complex: comprehensions nested 3 deep (at most 2)' },
    ]);
  });

  it('refuses more than 300 expression nodes and sources over 4096 characters', () => {
    const large = Array.from({ length: 120 }, (_, i) => `resource.attributes.a == ${i}`).join(' || ');
    expect(problemsOf({ condition: large })).toEqual([
      {
        field: 'condition',
        message: expect.stringMatching(/^too complex: \d+ expression nodes \(at most 300\)$/),
      },
    ]);
    expect(problemsOf({ applies: `"${'x'.repeat(4100)}" != ""` })).toEqual([
      { field: 'applies', message: 'too long: at most 4096 characters' },
    ]);
  });

  it('names every problem of every field at once', () => {
    expect(
      problemsOf({
        testId: 'Bad Id',
        factTypes: [],
        applies: 'now() > 0',
        details: 'fetch(resource.resourceId)',
      }),
    ).toEqual([
      { field: 'testId', message: 'must be kebab-case, 3 to 80 characters' },
      { field: 'factTypes', message: 'must name at least one resource type' },
      { field: 'applies', message: "unknown function 'now'" },
      { field: 'details', message: "unknown function 'fetch'" },
    ]);
  });
});

describe('regular expressions in tests', () => {
  it('match with RE2 semantics on every evaluation, and an invalid pattern is an error, not a crash', () => {
    const test = compileTest(definition({ condition: 'resource.attributes.name.matches("^app_[a-z]+$")' }));
    expect(test.evaluate(server({ name: 'app_reader' })).outcome).toBe('pass');
    expect(test.evaluate(server({ name: 'app_reader' })).outcome).toBe('pass');
    expect(test.evaluate(server({ name: 'postgres' })).outcome).toBe('fail');
    const fromFact = compileTest(
      definition({ condition: 'resource.attributes.name.matches(resource.attributes.pattern)' }),
    );
    expect(fromFact.evaluate(server({ name: 'x', pattern: '(' })).outcome).toBe('error');
  });
});
