import type { ValidationError } from 'class-validator';
import { jsonPointer } from './problem-details';
import { invalidInputs, RequestValidationError, RequestValidationPipe } from './request-validation';
import { AnswerDto, RecordAnswersDto } from './test-app/questionnaire-app';

describe('invalidInputs', () => {
  it('turns nested errors into one JSON pointer per broken rule', () => {
    const errors: ValidationError[] = [
      {
        property: 'answers',
        children: [
          {
            property: '0',
            children: [
              { property: 'answer', constraints: { isString: 'answer must be a string' }, children: [] },
            ],
          },
        ],
      },
      {
        property: 'a/b~c',
        constraints: { whitelistValidation: 'property a/b~c should not exist' },
        children: [],
      },
    ];
    expect(invalidInputs(errors)).toEqual([
      { pointer: '/answers/0/answer', message: 'answer must be a string' },
      { pointer: '/a~1b~0c', message: 'property a/b~c should not exist' },
    ]);
  });

  it('marks query and path parameters', () => {
    const errors: ValidationError[] = [
      { property: 'limit', constraints: { min: 'limit must not be less than 1' } },
    ];
    expect(invalidInputs(errors, { type: 'query' })).toEqual([
      { pointer: '/limit', in: 'query', message: 'limit must not be less than 1' },
    ]);
    expect(invalidInputs(errors, { type: 'param' })[0].in).toBe('path');
  });

  it('escapes pointer segments per RFC 6901', () => {
    expect(jsonPointer(['m~n', 'a/b', '0'])).toBe('/m~0n/a~1b/0');
    expect(jsonPointer([])).toBe('');
  });
});

describe('RequestValidationPipe', () => {
  const pipe = new RequestValidationPipe();
  const body = { type: 'body' as const, metatype: RecordAnswersDto };

  it('returns DTO instances for valid input', async () => {
    const dto = await pipe.transform({ answers: [{ questionId: 'q-1', answer: 'a' }] }, body);
    expect(dto).toBeInstanceOf(RecordAnswersDto);
    expect((dto as RecordAnswersDto).answers[0]).toBeInstanceOf(AnswerDto);
  });

  it('throws RequestValidationError with pointers and no submitted values', async () => {
    const failure = await pipe
      .transform({ answers: [{ questionId: 'secret-value', answer: 'a' }], extra: 1 }, body)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestValidationError);
    const errors = (failure as RequestValidationError).errors;
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/answers/0/questionId', '/extra']);
    expect(JSON.stringify(errors)).not.toContain('secret-value');
  });

  it('refuses a body that is not an object at the root pointer', async () => {
    for (const value of [[], 'text', 3, null]) {
      const failure = await pipe.transform(value, body).catch((e: unknown) => e);
      expect((failure as RequestValidationError).errors).toEqual([
        { pointer: '', message: 'the request body must be a JSON object' },
      ]);
    }
  });
});
