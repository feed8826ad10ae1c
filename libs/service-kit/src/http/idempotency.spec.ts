import request from 'supertest';
import { RequestValidationError } from '../request-validation';
import { RunningTestApp, startQuestionnaireApp } from '../test-app/start-questionnaire-app';
import { idempotencyKeyOf } from './idempotency';

describe('idempotencyKeyOf', () => {
  it('takes a bare key or the structured-field string of the IETF draft', () => {
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(idempotencyKeyOf({ 'idempotency-key': '8e03978e-40d5-43e8-bc93-6894a57f9324' })).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(idempotencyKeyOf({ 'idempotency-key': '"8e03978e"' })).toBe('8e03978e');
    expect(idempotencyKeyOf({ 'idempotency-key': '"a \\"quoted\\" key"' })).toBe('a "quoted" key');
    expect(idempotencyKeyOf({ 'idempotency-key': 'k'.repeat(255) })).toHaveLength(255);
  });

  it.each([[''], ['  '], ['k'.repeat(256)], ['caf\u00e9'], ['tab\there'], [['a', 'b']]])(
    'refuses %j as a validation problem on the header, without repeating it',
    (value) => {
      let error: unknown;
      try {
        idempotencyKeyOf({ 'idempotency-key': value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RequestValidationError);
      const errors = (error as RequestValidationError).errors;
      expect(errors).toEqual([{ pointer: '/Idempotency-Key', in: 'header', message: expect.any(String) }]);
      if (typeof value === 'string' && value.trim()) expect(errors[0].message).not.toContain(value);
    },
  );
});

describe('@Idempotent() without a key store', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startQuestionnaireApp();
  });
  afterAll(() => running.app.close());

  it('runs requests without Idempotency-Key as usual', async () => {
    const res = await request(running.app.getHttpServer())
      .post('/v1/questionnaires')
      .set('Authorization', await running.bearer())
      .send({ title: 'A' });
    expect(res.status).toBe(201);
  });

  it('fails a keyed request loudly: the service forgot createServiceApp({ idempotency })', async () => {
    const res = await request(running.app.getHttpServer())
      .post('/v1/questionnaires')
      .set('Authorization', await running.bearer())
      .set('Idempotency-Key', 'k-1')
      .send({ title: 'A' });
    expect(res.status).toBe(500);
  });
});
